/**
 * @module Understanding a question: normalise it, find the concepts it asks about, and the other
 * words each concept may appear as in the documents. A concept is covered by a passage when any
 * of its forms occurs there; coverage is what decides between answering and refusing.
 */
import { normalizeQuery, dictionaryWords, isStopWord, tagWords, type TaggedWord } from '../../core/text/index.ts';
import type { Lexicon } from './lexicon.ts';

export interface Concept {
  /** The words as the user wrote them. */
  surface: string;
  /** Every form that counts as this concept in a passage, surface first. */
  forms: string[];
  /** Question words such as 政策/规定 matter little for whether a passage answers. */
  generic: boolean;
  /**
   * How much the concept says about the topic, from its part of speech: nouns, names and numbers
   * carry the topic (1); verbs less (0.5); pronouns, adverbs and the like hardly (0.2).
   */
  salience: number;
  /**
   * A year or plan period (2022, 十四五): a passage about another year does not answer the
   * question however much else it shares with it.
   */
  specific: boolean;
  /**
   * A place name (安阳, 浙江省, 渤海新区): a passage from a document that never mentions the place
   * is about somewhere else, however well it covers the rest (see search.ts, places).
   */
  place?: boolean;
}

/** What kind of figure the question asks for, which the answering passage must then contain. */
export type AskedFigure = 'money' | 'percentage' | 'date';

export interface AnalyzedQuery {
  original: string;
  normalized: string;
  concepts: Concept[];
  /** Text for the keyword and vector searches: the question plus expansions. */
  expandedText: string;
  /** Extra phrases from the lexicon, searched with a lower weight than the user's own words. */
  expansions: string[];
  asks?: AskedFigure;
  /** Terms the user put in quotes (“三个一”): the document's own name for something. */
  quoted: string[];
  /** 啥意思/是什么: the answer is where the document defines the term (所称…是指). */
  definition?: boolean;
}

const ASKS_DEFINITION = /啥意思|什么意思|是什么|指什么|何为|什么叫|啥叫|指的是/;

const QUOTED = /[“"「『]([^”"」』]{1,20})[”"」』]/g;

const SPECIFIC = /^(?:(?:19|20)\d{2}|十[一二三四五六七八九]?五)$/;

export const ASKS_PERCENTAGE = /百分之几|百分之多少|百分比|占比|比例是?多少|占到?多少|几成|多少个点/;
/** When something happened or takes effect: the answer names a year (自2019年1月1日起施行). */
const ASKS_DATE = /什么时候|啥时候|哪天|哪一天|何时|哪年|哪一年|几月几[日号]|什么日子/;
export const ASKS_MONEY = /多少钱|多少元|多少万|几万|几千元|金额|(?:奖励|奖金|补贴|补助|资金|费用|收费)\S{0,3}多少/;

const CHINESE_DIGITS = '〇一二三四五六七八九十';
const SMALL_COUNT = /^(\d{1,2}|[一二两三四五六七八九十])(个|项|家|条|张|大|类)?$/;

/** Policy text writes small counts either way (6个专项行动, 六个方面): each form finds the other. */
function countForms(word: string): string[] {
  const match = SMALL_COUNT.exec(word);
  if (!match) return [word];
  const [, number = '', unit = ''] = match;
  const value = /\d/.test(number) ? Number(number) : number === '两' ? 2 : CHINESE_DIGITS.indexOf(number);
  if (value < 1 || value > 10) return [word];
  const other = /\d/.test(number) ? CHINESE_DIGITS[value] : String(value);
  return [word, `${other}${unit}`];
}

function askedFigure(question: string): AskedFigure | undefined {
  if (ASKS_PERCENTAGE.test(question)) return 'percentage';
  if (ASKS_MONEY.test(question)) return 'money';
  if (ASKS_DATE.test(question)) return 'date';
  return undefined;
}

/** Words that frame a question without saying what it is about. */
const GENERIC = new Set(
  `政策 规定 要求 情况 内容 措施 相关 有关 方面 工作 问题 办理 文件 具体 主要 哪些 多少 什么样 怎么样 方式 方法 流程 程序 条件
  标准 时间 时候 年 去年 今年 明年 情况下 东西 事 事情 事儿 部分 提到 讲 说 写 里面 当地 咱们 这边 那边 本地 啊 呢 吗 哪里
  有没有 是不是 能不能 可不可以 需不需要 要不要 怎么 如何 为什么 多久 几个 几家 多大 规划 计划 意见 实施 文件里
  一共 总共 最多 最少 至少 多长 多长时间 意思 啥意思 这块 那块 底下 人家 听说 据说 打算 到底`.split(/\s+/),
);

/** Place words that name no particular place, so no document needs to mention them. */
const NO_PARTICULAR_PLACE = new Set(`中国 全国 国内 国外 境内 境外 全省 全市 本省 本市 本地 当地 各地 地方 城乡 城市 农村`.split(/\s+/));
const PLACE_SUFFIX = /[\u3400-\u9fff]{2,}(?:新区|开发区|高新区|自贸区|省|市|县|区)$/;

/**
 * A candidate place name: what jieba tags `ns` (安阳, 浙江; but also 上门来, so search only trusts
 * places some document title names), or a CJK word with an administrative suffix (渤海新区).
 */
function isPlaceName({ word, tag }: TaggedWord): boolean {
  if (NO_PARTICULAR_PLACE.has(word) || !/^[\u3400-\u9fff]{2,8}$/.test(word)) return false;
  return tag === 'ns' || PLACE_SUFFIX.test(word);
}

const TOPIC_TAGS = /^(n|nr|ns|nt|nz|nrt|vn|an|j|eng|x)$/;

function salience({ word, tag }: TaggedWord): number {
  if (/\d/.test(word)) return 1;
  // A one-character noun (村, 指) is as often phrasing as topic.
  if (word.length === 1) return 0.5;
  if (TOPIC_TAGS.test(tag)) return 1;
  if (tag === 'v') return 0.5;
  return 0.2;
}

/**
 * jieba tags a word it only guessed (not in its dictionary) `x`. When the guess glues dictionary
 * words together (签了, 管着, 要建, 建多大, 最多能), it is the user's phrasing, not a term of its
 * own: it counts as its dictionary words (签, 管, 建, 最多) minus particles, with a verb's salience.
 */
function conceptOf(tagged: TaggedWord): Concept {
  const { word, tag } = tagged;
  const parts = tag === 'x' ? dictionaryWords(word) : [word];
  const content = parts.filter((part) => !isStopWord(part) && !GENERIC.has(part));
  if (parts.length === 1) {
    const place = isPlaceName(tagged);
    return {
      surface: word,
      forms: countForms(word),
      generic: GENERIC.has(word),
      salience: salience(tagged),
      specific: SPECIFIC.test(word),
      ...(place ? { place } : {}),
    };
  }
  return {
    surface: word,
    forms: [word, ...content],
    generic: content.length === 0,
    salience: 0.5,
    specific: false,
  };
}

function findLexiconMatches(text: string, lexicon: Lexicon): { start: number; end: number; key: string }[] {
  const keys = [...lexicon.keys()].filter((key) => text.includes(key)).sort((a, b) => b.length - a.length);
  const taken: { start: number; end: number; key: string }[] = [];
  for (const key of keys) {
    let from = 0;
    for (let at = text.indexOf(key, from); at !== -1; at = text.indexOf(key, from)) {
      from = at + key.length;
      if (taken.some((span) => at < span.end && at + key.length > span.start)) continue;
      taken.push({ start: at, end: at + key.length, key });
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

export function analyzeQuery(question: string, lexicon: Lexicon): AnalyzedQuery {
  const normalized = normalizeQuery(question);
  const lower = normalized.toLowerCase();
  const matches = findLexiconMatches(lower, lexicon);
  const concepts: Concept[] = [];
  const expansions = new Set<string>();
  let rest = '';
  let cursor = 0;
  for (const match of matches) {
    rest += `${lower.slice(cursor, match.start)} `;
    cursor = match.end;
    const forms = [match.key, ...(lexicon.get(match.key) ?? [])];
    for (const form of forms.slice(1)) expansions.add(form);
    // 哪个部门 … 负责 both stand for 责任单位: one thing asked, counted once. Synonyms the user
    // wrote side by side (新三板挂牌) are two things said, and stay two.
    const same = concepts.find(
      (concept) =>
        !concept.forms.includes(match.key) &&
        !forms.includes(concept.surface) &&
        concept.forms.slice(1).some((form) => forms.slice(1).includes(form)),
    );
    if (same) {
      same.forms = [...new Set([...same.forms, ...forms])];
      continue;
    }
    concepts.push({ surface: match.key, forms, generic: false, salience: 1, specific: SPECIFIC.test(match.key) });
  }
  rest += lower.slice(cursor);
  for (const tagged of tagWords(rest)) {
    const { word } = tagged;
    if (isStopWord(word) || concepts.some((concept) => concept.surface === word)) continue;
    // A lone CJK character is too ambiguous to decide anything, unless it is a noun (几个村, 几座桥);
    // numbers and Latin words are not.
    if (word.length === 1 && /[\u3400-\u9fff]/.test(word) && !/^(n|ng|zg)$/.test(tagged.tag)) continue;
    concepts.push(conceptOf(tagged));
  }
  const expansionList = [...expansions].filter((form) => !lower.includes(form));
  const asks = askedFigure(lower);
  return {
    original: question,
    normalized,
    concepts,
    expandedText: [normalized, ...expansionList].join(' '),
    expansions: expansionList,
    quoted: [...lower.matchAll(QUOTED)].map((match) => match[1] ?? '').filter((term) => term.trim() !== ''),
    ...(asks ? { asks } : {}),
    ...(ASKS_DEFINITION.test(lower) ? { definition: true } : {}),
  };
}
