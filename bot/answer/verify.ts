/**
 * @module Checks a model's answer against the passages it was given, before anyone sees it.
 *
 * The answer is cut into sentences. A sentence is kept only when
 *  - it cites at least one passage that was given ([n] with 1 ≤ n ≤ N; a marker outside that
 *    range is removed, and a sentence left with no valid marker is dropped),
 *  - every number in it (Arabic digits with decimals, %, 万/亿, and Chinese numerals such as
 *    三个 / 十五 / 百分之四十 / 二〇一九年) occurs in one of the passages it cites,
 *  - every quotation (“…” "…" 「…」 『…』) is verbatim in one of the passages it cites,
 *  - it shares enough wording with the passages it cites (a claim about something else is not
 *    "supported" merely because it carries a marker).
 * A sentence without any marker is kept only when it states nothing (a lead-in ending in a
 * colon, a very short connective, "the documents do not say"), or when a marked sentence follows
 * on the same line (`A。B。[1]`): then it is checked against that sentence's passages like the
 * rest. Everything else is dropped with a reason. Citations are renumbered to the passages actually cited, each quoting the
 * passage sentence that best supports the sentences citing it.
 */
import { sectionPath } from '../../core/index.ts';
import { splitSentences } from '../../core/text/index.ts';
import { matchKey } from '../../core/text/index.ts';
import type { RetrievedChunk } from '../retrieval/index.ts';
import type { Citation } from './types.ts';

export interface DroppedSentence {
  sentence: string;
  reason: string;
}

export interface VerifiedAnswer {
  /** False when nothing cited survived: use the extractive answer instead. */
  ok: boolean;
  /** The repaired answer with renumbered markers (empty when not ok). */
  text: string;
  citations: Citation[];
  dropped: DroppedSentence[];
  /** Why the answer as a whole was rejected, when `ok` is false. */
  failure?: string;
}

export interface VerifyOptions {
  /** Minimum share of a sentence's character bigrams found in the passages it cites. */
  minSupport: number;
  /** Unmarked sentences up to this many characters (punctuation excluded) count as connectives. */
  maxConnectiveChars: number;
}

export const DEFAULT_VERIFY: VerifyOptions = { minSupport: 0.3, maxConnectiveChars: 8 };

/** The phrase the prompt asks the model to use when the passages do not answer. */
export const NO_ANSWER_PHRASE = '文档中没有相关规定';
const ABSENCE = /文档中没有|没有(?:相关|明确|具体)?(?:的)?规定|未(?:作|做|有)?(?:相关|明确|具体)?规定|未(?:提及|涉及|说明)|没有(?:提及|涉及|说明)/;

// ------------------------------------------------------------------ markers

// One or two digits: `[2018]` in a document number such as 渤新管字[2018]168号 is not a marker.
const MARKER_GROUP = /[[［【]\s*([0-9０-９]{1,2}(?:\s*(?:[,，、]|[-–~～])\s*[0-9０-９]{1,2})*)\s*[\]］】]/g;
const MARKER = /\[(\d{1,2})\]/g;

function toAsciiDigits(text: string): string {
  return text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
}

/** `［1］`, `【1,2】`, `[1、3]`, `[1-3]` → `[1]`, `[1][2]`, `[1][3]`, `[1][2][3]`. */
export function normalizeMarkers(text: string): string {
  return text.replace(MARKER_GROUP, (_whole, inner: string) => {
    const numbers: number[] = [];
    for (const part of toAsciiDigits(inner).split(/\s*[,，、]\s*/)) {
      const range = /^(\d+)\s*[-–~～]\s*(\d+)$/.exec(part);
      if (range) {
        const from = Number(range[1]);
        const to = Number(range[2]);
        for (let n = from; n <= to && n - from < 20; n++) numbers.push(n);
      } else if (/^\d+$/.test(part)) numbers.push(Number(part));
    }
    return numbers.map((n) => `[${n}]`).join('');
  });
}

function markersIn(text: string): number[] {
  return [...text.matchAll(MARKER)].map((match) => Number(match[1]));
}

// ------------------------------------------------------------------ numbers

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_SMALL_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const CN_BIG_UNIT: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };
const CN_RUN = /[零〇一二两三四五六七八九十百千万亿]+/g;
const CN_HAS_DIGIT = /[零〇一二两三四五六七八九十]/;
/** Words after a Chinese numeral that make it a quantity (三个, 十五项, 二〇一九年, 四化 …). */
const CN_UNIT_AFTER = /^(?:个|项|次|年|月|日|号|天|周|小时|分钟|家|名|人|位|元|块|%|倍|批|条|款|类|种|级|所|座|件|户|亩|平方|公里|千米|米|吨|台|套|张|份|层|期|轮|成|岗|场|届|大|化|环节|证|章|节|部门|方面|点|区|园)/;
const ARABIC = /(\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|万|亿|千)?/g;

/** 十五 → 15, 一百二十 → 120, 三千五百万 → 35000000, 二〇一九 → 2019; undefined when not a number. */
export function parseChineseNumber(text: string): number | undefined {
  if (!CN_HAS_DIGIT.test(text)) return undefined;
  if (/^[零〇一二两三四五六七八九]{2,}$/.test(text)) return Number([...text].map((char) => CN_DIGIT[char]).join(''));
  let total = 0;
  let section = 0;
  let current = 0;
  for (const char of text) {
    if (char in CN_DIGIT) current = CN_DIGIT[char]!;
    else if (char in CN_SMALL_UNIT) {
      section += (current || 1) * CN_SMALL_UNIT[char]!;
      current = 0;
    } else if (char in CN_BIG_UNIT) {
      total = (total + section + current) * CN_BIG_UNIT[char]!;
      section = 0;
      current = 0;
    }
  }
  return total + section + current;
}

export interface NumberMention {
  raw: string;
  value: number;
}

/** Numbers an answer states (strict for Chinese numerals: only quantities, not 统一 or 一窗通办). */
export function numbersStated(text: string): NumberMention[] {
  const normalized = text.normalize('NFKC');
  const found: NumberMention[] = [];
  for (const match of normalized.matchAll(ARABIC)) {
    const base = Number(match[1]!.replace(/,/g, ''));
    const unit = match[2];
    const value = unit === '万' ? base * 1e4 : unit === '亿' ? base * 1e8 : unit === '千' ? base * 1e3 : base;
    found.push({ raw: match[0].trim(), value });
  }
  for (const match of normalized.matchAll(CN_RUN)) {
    const run = match[0];
    const value = parseChineseNumber(run);
    if (value === undefined) continue;
    const start = match.index ?? 0;
    const after = normalized.slice(start + run.length, start + run.length + 2);
    const before = normalized.slice(Math.max(0, start - 3), start);
    const quantity =
      CN_UNIT_AFTER.test(after) ||
      /百分之$|第$/.test(before) ||
      (run.length >= 2 && /[十百千万亿]/.test(run)) ||
      /^[零〇一二两三四五六七八九]{2,}$/.test(run);
    if (quantity) found.push({ raw: run, value });
  }
  return found;
}

/** Every value a passage mentions, read generously (any numeral run, with and without 万/亿). */
function numbersIn(text: string): Set<number> {
  const normalized = text.normalize('NFKC');
  const values = new Set<number>();
  for (const match of normalized.matchAll(ARABIC)) {
    const base = Number(match[1]!.replace(/,/g, ''));
    values.add(base);
    const unit = match[2];
    if (unit === '万') values.add(base * 1e4);
    if (unit === '亿') values.add(base * 1e8);
    if (unit === '千') values.add(base * 1e3);
  }
  for (const match of normalized.matchAll(CN_RUN)) {
    const value = parseChineseNumber(match[0]);
    if (value !== undefined) values.add(value);
    const withoutBig = match[0].replace(/[万亿]+$/, '');
    const small = withoutBig !== match[0] ? parseChineseNumber(withoutBig) : undefined;
    if (small !== undefined) values.add(small);
    // Digits standing alone inside a run (三个一 → 3 and 1) are mentions too.
    for (const char of match[0]) if (char in CN_DIGIT) values.add(CN_DIGIT[char]!);
  }
  return values;
}

// ------------------------------------------------------------------ wording

const WORD_CHAR = /[\p{Script=Han}\p{L}\p{N}]/u;

function bigrams(text: string): string[] {
  const chars = [...text.normalize('NFKC').toLowerCase()].filter((char) => WORD_CHAR.test(char));
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let index = 0; index + 1 < chars.length; index++) out.push(chars[index]! + chars[index + 1]!);
  return out;
}

function support(claim: string, source: Set<string>): number {
  const grams = bigrams(claim);
  if (grams.length === 0) return 1;
  return grams.filter((gram) => source.has(gram)).length / grams.length;
}

const QUOTATION = /[“"「『]([^“”"「」『』\n]{2,}?)[”"」』]/g;

function quotationsIn(text: string): string[] {
  return [...text.matchAll(QUOTATION)].map((match) => match[1]!.trim()).filter((quote) => quote.length >= 2);
}

// ------------------------------------------------------------------ sentences

/** Sentence-sized segments whose concatenation is the text; markers after a full stop stay with the sentence before. */
const SEGMENT = /[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)】"]*(?:[ \t]*\[\d{1,2}\])*|\n|$)/g;
const LIST_PREFIX = /^\s*(?:[-*•·]\s+|\d{1,2}[.、)）](?!\d)\s*|[（(][一二三四五六七八九十\d]{1,3}[)）]\s*|[一二三四五六七八九十]{1,3}、\s*|#{1,6}\s+)/;

function segmentsOf(text: string): string[] {
  return [...text.matchAll(SEGMENT)].map((match) => match[0]).filter((segment) => segment !== '');
}

/** What a sentence says, without markers, list numbering and markdown emphasis. */
function claimOf(segment: string): string {
  return segment.replace(MARKER, '').replace(/\*\*|__/g, '').replace(LIST_PREFIX, '').trim();
}

/** 《…》 names of documents that were given; another title is not a connective's business. */
function withoutKnownTitles(claim: string, titles: string[]): string | undefined {
  let unknown = false;
  const rest = claim.replace(/《([^《》]*)》/g, (_whole, name: string) => {
    if (!titles.some((title) => matchKey(title) === matchKey(name))) unknown = true;
    return '';
  });
  return unknown ? undefined : rest;
}

function isConnective(fullClaim: string, titles: string[], options: VerifyOptions): boolean {
  const claim = withoutKnownTitles(fullClaim, titles);
  if (claim === undefined) return false;
  if (numbersStated(claim).length > 0 || quotationsIn(claim).length > 0) return false;
  if (/[：:]\s*$/.test(claim)) return true;
  if (ABSENCE.test(claim)) return true;
  return claim.replace(/[^\p{L}\p{N}]/gu, '').length <= options.maxConnectiveChars;
}

/** The text a passage was shown with: what a claim citing it may draw on. */
export function passageSourceText(hit: RetrievedChunk): string {
  const { document, chunk } = hit;
  return [document.title, sectionPath(chunk.headings), document.date ?? '', document.docNumber ?? '', chunk.text].join('\n');
}

interface PassageFacts {
  source: string;
  key: string;
  numbers: Set<number>;
  grams: Set<string>;
}

function factsOf(hit: RetrievedChunk): PassageFacts {
  const source = passageSourceText(hit);
  return { source, key: matchKey(source), numbers: numbersIn(source), grams: new Set(bigrams(source)) };
}

function checkClaim(claim: string, cited: PassageFacts[], options: VerifyOptions): string | undefined {
  for (const number of numbersStated(claim)) {
    if (!cited.some((facts) => facts.numbers.has(number.value) || facts.key.includes(matchKey(number.raw)))) {
      return `数字“${number.raw}”不在所引段落中`;
    }
  }
  for (const quote of quotationsIn(claim)) {
    if (!cited.some((facts) => facts.key.includes(matchKey(quote)))) return `引文“${quote}”与原文不一致`;
  }
  const grams = new Set(cited.flatMap((facts) => [...facts.grams]));
  const share = support(claim, grams);
  if (share < options.minSupport) return `内容与所引段落不符（重合 ${Math.round(share * 100)}%）`;
  return undefined;
}

/** The sentence of the passage that shares most wording with the claims that cite it. */
function bestQuote(hit: RetrievedChunk, claims: string[]): string {
  const sentences = splitSentences(hit.chunk.text).filter((sentence) => sentence.text.length >= 4);
  if (sentences.length === 0) return hit.chunk.text.trim();
  let best = sentences[0]!.text;
  let bestScore = -1;
  for (const sentence of sentences) {
    const grams = new Set(bigrams(sentence.text));
    const score = Math.max(...claims.map((claim) => {
      const claimGrams = bigrams(claim);
      return claimGrams.length === 0 ? 0 : claimGrams.filter((gram) => grams.has(gram)).length / claimGrams.length;
    }));
    if (score > bestScore) {
      best = sentence.text;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Verifies and repairs `raw` (the model's answer) against `passages`, numbered 1..N in the order
 * they were shown to the model.
 */
export function verifyAnswer(raw: string, passages: RetrievedChunk[], options: VerifyOptions = DEFAULT_VERIFY): VerifiedAnswer {
  const facts = passages.map(factsOf);
  const titles = passages.map((hit) => hit.document.title);
  const dropped: DroppedSentence[] = [];
  const kept: { segment: string; cites: number[]; claim: string }[] = [];

  const segments = segmentsOf(normalizeMarkers(raw.trim())).map((segment) => ({ segment, claim: claimOf(segment), markers: markersIn(segment) }));
  /** Markers of the next marked sentence on the same line: `A。B。[1]` cites [1] for A too. */
  const inherited = (index: number): number[] => {
    for (let next = index; next < segments.length; next++) {
      const { segment, markers } = segments[next]!;
      if (next > index && markers.length > 0) return markers;
      if (segment.endsWith('\n')) return [];
    }
    return [];
  };
  let droppedLast = false;
  let droppedBefore = 0;
  for (const [index, { segment, claim, markers: own }] of segments.entries()) {
    droppedLast = index > 0 && dropped.length > droppedBefore;
    droppedBefore = dropped.length;
    let markers = own;
    if (claim === '') {
      // A bare line break or a stray marker line: keep layout, drop orphan markers, and do not
      // leave an empty line where a dropped sentence stood.
      const previous = kept.at(-1)?.segment;
      const lineOfDropped = droppedLast && (previous === undefined || previous.endsWith('\n'));
      if (markers.length === 0 && !(lineOfDropped && segment.includes('\n'))) kept.push({ segment, cites: [], claim });
      continue;
    }
    if (markers.length === 0) {
      if (isConnective(claim, titles, options)) {
        kept.push({ segment, cites: [], claim });
        continue;
      }
      markers = inherited(index);
      if (markers.length === 0) {
        dropped.push({ sentence: claim, reason: '未标注出处' });
        continue;
      }
    }
    const valid = [...new Set(markers.filter((n) => n >= 1 && n <= passages.length))];
    const invalid = [...new Set(markers.filter((n) => n < 1 || n > passages.length))];
    if (valid.length === 0) {
      dropped.push({ sentence: claim, reason: `引用了不存在的段落 ${invalid.map((n) => `[${n}]`).join('')}` });
      continue;
    }
    const problem = checkClaim(claim, valid.map((n) => facts[n - 1]!), options);
    if (problem) {
      dropped.push({ sentence: claim, reason: problem });
      continue;
    }
    const cleaned = invalid.length > 0 && own.length > 0 ? segment.replace(MARKER, (whole, n: string) => (valid.includes(Number(n)) ? whole : '')) : segment;
    kept.push({ segment: cleaned, cites: valid, claim });
  }

  const order: number[] = [];
  for (const entry of kept) for (const n of entry.cites) if (!order.includes(n)) order.push(n);
  if (order.length === 0) {
    return { ok: false, text: '', citations: [], dropped, failure: dropped.length > 0 ? '没有能在原文中核实的句子' : '回答没有标注出处' };
  }

  const renumber = new Map(order.map((n, index) => [n, index + 1]));
  const citations: Citation[] = order.map((n) => {
    const hit = passages[n - 1]!;
    const claims = kept.filter((entry) => entry.cites.includes(n)).map((entry) => entry.claim);
    return {
      n: renumber.get(n)!,
      docId: hit.document.docId,
      title: hit.document.title,
      section: sectionPath(hit.chunk.headings),
      quote: bestQuote(hit, claims),
      passage: hit.chunk.text,
      ...(hit.document.date ? { date: hit.document.date } : {}),
      ...(hit.document.docNumber ? { docNumber: hit.document.docNumber } : {}),
    };
  });
  const text = kept
    .map((entry) => entry.segment.replace(MARKER, (_whole, n: string) => `[${renumber.get(Number(n)) ?? n}]`).replace(/(\[\d+\])\1+/g, '$1'))
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { ok: true, text, citations, dropped };
}
