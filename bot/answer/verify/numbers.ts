/**
 * @module Numbers in text: Arabic figures (with decimals, %, 万/亿/千) and Chinese numerals
 * (三个 / 十五 / 百分之四十 / 二〇一九年), read strictly in a claim and generously in a passage.
 */

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_SMALL_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const CN_BIG_UNIT: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };
const CN_RUN = /[零〇一二两三四五六七八九十百千万亿]+/g;
const CN_HAS_DIGIT = /[零〇一二两三四五六七八九十]/;
/** Digit by digit, without units: 二〇一九. */
const CN_DIGITS_ONLY = /^[零〇一二两三四五六七八九]{2,}$/;
/** Words after a Chinese numeral that make it a quantity (三个, 十五项, 二〇一九年, 四化 …). */
const CN_UNIT_AFTER = /^(?:个|项|次|年|月|日|号|天|周|小时|分钟|家|名|人|位|元|块|%|倍|批|条|款|类|种|级|所|座|件|户|亩|平方|公里|千米|米|吨|台|套|张|份|层|期|轮|成|岗|场|届|大|化|环节|证|章|节|部门|方面|点|区|园)/;
const ARABIC = /(\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|万|亿|千)?/g;
const ARABIC_SCALE: Record<string, number> = { 万: 1e4, 亿: 1e8, 千: 1e3 };

/** 十五 → 15, 一百二十 → 120, 三千五百万 → 35000000, 二〇一九 → 2019; undefined when not a number. */
export function parseChineseNumber(text: string): number | undefined {
  if (!CN_HAS_DIGIT.test(text)) return undefined;
  if (CN_DIGITS_ONLY.test(text)) return Number([...text].map((char) => CN_DIGIT[char]).join(''));
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

/** Arabic figures as written, with their value before and the scale of a 万/亿/千 after them. */
function arabicFigures(normalized: string): { raw: string; base: number; scale: number | undefined }[] {
  return [...normalized.matchAll(ARABIC)].map((match) => ({
    raw: match[0].trim(),
    base: Number(match[1]!.replace(/,/g, '')),
    scale: match[2] === undefined ? undefined : ARABIC_SCALE[match[2]],
  }));
}

export interface NumberMention {
  raw: string;
  value: number;
}

/** Numbers an answer states (strict for Chinese numerals: only quantities, not 统一 or 一窗通办). */
export function numbersStated(text: string): NumberMention[] {
  const normalized = text.normalize('NFKC');
  const found: NumberMention[] = arabicFigures(normalized).map(({ raw, base, scale }) => ({ raw, value: scale === undefined ? base : base * scale }));
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
      CN_DIGITS_ONLY.test(run);
    if (quantity) found.push({ raw: run, value });
  }
  return found;
}

/** Every value a passage mentions, read generously (any numeral run, with and without 万/亿). */
export function numbersIn(text: string): Set<number> {
  const normalized = text.normalize('NFKC');
  const values = new Set<number>();
  for (const { base, scale } of arabicFigures(normalized)) {
    values.add(base);
    if (scale !== undefined) values.add(base * scale);
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
