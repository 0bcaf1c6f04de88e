/**
 * @module Dates as policy documents write them, read into ISO form: 2022年9月27日, 2022 年 9 月
 * 27 日 (PDF text layers space the digits out), 二〇二二年九月二十七日, 2022-09-27, 2022.9.27.
 * A date without its day (2025年4月) reads as YYYY-MM.
 */
const CN_DIGIT = new Map([...'〇一二三四五六七八九'].map((character, value) => [character, value]));
for (const zero of '○零OＯ') CN_DIGIT.set(zero, 0);
const CN_DIGITS = [...CN_DIGIT.keys()].join('');
const CN_SMALL = '[一二三四五六七八九十]{1,3}';

const arabic = (day: '' | '?') => String.raw`(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)${day}`;
const chinese = (day: '' | '?') => `[${CN_DIGITS}]{4}\\s*年\\s*${CN_SMALL}\\s*月(?:\\s*${CN_SMALL}\\s*日)${day}`;
const NUMERIC = String.raw`(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}(?!\d)`;

/** One date in any of the forms, for building larger patterns (no capturing groups). */
export const DATE = `(?:${arabic('?')}|${chinese('?')}|${NUMERIC})`;

/** A date with its day written out in words (年月日), alone on its line: how a signature is dated. */
export const SIGNATURE_DATE_LINE = new RegExp(`^(?:${arabic('')}|${chinese('')})$`);

/** 二十七 → 27, 十二 → 12, 九 → 9: the numbers of months and days. */
function chineseNumber(text: string): number {
  const [tens, ones] = text.split('十');
  if (ones === undefined) return CN_DIGIT.get(text) ?? 0;
  return (tens === '' ? 1 : (CN_DIGIT.get(tens ?? '') ?? 0)) * 10 + (CN_DIGIT.get(ones) ?? 0);
}

function isoDate(year: number, month: number, day: number | undefined): string | undefined {
  if (month < 1 || month > 12 || (day !== undefined && (day < 1 || day > 31))) return undefined;
  return [String(year), String(month).padStart(2, '0'), ...(day === undefined ? [] : [String(day).padStart(2, '0')])].join('-');
}

const READERS: { pattern: RegExp; read: (parts: string[]) => string | undefined }[] = [
  {
    pattern: /((?:19|20)\d{2})年(\d{1,2})月(?:(\d{1,2})日)?/,
    read: ([year, month, day]) => isoDate(Number(year), Number(month), day === undefined ? undefined : Number(day)),
  },
  {
    pattern: new RegExp(`([${CN_DIGITS}]{4})年(${CN_SMALL})月(?:(${CN_SMALL})日)?`),
    read: ([year = '', month = '', day]) =>
      isoDate(Number([...year].map((digit) => CN_DIGIT.get(digit)).join('')), chineseNumber(month), day === undefined ? undefined : chineseNumber(day)),
  },
  {
    pattern: /((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})(?!\d)/,
    read: ([year, month, day]) => isoDate(Number(year), Number(month), Number(day)),
  },
];

/** The first date in `text` as YYYY-MM-DD (or YYYY-MM), or undefined when there is none. */
export function parseDate(text: string): string | undefined {
  // Only the spaces around 年月日 go: a date followed by its time (2022-08-16 10:00) stays apart.
  const compact = text.replace(/\s*([年月日])\s*/g, '$1');
  let first: { index: number; date: string | undefined } | undefined;
  for (const { pattern, read } of READERS) {
    const match = compact.match(pattern);
    if (match && (first === undefined || (match.index ?? 0) < first.index)) {
      first = { index: match.index ?? 0, date: read(match.slice(1) as string[]) };
    }
  }
  return first?.date;
}
