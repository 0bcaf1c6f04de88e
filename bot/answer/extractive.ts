/**
 * @module The default answerer: no model, only sentences copied from the passages. It picks the
 * sentence that covers most of the question, then adds sentences that cover what is still
 * missing (so "三个一" or a target with its baseline are gathered from several places), and
 * cites each one. Nothing is paraphrased, so nothing can be invented.
 */
import { DOCUMENT_INFO_HEADING, sectionPath, type ChunkRecord } from '../../core/index.ts';
import { splitSentences, type SentenceSpan } from '../../core/text/index.ts';
import { type RetrievedChunk, bestGlosses, conceptCovered, definesLabel, usesLabel, withGlosses, type WeightedConcept } from '../retrieval/index.ts';
import { citationOf } from './citation.ts';
import { cardLineAsked } from './card-lines.ts';
import { pageWrapped } from './layout.ts';
import { nonAnswer } from './refusal.ts';
import { answerLines, isTableHeader, type QuotedLine } from './table-rows.ts';
import type { Answer, AnswerInput, Answerer, Citation } from './types.ts';

export interface ExtractiveOptions {
  /** Passages whose sentences may be quoted. */
  passages: number;
  maxSentences: number;
  /** Sentences longer than this are shown as an excerpt around the matching clauses. */
  maxSentenceChars: number;
}

const DEFAULT_EXTRACTIVE: ExtractiveOptions = { passages: 5, maxSentences: 4, maxSentenceChars: 160 };

interface Candidate {
  hit: RetrievedChunk;
  rank: number;
  text: string;
  start: number;
  end: number;
  covered: Set<WeightedConcept>;
  score: number;
}

const LIST_QUESTION = /哪些|哪几|几个|几项|几方面|都有|包括|分别|有什么|三个|四个|五个|多项/;

const SENTENCE_END = /[。！？!?；;]/;

/** A `项目：值` line (文号：国信办发文〔2025〕1号, 咨询电话：…) states a fact, as a table row does. */
const FIELD = /^[\u4e00-\u9fff]{2,6}[：:]\s*\S{2,}/;

/**
 * A heading, title or caption quoted alone answers nothing: a sentence that is a heading of its
 * passage (run-in ones included: `1.市场主体培育。`), or a whole unpunctuated line of prose.
 */
function isHeadingOnly(sentence: SentenceSpan, chunk: ChunkRecord): boolean {
  const bare = sentence.text.replace(/[。：:；;]$/, '');
  // An item that is its whole passage (（三）允许多个经营主体使用同一地址作为登记住所；) is its own
  // heading, and a statement all the same.
  const wholeItem = /[。；;]$/.test(sentence.text) && chunk.text.trim() === sentence.text;
  if (chunk.headings.includes(bare)) return !wholeItem;
  // A table's header row names its columns: the rows below it hold the facts (see table-rows.ts).
  if (sentence.text.startsWith('|') && isTableHeader(chunk.text, sentence.start)) return true;
  const ownLine = (sentence.start === 0 || chunk.text[sentence.start - 1] === '\n') && (sentence.end === chunk.text.length || chunk.text[sentence.end] === '\n');
  // A long line ending in a colon introduces the items below it (…符合下列条件的，免除相关责任：).
  const listIntro = /[：:]$/.test(sentence.text) && sentence.text.length >= 20;
  return ownLine && !SENTENCE_END.test(sentence.text) && !sentence.text.startsWith('|') && !listIntro && !FIELD.test(sentence.text);
}

/**
 * A sentence flagged at ingest (ChunkRecord.suspect), also inside a sentence read across a
 * PDF's wrapped lines (pageWrapped), which joins flagged text to what follows it.
 */
function flagged(chunk: ChunkRecord, text: string): boolean {
  return chunk.suspect?.some((sentence) => text.includes(sentence)) ?? false;
}

/** A sentence naming a quoted term of the question, quotes and all, is where the document defines it. */
const QUOTED_TERM_BONUS = 1;

/**
 * A word of the question that the document's title also names (卫星直连 in a question about the
 * 卫星直连 rules) is in many of its sentences and tells them apart little: it counts this much.
 */
const TITLE_WORD_SHARE = 0.5;

/**
 * A sentence holding what the question asks for (几天 → 一个工作日内, 哪些证明 → a sentence on
 * 证明事项) states the fact wanted; weighed as the least topic word, it lost to a sentence
 * repeating more of the question without it.
 */
const ASKED_ATTRIBUTE_FACTOR = 2;

/** How policy text defines a term: （四）地球站，是指…; 本规定所称“最多跑一次”，是指…. */
const DEFINES = /^(.{0,40}?)是指/;

/** Added to a sentence that defines something when the question asks what a term means. */
const DEFINITION_BONUS = 1;
/** For the line of a document's card the question asks for (施行日期 for 哪天开始实施): card-lines.ts. */
const CARD_LINE_BONUS = 1;

/**
 * The sentence defines a term the question names (地球站，是指…), not another one beside it: a
 * word of the question other than the title's, or a term the question quotes (“最多跑一次”).
 */
function definesAsked(sentence: string, concepts: WeightedConcept[], title: string, quoted: string[]): boolean {
  const head = DEFINES.exec(sentence)?.[1];
  if (head === undefined) return false;
  // The term itself: （一）终端设备， → 终端设备.
  const term = head.replace(/^[（(][一二三四五六七八九十\d]+[）)]|^\d+[.、]|^本\S{1,3}所称|[“”"，,\s]/g, '');
  const named = concepts.filter((concept) => !concept.generic && !concept.attributes);
  return (
    quoted.some((word) => head.includes(word)) ||
    named.some((concept) => concept.forms.includes(term)) ||
    named.some((concept) => conceptCovered(concept, head) && !conceptCovered(concept, title))
  );
}

function candidatesFrom(hit: RetrievedChunk, rank: number, concepts: WeightedConcept[], query: Pick<AnswerInput['query'], 'quoted' | 'definition' | 'normalized'>): Candidate[] {
  const { quoted } = query;
  const heading = sectionPath(hit.chunk.headings).toLowerCase();
  const card = hit.chunk.headings[0] === DOCUMENT_INFO_HEADING;
  const title = hit.document.title.toLowerCase();
  const weightIn = (concept: WeightedConcept) => (concept.attributes ? ASKED_ATTRIBUTE_FACTOR : !card && conceptCovered(concept, title) ? TITLE_WORD_SHARE : 1) * concept.weight;
  const measured = concepts.filter((concept) => concept.measured && !concept.unseen);
  const spans = splitSentences(hit.chunk.text, pageWrapped(hit.document));
  return spans
    .map((sentence, index) => ({ sentence, before: spans[index - 1]?.text.toLowerCase() ?? '' }))
    .filter(({ sentence }) => sentence.text.length >= 6 && !isHeadingOnly(sentence, hit.chunk) && !flagged(hit.chunk, sentence.text))
    .map(({ sentence, before }) => {
      // A label the sentence uses reads with its definition (5 型保障对象 → 全日制本科…): labels.ts.
      const lower = withGlosses(sentence.text.toLowerCase(), hit.glosses);
      // Each line of the document card (发布日期：…, 文号：…) is a fact of the document its title names.
      const about = card ? `${hit.document.title.toLowerCase()}\n${lower}` : lower;
      // A figure states what was asked only beside what it is asked of (贷款余额3.2万亿元 is no
      // 奖补 amount), read with the sentence before it as the evidence check reads it.
      const besideMeasured = measured.length === 0 || measured.some((concept) => conceptCovered(concept, `${before}${about}`));
      const covered = new Set(concepts.filter((concept) => conceptCovered(concept, about) && (!concept.attributes || besideMeasured)));
      // What the heading says counts for the sentences under it, at half weight.
      const inHeading = concepts.filter((concept) => !covered.has(concept) && conceptCovered(concept, heading));
      const score =
        [...covered].reduce((sum, concept) => sum + weightIn(concept), 0) +
        0.5 * inHeading.reduce((sum, concept) => sum + weightIn(concept), 0) +
        (quoted.some((term) => lower.includes(`“${term}”`)) ? QUOTED_TERM_BONUS : 0) +
        (query.definition && definesAsked(lower, concepts, title, quoted) ? DEFINITION_BONUS : 0) +
        (card && cardLineAsked(sentence.text, query.normalized) ? CARD_LINE_BONUS : 0) +
        hit.score;
      return { hit, rank, text: sentence.text, start: sentence.start, end: sentence.end, covered, score };
    });
}

/** An intro announces a list: it ends in a colon, or names a count (“三个一”, 6个专项行动, 四大工程). */
const INTRO_COUNT = /“[^”]*[一二两三四五六七八九十][^”]*”|(?<![第一二两三四五六七八九十\d])[一二两三四五六七八九十\d]+(?:个|项|大|张|类|条|方面)/;
const MAX_LIST_ITEMS = 8;
/** List items that head their own paragraph are short: 明确一个招商引资思路。 */
const MAX_ITEM_LEAD_CHARS = 40;

/** A passage sits under another's heading path: an item (（一）…) of the article that introduces it. */
function under(item: RetrievedChunk, parent: RetrievedChunk): boolean {
  const path = parent.chunk.headings;
  return item.chunk.docId === parent.chunk.docId && item.chunk.headings.length > path.length && path.every((heading, index) => item.chunk.headings[index] === heading);
}

/**
 * The items of an intro that ends its passage (下列证明事项应当取消：): the retrieved passages under
 * it, by the sentence that opens each, in the document's order. Such an item is its passage's
 * heading too (（三）能够通过法定证照…的；), quoted all the same.
 */
function itemPassages(intro: Candidate, retrieved: RetrievedChunk[]): Candidate[] {
  return retrieved
    .map((hit, rank) => ({ hit, rank }))
    .filter(({ hit }) => under(hit, intro.hit))
    .sort((a, b) => a.hit.ordinal - b.hit.ordinal)
    .flatMap(({ hit, rank }) => {
      const first = splitSentences(hit.chunk.text, pageWrapped(hit.document))[0];
      return first ? [{ hit, rank, text: first.text, start: first.start, end: first.end, covered: new Set<WeightedConcept>(), score: hit.score }] : [];
    });
}

function startsLine(candidate: Candidate): boolean {
  return candidate.start === 0 || candidate.hit.chunk.text[candidate.start - 1] === '\n';
}

function endsLine(candidate: Candidate): boolean {
  const text = candidate.hit.chunk.text;
  return candidate.end === text.length || text[candidate.end] === '\n';
}

/**
 * The items a list intro announces, in reading order: after a colon, the sentences that follow
 * it; after a paragraph that names a count, the short lead sentences of the next paragraphs
 * (possibly in the next passages of the same document).
 */
function listItems(intro: Candidate, all: Candidate[], retrieved: RetrievedChunk[]): Candidate[] {
  const { docId } = intro.hit.document;
  const following = all
    .filter((candidate) => candidate.hit.document.docId === docId)
    .filter((candidate) => candidate.hit.ordinal > intro.hit.ordinal || (candidate.hit.ordinal === intro.hit.ordinal && candidate.start > intro.start))
    .sort((a, b) => a.hit.ordinal - b.hit.ordinal || a.start - b.start);
  if (/[:：]$/.test(intro.text)) {
    const inPassage = following.filter((candidate) => candidate.hit.ordinal === intro.hit.ordinal);
    return (inPassage.length > 0 ? inPassage : itemPassages(intro, retrieved)).slice(0, MAX_LIST_ITEMS);
  }
  if (!INTRO_COUNT.test(intro.text) || !endsLine(intro)) return [];
  const items: Candidate[] = [];
  for (const candidate of following.filter(startsLine)) {
    if (candidate.text.length > MAX_ITEM_LEAD_CHARS || items.length >= MAX_LIST_ITEMS) break;
    items.push(candidate);
  }
  return items.length >= 2 ? items : [];
}

/** A chapter or section title on its own line (第三章 政务服务): the unit's name, not its content. */
const UNIT_TITLE = /^第[零〇一二两三四五六七八九十百千\d]{1,7}[章节编]\s*[^。！？；!?;]*$/;

/**
 * A unit named by number (第二十八条, 第三章) is answered by quoting it in the document's order,
 * from the document of its best-ranked passage: an article whole (its items are passages whose
 * heading is their own text, quoted all the same); a chapter or section by the opening sentence
 * of each passage under it.
 */
function unitSentences(retrieved: RetrievedChunk[], concepts: WeightedConcept[], query: AnswerInput['query']): Candidate[] {
  const docId = retrieved.find((hit) => hit.clause)?.document.docId;
  const passages = retrieved
    .map((hit, rank) => ({ hit, rank }))
    .filter(({ hit }) => hit.clause && hit.document.docId === docId)
    .sort((a, b) => a.hit.ordinal - b.hit.ordinal);
  const broad = query.clauses.every((clause) => clause.unit === '章' || clause.unit === '节');
  return passages
    .flatMap(({ hit, rank }) => {
      const sentences = splitSentences(hit.chunk.text, pageWrapped(hit.document))
        .filter((sentence) => !UNIT_TITLE.test(sentence.text) && !flagged(hit.chunk, sentence.text))
        .map((sentence) => {
          const covered = new Set(concepts.filter((concept) => conceptCovered(concept, sentence.text.toLowerCase())));
          return { hit, rank, text: sentence.text, start: sentence.start, end: sentence.end, covered, score: hit.score };
        });
      return broad ? sentences.slice(0, 1) : sentences;
    })
    .slice(0, MAX_LIST_ITEMS);
}

/**
 * The definitions of the labels through which a quoted sentence answers (5 型保障对象 10 万元 for
 * 全日制本科): who 5 型保障对象 is, in the document's words, after the sentence quoted.
 */
function labelDefinitions(chosen: Candidate[], concepts: WeightedConcept[], retrieved: RetrievedChunk[], query: AnswerInput['query']): Candidate[] {
  const needed = chosen.flatMap((candidate) => {
    const own = candidate.text.toLowerCase();
    return bestGlosses((candidate.hit.glosses ?? []).filter((gloss) => usesLabel(own, gloss)), concepts, own);
  });
  if (needed.length === 0) return [];
  const all = retrieved.flatMap((hit, rank) => candidatesFrom(hit, rank, concepts, query));
  return needed.flatMap((gloss) => {
    const definition = all.find((candidate) => candidate.hit.ordinal === gloss.ordinal && definesLabel(candidate.text, gloss));
    return definition && !chosen.some((candidate) => candidate.text === definition.text) ? [definition] : [];
  });
}

/** Keeps the clauses of a long sentence that carry the question's words, marking the cuts. */
function excerpt(sentence: string, concepts: WeightedConcept[], maxChars: number): string {
  if (sentence.length <= maxChars) return sentence;
  const clauses = sentence.match(/[^，,；;：:]+[，,；;：:]?/g) ?? [sentence];
  const scored = clauses.map((clause, index) => ({
    index,
    weight: concepts.filter((concept) => conceptCovered(concept, clause.toLowerCase())).reduce((sum, concept) => sum + concept.weight, 0),
  }));
  const best = scored.reduce((a, b) => (b.weight > a.weight ? b : a));
  let from = best.index;
  let to = best.index;
  const length = () => clauses.slice(from, to + 1).join('').length;
  while (true) {
    const grewRight = to + 1 < clauses.length && length() + (clauses[to + 1]?.length ?? 0) <= maxChars;
    if (grewRight) to++;
    const grewLeft = from > 0 && length() + (clauses[from - 1]?.length ?? 0) <= maxChars;
    if (grewLeft) from--;
    if (!grewRight && !grewLeft) break;
  }
  const body = clauses.slice(from, to + 1).join('').replace(/[，,；;：:]$/, '');
  return `${from > 0 ? '……' : ''}${body}${to < clauses.length - 1 ? '……' : ''}`;
}

export class ExtractiveAnswerer implements Answerer {
  readonly kind = 'extractive' as const;
  readonly #options: ExtractiveOptions;

  constructor(options: Partial<ExtractiveOptions> = {}) {
    this.#options = { ...DEFAULT_EXTRACTIVE, ...options };
  }

  async answer({ query, retrieved, evidence }: AnswerInput): Promise<Answer> {
    if (!evidence.answerable) return nonAnswer(retrieved, evidence);
    const concepts = evidence.concepts;
    // A passage from a document about another place answers nothing here (search.ts, offPlace),
    // however much of the question it repeats: the evidence check did not count it, nor is it quoted.
    const onPlace = (rank: number) => retrieved[rank]?.offPlace !== true;
    const best = Math.max(...evidence.coverageByChunk.slice(0, this.#options.passages).map((coverage, rank) => (onPlace(rank) ? coverage : 0)));
    const pool = retrieved
      .slice(0, this.#options.passages)
      .flatMap((hit, rank) => (onPlace(rank) && (evidence.coverageByChunk[rank] ?? 0) >= best * 0.5 ? candidatesFrom(hit, rank, concepts, query) : []));
    const listQuestion = LIST_QUESTION.test(query.normalized);
    const unit = query.clauses.length > 0 ? unitSentences(retrieved, concepts, query) : [];
    let chosen = unit.length > 0 ? unit : this.#select(pool, listQuestion, concepts);
    if (chosen.length === 0) return nonAnswer(retrieved, evidence);

    // A sentence ending in a colon announces its list more surely than one naming a count.
    const intro =
      listQuestion && unit.length === 0 ? (chosen.find((candidate) => /[:：]$/.test(candidate.text)) ?? chosen.find((candidate) => INTRO_COUNT.test(candidate.text))) : undefined;
    const items = intro ? listItems(intro, retrieved.flatMap((hit, rank) => candidatesFrom(hit, rank, concepts, query)), retrieved) : [];
    if (intro && items.length > 0) {
      // The intro, then its items in the document's order.
      chosen = [intro, ...items];
    } else if (unit.length === 0) {
      // The passage of the best sentence first (the answer leads with the asked fact), then
      // passage rank, and reading order inside a passage.
      const lead = chosen[0]?.hit;
      const first = (candidate: Candidate) => (candidate.hit === lead ? 0 : 1);
      chosen.sort((a, b) => first(a) - first(b) || a.rank - b.rank || a.start - b.start);
      chosen.push(...labelDefinitions(chosen, concepts, retrieved, query));
    }
    const citations: Citation[] = [];
    const quoted: QuotedLine[] = [];
    for (const candidate of chosen) {
      let citation = citations.find((existing) => existing.quote === candidate.text && existing.docId === candidate.hit.document.docId);
      if (!citation) {
        citation = citationOf(candidate.hit, citations.length + 1, candidate.text);
        citations.push(citation);
      }
      const shown = candidate.text.startsWith('|') ? candidate.text : excerpt(candidate.text, concepts, this.#options.maxSentenceChars);
      quoted.push({ shown, passage: candidate.hit.chunk.text, start: candidate.start, marker: `[${citation.n}]` });
    }
    const lines = answerLines(quoted);
    const titles = [...new Set(citations.map((citation) => `《${citation.title}》`))];
    const text = `根据${titles.join('、')}：\n${lines.join('\n')}`;
    return { refused: false, outcome: 'answer', text, citations, closestDocuments: [], mode: 'extractive' };
  }

  #select(pool: Candidate[], listQuestion: boolean, concepts: WeightedConcept[]): Candidate[] {
    if (pool.length === 0) return [];
    const ranked = [...pool].sort((a, b) => b.score - a.score);
    const top = ranked.find((candidate) => candidate.covered.size > 0);
    if (!top) return [];
    const chosen = [top];
    // The answer opens with the title of its source (根据《浙江省…规定》): a word of the question
    // that title names needs no sentence of its own. Not a year: a sentence naming it gives that
    // year's figure (2018年培训…2120人次).
    const title = top.hit.document.title.toLowerCase();
    const named = concepts.filter((concept) => !concept.attributes && !concept.specific && conceptCovered(concept, title));
    const covered = new Set([...top.covered, ...named]);
    const limit = listQuestion ? this.#options.maxSentences + 1 : this.#options.maxSentences;
    while (chosen.length < limit) {
      let next: Candidate | undefined;
      let nextGain = 0;
      for (const candidate of ranked) {
        if (chosen.includes(candidate)) continue;
        const gain = [...candidate.covered].filter((concept) => !covered.has(concept)).reduce((sum, concept) => sum + concept.weight, 0);
        // Lists repeat the same words item after item: close runners-up belong to the answer too.
        const runnerUp = listQuestion && candidate.score >= top.score * 0.8 ? 0.01 : 0;
        if (gain + runnerUp > nextGain) {
          next = candidate;
          nextGain = gain + runnerUp;
        }
      }
      if (!next) break;
      chosen.push(next);
      for (const concept of next.covered) covered.add(concept);
    }
    return chosen;
  }
}
