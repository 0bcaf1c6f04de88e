/**
 * @module Does the retrieved text answer the question at all? A passage must cover enough of the
 * question's weighted concepts (see retrieval/concepts.ts). Too little coverage → refuse. This is
 * the guard against inventing policy, shared by every answerer.
 */
import type { TermStats } from '../../core/index.ts';
import {
  conceptCovered,
  coverageShares,
  documentFacts,
  GENERIC_WEIGHT,
  holdsAttribute,
  isFigure,
  passageText,
  weighConcepts,
  withGlosses,
  withPlaces,
  type AnalyzedQuery,
  type AskedAttribute,
  type RetrievedChunk,
  type WeightedConcept,
} from '../retrieval/index.ts';
import { splitSentences } from '../../core/text/index.ts';
import { pageWrapped } from './layout.ts';

export interface EvidenceOptions {
  /** Minimum share of the question's weight one passage must cover. */
  minCoverage: number;
  /** Passages considered for the decision. */
  consider: number;
  genericWeight: number;
  /** Share two passages must cover together when neither covers `minCoverage` alone … */
  minJointCoverage: number;
  /** … and that each of the two must cover on its own. */
  minPartCoverage: number;
}

export const DEFAULT_EVIDENCE: EvidenceOptions = { minCoverage: 0.6, consider: 5, genericWeight: GENERIC_WEIGHT, minJointCoverage: 0.9, minPartCoverage: 0.35 };

export interface Evidence {
  answerable: boolean;
  /** Best single-passage coverage in [0, 1]. */
  coverage: number;
  concepts: WeightedConcept[];
  /** Concepts no considered passage mentions. */
  missing: string[];
  /** Coverage per retrieved passage, same order as `retrieved`. */
  coverageByChunk: number[];
  /**
   * The same by the question's words and their forms only, without the part credit of words no
   * document uses: whether a passage shares a real part of the question (refusal.ts). A topic no
   * document treats (公积金) shares characters with many passages and nothing more.
   */
  formCoverageByChunk: number[];
}

/**
 * Could this passage be the answer at all? It must name the year or plan period asked about
 * (a 2018 figure does not answer a question about 2022), and hold an attribute asked for: a
 * department for 哪个部门, materials for 哪些材料. A figure (百分之几, 多少钱, 几天) must stand in a
 * sentence with something the question is about: an amount on its own, or next to nothing the
 * question names, is not the amount asked. Administrative levels are a closed class: a passage
 * that names levels (国家级…10万元，省级…5万元) but none the question names (市级) speaks of
 * others; a passage naming no level is judged on the rest.
 */
function canAnswer(query: AnalyzedQuery, concepts: WeightedConcept[], text: string, facts: string, wrapped: boolean, unit: boolean): boolean {
  if (concepts.some((concept) => concept.specific && !conceptCovered(concept, text))) return false;
  if (otherLevelsOnly(query.normalized, text)) return false;
  // 享受哪些税收优惠: a passage naming no 税收优惠 lists something else.
  if (concepts.some((concept) => concept.object && !conceptCovered(concept, text))) return false;
  if (query.asks.length === 0) return true;
  const topics = concepts.filter((concept) => !concept.generic && !concept.specific && !concept.place && !concept.attributes);
  const spans = splitSentences(text, { joinWrapped: wrapped });
  const sentences = spans.map((sentence) => sentence.text);
  // An undated sentence is of the last year named before it in the passage (its heading, 到2020年),
  // else of its document's year: a 2022 measure's 返还比例 is 2022's, not 2023's.
  const yearOf = (index: number) => {
    const before = text.slice(0, spans[index]?.start ?? 0).match(YEAR) ?? [];
    return before.at(-1) ?? facts.match(YEAR)?.[0];
  };
  // The document's date stands next to its title, in no sentence of the passage: it answers when
  // the document was issued, and nothing else (an issue date is no deadline).
  const dated = (attribute: AskedAttribute) => (attribute === 'date' || attribute === 'day' ? [...sentences, facts] : sentences);
  // Beside what the figure is asked of, when the question says (贷款利率是多少: a rate, not any
  // percentage of a passage about loans); else beside anything it is about.
  // A sentence is read with the one before it, which often names the subject (第三十九条 企业登记、
  // 公章刻制…并行办理。…应当在一个工作日内办结).
  // 最多贴到多少: a cap stated without a number (最高贷款贴息不超过企业实际贷款利率) is the answer.
  const askedCap = ASKS_CAP.test(query.normalized);
  // A word no document uses (套房 for 套) cannot be looked for beside the figure: any topic word stands in.
  const measured = concepts.filter((concept) => concept.measured && !concept.unseen);
  const near = measured.length > 0 ? measured : topics;
  // In the unit the question names by number (第七十三条…挂多久), the figure it holds is the one
  // pointed at, whatever the question calls what it measures (记录 for 信息).
  const nearTopic = (context: string) => unit || near.length === 0 || near.some((topic) => conceptCovered(topic, context));
  const answers = (attribute: AskedAttribute) => (sentence: string, index: number, all: string[]) => {
    // 本规定自…起施行 speaks of the document itself: its title names what the sentence is about.
    const context = `${all[index - 1] ?? ''}${sentence}${SELF_REFERENCE.test(sentence) ? facts : ''}`;
    const stated = holdsAttribute(attribute, sentence) || (askedCap && CAP.test(sentence) && attribute !== 'date' && attribute !== 'day');
    return stated && nearTopic(context) && !otherYearOnly(concepts, context, index < spans.length ? yearOf(index) : undefined);
  };
  // Who, where, which materials: held by a sentence about something asked (read with the one
  // before it), not by any word of the passage (县财政局 holds a 县 but says nowhere to go).
  const aboutTopic = (context: string) => topics.length === 0 || topics.some((topic) => conceptCovered(topic, context));
  const held = (attribute: AskedAttribute) =>
    holdsAttribute(attribute, facts) || sentences.some((sentence, index) => holdsAttribute(attribute, sentence) && aboutTopic(`${sentences[index - 1] ?? ''}${sentence}`));
  const holds = (attribute: AskedAttribute) => (isFigure(attribute) ? dated(attribute).some(answers(attribute)) : held(attribute));
  // A figure, phone number or issuer asked beside a place, materials, steps or conditions (多少钱？
  // 在哪个平台领？ 在哪办公，电话多少？) is the part a passage must state: those others are words many
  // passages merely use (a 平台, a 网站, a 合同).
  const firm = query.asks.filter((attribute) => !LOOSE_ATTRIBUTES.has(attribute));
  const decisive = firm.length > 0 && firm.length < query.asks.length ? firm : query.asks;
  return decisive.some(holds);
}

/** Attributes a passage holds by using a common word (大厅, 材料, 申请, 条件, 部门), not only by answering. */
const LOOSE_ATTRIBUTES = new Set<AskedAttribute>(['address', 'materials', 'steps', 'conditions', 'department']);

/** How a question asks for an upper bound, and how a passage states one, with or without a number. */
const ASKS_CAP = /最多|最高|上限|封顶|顶格/;
const CAP = /最高|不超过|不高于|上限|封顶|以内|为限/;

/** How a document names itself: 本规定, 本办法, 本细则. */
const SELF_REFERENCE = /本(?:规定|办法|条例|细则|措施|通知|意见|方案|决定|规则|制度|政策|实施细则)/;

const YEAR = /(?:19|20)\d{2}(?=\s*年)/g;

/**
 * A figure dated to another year than the one asked (截至2024年末 … for 2025年一季度) is not the
 * figure asked for; an undated one is dated by `undatedYear` when known.
 */
function otherYearOnly(concepts: WeightedConcept[], sentence: string, undatedYear?: string): boolean {
  const asked = concepts.filter((concept) => concept.specific && /^\d{4}$/.test(concept.surface)).map((concept) => concept.surface);
  if (asked.length === 0) return false;
  const own = sentence.match(YEAR) ?? [];
  const named = own.length > 0 ? own : undatedYear ? [undatedYear] : [];
  return named.length > 0 && !named.some((year) => asked.includes(year));
}

/**
 * Administrative levels are a closed class: 国家级, 部级, 省级, 市级, 县级, 区级, 乡镇级, also written
 * together (省市县三级, 国家、省级, 县（市、区）级). Ranked from the top, so 省级以上 reaches 国家级/部级.
 */
const LEVEL_RANK: Record<string, number> = { 国家: 0, 部: 0, 省: 1, 市: 2, 县: 3, 区: 3, 乡镇: 4 };
const LEVEL_TOKEN = '国家|乡镇|[省市县区部乡镇]';
/** A run of levels ending in 级 (城市级, 社区级, 超级 name no level). */
const LEVEL_RUN = new RegExp(
  `(?<![城社园景街片辖地都超])((?:${LEVEL_TOKEN})(?:(?:[、和及与/（）()]|${LEVEL_TOKEN})*)?)[两三四五]?级(及?以[上下])?`,
  'g',
);

/**
 * The administrative levels a text names (市级专精特新 → 市). 省级以上 also names the levels above
 * it, 县级以下 those below it.
 */
function levelsNamed(text: string): string[] {
  const levels = new Set<string>();
  for (const match of text.matchAll(LEVEL_RUN)) {
    const named = [...(match[1] ?? '').matchAll(new RegExp(LEVEL_TOKEN, 'g'))].map(([token]) => (token === '乡' || token === '镇' ? '乡镇' : token));
    for (const level of named) levels.add(level);
    const bound = match[2];
    if (!bound || named.length === 0) continue;
    const ranks = named.map((level) => LEVEL_RANK[level] ?? 0);
    const edge = bound.endsWith('上') ? Math.min(...ranks) : Math.max(...ranks);
    for (const [level, rank] of Object.entries(LEVEL_RANK)) {
      if (bound.endsWith('上') ? rank <= edge : rank >= edge) levels.add(level);
    }
  }
  return [...levels];
}

/** The question names levels, and the passage names levels, none of them one the question names. */
function otherLevelsOnly(question: string, text: string): boolean {
  const asked = levelsNamed(question);
  if (asked.length === 0) return false;
  const named = levelsNamed(text);
  return named.length > 0 && !named.some((level) => asked.includes(level));
}

/**
 * A question about two things the documents treat in two places (开公司 + 跑几次: 企业开办 here,
 * 最多跑一次 there) is answered by quoting both. Two passages count together when each covers a
 * real part of the question on its own and between them they cover nearly all of it.
 */
function jointCoverage(concepts: WeightedConcept[], texts: string[], options: EvidenceOptions): number {
  const total = concepts.reduce((sum, concept) => sum + concept.weight, 0);
  if (total === 0) return 0;
  const covered = texts.map((text) => concepts.filter((concept) => conceptCovered(concept, text)));
  const share = (set: Iterable<WeightedConcept>) => [...set].reduce((sum, concept) => sum + concept.weight, 0) / total;
  let best = 0;
  for (let first = 0; first < covered.length; first++) {
    for (let second = first + 1; second < covered.length; second++) {
      const a = covered[first]!;
      const b = covered[second]!;
      if (share(a) < options.minPartCoverage || share(b) < options.minPartCoverage) continue;
      best = Math.max(best, share(new Set([...a, ...b])));
    }
  }
  return best;
}

export function assessEvidence(
  query: AnalyzedQuery,
  retrieved: RetrievedChunk[],
  stats: TermStats,
  options: EvidenceOptions = DEFAULT_EVIDENCE,
): Evidence {
  const concepts = weighConcepts(query, stats, options.genericWeight);
  const texts = retrieved.map((hit) => withGlosses(withPlaces(passageText(hit.document, hit.chunk), hit.places), hit.glosses));
  // 第二十八条讲什么 asks for nothing but the unit: the unit itself covers it.
  const unitOnly = concepts.every((concept) => concept.weight === 0);
  const shares = texts.map((text, rank) => (unitOnly && retrieved[rank]?.clause ? { withParts: 1, byForms: 1 } : coverageShares(concepts, text)));
  const coverageByChunk = shares.map((share) => share.withParts);
  const formCoverageByChunk = shares.map((share) => share.byForms);
  const considered = texts.slice(0, options.consider);
  // A passage from a document about another place (search.ts, offPlace) answers nothing here, and
  // when the question names a unit by number (第二十八条) only that unit answers it.
  const clauseAsked = query.clauses.length > 0;
  const usable = considered.map((text, rank) => {
    const hit = retrieved[rank];
    return !hit?.offPlace && (!clauseAsked || hit?.clause === true) && canAnswer(query, concepts, text, hit ? documentFacts(hit.document) : '', hit ? pageWrapped(hit.document).joinWrapped : false, clauseAsked && hit?.clause === true);
  });
  const coverage = Math.max(0, ...considered.map((_, rank) => (usable[rank] ? (coverageByChunk[rank] ?? 0) : 0)));
  // What the passages lack, to tell the user: topic words, not the words that asked (多少钱).
  const missing = concepts.filter((concept) => !concept.attributes && !considered.some((text) => conceptCovered(concept, text))).map((concept) => concept.surface);
  const meaningful = clauseAsked || concepts.some((concept) => !concept.generic && !concept.attributes);
  const joint = jointCoverage(concepts, considered.filter((_, rank) => usable[rank]), options);
  // The unit a question names by number is what it asks for (第二十四条讲啥？不实名能开通吗？): once
  // found and holding any attribute asked, it is the answer, however few of the other words it repeats.
  const unitFound = clauseAsked && usable.some((ok) => ok);
  return { answerable: meaningful && (coverage >= options.minCoverage || joint >= options.minJointCoverage || unitFound), coverage, concepts, missing, coverageByChunk, formCoverageByChunk };
}
