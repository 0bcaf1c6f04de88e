/**
 * @module Query normalisation: full-width → half-width and compatibility forms (NFKC), and
 * traditional → simplified characters, so 開公司要跑幾次？ matches the simplified documents.
 */
import * as OpenCC from 'opencc-js';

let toSimplified: ((text: string) => string) | undefined;

export function normalizeQuery(text: string): string {
  const convert = toSimplified ?? OpenCC.Converter({ from: 't', to: 'cn' });
  toSimplified = convert;
  return convert(text.normalize('NFKC')).replace(/\s+/g, ' ').trim();
}

/**
 * A comparison key that ignores width, spacing and table cell borders, for evidence matching: a
 * phrase that runs across two cells of a table row still matches the row.
 */
export function matchKey(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u3000|]+/g, '');
}
