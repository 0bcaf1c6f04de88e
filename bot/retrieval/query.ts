/**
 * @module Understanding a question: normalise it, find the concepts it asks about, and the other
 * words each concept may appear as in the documents. A concept is covered by a passage when any
 * of its forms occurs there; coverage is what decides between answering and refusing.
 */
import { normalizeQuery } from '../../core/text/normalize.ts';
import { dictionaryWords, isStopWord, tagWords, type TaggedWord } from '../../core/text/tokenizer.ts';
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
}

export interface AnalyzedQuery {
  original: string;
  normalized: string;
  concepts: Concept[];
  /** Text for the keyword and vector searches: the question plus expansions. */
  expandedText: string;
  /** Extra phrases from the lexicon, searched with a lower weight than the user's own words. */
  expansions: string[];
}

/** Words that frame a question without saying what it is about. */
const GENERIC = new Set(
  `政策 规定 要求 情况 内容 措施 相关 有关 方面 工作 问题 办理 文件 具体 主要 哪些 多少 什么样 怎么样 方式 方法 流程 程序 条件
  标准 时间 时候 年 去年 今年 明年 情况下 东西 事 事情 事儿 部分 提到 讲 说 写 里面 当地 咱们 这边 那边 本地 啊 呢 吗 哪里
  有没有 是不是 能不能 可不可以 需不需要 要不要 怎么 如何 为什么 多久 几个 几家 多大 规划 计划 意见 实施 文件里
  一共 总共 最多 最少 至少 多长 多长时间 意思 啥意思 这块 那块 底下 人家 听说 据说 打算 到底`.split(/\s+/),
);

const TOPIC_TAGS = /^(n|nr|ns|nt|nz|nrt|vn|an|j|eng|x)$/;

function salience({ word, tag }: TaggedWord): number {
  if (/\d/.test(word)) return 1;
  if (TOPIC_TAGS.test(tag)) return 1;
  if (tag === 'v') return 0.5;
  return 0.2;
}

/**
 * jieba tags a word it only guessed (not in its dictionary) `x`. When the guess is a verb glued to
 * a particle or modal (签了, 管着, 要建, 最多能), the user's phrasing is not a term of its own: it
 * counts as its remaining dictionary words (签, 管, 建, 最多), with a verb's salience.
 */
function conceptOf(tagged: TaggedWord): Concept {
  const { word, tag } = tagged;
  const parts = tag === 'x' ? dictionaryWords(word) : [word];
  const content = parts.filter((part) => !isStopWord(part));
  if (content.length === parts.length) {
    return { surface: word, forms: [word], generic: GENERIC.has(word), salience: salience(tagged) };
  }
  return {
    surface: word,
    forms: [word, ...content],
    generic: content.every((part) => GENERIC.has(part)),
    salience: 0.5,
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
    forms.slice(1).forEach((form) => expansions.add(form));
    concepts.push({ surface: match.key, forms, generic: false, salience: 1 });
  }
  rest += lower.slice(cursor);
  for (const tagged of tagWords(rest)) {
    const { word } = tagged;
    if (isStopWord(word) || concepts.some((concept) => concept.surface === word)) continue;
    // A lone CJK character is too ambiguous to decide anything; numbers and Latin words are not.
    if (word.length === 1 && /[\u3400-\u9fff]/.test(word)) continue;
    concepts.push(conceptOf(tagged));
  }
  const expansionList = [...expansions].filter((form) => !lower.includes(form));
  return {
    original: question,
    normalized,
    concepts,
    expandedText: [normalized, ...expansionList].join(' '),
    expansions: expansionList,
  };
}
