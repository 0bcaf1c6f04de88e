/**
 * @module Chinese word segmentation shared by ingest (keyword index, local embeddings) and
 * retrieval (queries), so both sides cut text the same way. jieba with a domain dictionary keeps
 * terms such as 一窗通办 and 容缺承诺制 whole.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';

const DOMAIN_WORDS_FILE = new URL('./domain-words.txt', import.meta.url);

/** jieba wants `word freq tag`; our data file allows comments and an omitted frequency. */
function domainDictionary(): Uint8Array {
  const lines = readFileSync(DOMAIN_WORDS_FILE, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [word, frequency] = line.split(/\s+/);
      return `${word} ${frequency ?? 20000} n`;
    });
  return new TextEncoder().encode(lines.join('\n'));
}

/**
 * jieba's own dictionary, read when needed rather than through the package's dict.js, which holds
 * it and an IDF table we never use (11 MB) in memory for the life of every thread importing it.
 */
function jiebaDictionary(): Buffer {
  return readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt'));
}

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(jiebaDictionary());
    jieba.loadDict(domainDictionary());
  }
  return jieba;
}

/** Words that carry no meaning for retrieval; kept short on purpose (policy text is dense). */
const STOP_WORDS = new Set(
  `的 了 和 与 及 或 等 是 在 对 为 以 把 被 将 于 从 向 由 其 之 而 并 也 都 就 还 又 该 此 这 那 这个 那个 这些 那些
  有 有没有 没有 吗 呢 吧 啊 呀 嘛 哪 哪些 哪个 什么 怎么 怎样 如何 多少 几 是否 能 能否 可以 可 要 需要 想 请问 请 问
  一下 一个 我 我们 你 你们 他们 它 咱 谁 给 让 吧 啥 么 得 地 着 过 个 下 上 中 里 内 到 去 来 说 知道 告诉 具体 现在
  目前 应该 一般 都有 大概`.split(/\s+/),
);

const PUNCTUATION_OR_SPACE = /^[\p{P}\p{S}\p{Z}\s]+$/u;

export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}

/**
 * Tokens for indexing and matching: jieba search mode (emits both 国民经济 and 国民/经济),
 * lower-cased, without punctuation and stop words. Duplicates are kept (term frequency matters).
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const raw of segmenter().cutForSearch(text, true)) {
    const token = raw.trim().toLowerCase();
    if (token === '' || PUNCTUATION_OR_SPACE.test(token) || STOP_WORDS.has(token)) continue;
    tokens.push(token);
  }
  return tokens;
}

const CJK_RUN = /[\u3400-\u9fff]+/g;

/** Marks character-bigram terms so they never collide with a jieba word of the same two characters. */
export const BIGRAM_MARK = '~';

/**
 * Overlapping character pairs of every CJK run (下辖七个村 → 下辖 辖七 七个 个村), marked. They
 * match where word segmentation disagrees between question and document (几个村 vs 七个村,
 * 拆违建 vs 拆违治乱) without any dictionary.
 */
export function charBigrams(text: string): string[] {
  const bigrams: string[] = [];
  for (const run of text.match(CJK_RUN) ?? []) {
    for (let index = 0; index + 1 < run.length; index++) bigrams.push(`${BIGRAM_MARK}${run.slice(index, index + 2)}`);
  }
  return bigrams;
}

export interface TaggedWord {
  word: string;
  /** jieba's part-of-speech tag: n noun, ns place, v verb, vn verbal noun, m numeral, r pronoun … */
  tag: string;
}

/**
 * The dictionary words inside `text` with their tags, without jieba's guesses for unknown words:
 * 签了 → 签/了, 最多能 → 最多/能. Lets query analysis see through colloquial forms jieba glued
 * together.
 */
export function dictionaryWords(text: string): TaggedWord[] {
  return segmenter()
    .tag(text, false)
    .map(({ word, tag }) => ({ word: word.trim().toLowerCase(), tag }))
    .filter(({ word }) => word !== '' && !PUNCTUATION_OR_SPACE.test(word));
}

/** Administrative suffixes: 郑州市, 江苏省, 安化县, 海淀区, 湘西土家族苗族自治州. */
const DIVISION = /^[\u4e00-\u9fff]{2,12}(?:省|市|县|区|州|盟)$/;

let divisions: Set<string> | undefined;

/** The divisions jieba's dictionary knows as places (`ns`): built once, on first use. */
function dictionaryDivisions(): Set<string> {
  if (!divisions) {
    divisions = new Set();
    for (const match of jiebaDictionary().toString('utf8').matchAll(/^(\S+) \d+ ns$/gm)) {
      const word = match[1] ?? '';
      if (DIVISION.test(word)) divisions.add(word);
    }
  }
  return divisions;
}

/**
 * An administrative division by jieba's dictionary: a place it lists with its suffix (安化县,
 * 郑州市), or a name it lists as a city or province (郑州 → 郑州市, 江苏 → 江苏省). jieba also tags
 * words such as 上市 and 新建 as places; those name no city or province, so they are not taken.
 */
export function isAdministrativeDivision(word: string): boolean {
  const known = dictionaryDivisions();
  return known.has(word) || known.has(`${word}市`) || known.has(`${word}省`);
}

/** Plain segmentation with part-of-speech tags, for query analysis. */
export function tagWords(text: string): TaggedWord[] {
  return segmenter()
    .tag(text, true)
    .map(({ word, tag }) => ({ word: word.trim().toLowerCase(), tag }))
    .filter(({ word }) => word !== '' && !PUNCTUATION_OR_SPACE.test(word));
}
