/**
 * @module Word's automatic list numbers as the reader sees them. Chinese regulations are often
 * typed with numbering styles ("第%1章", "第%1条　" in chineseCounting), so 第一章 and 第六条 are
 * in numbering.xml, not in the paragraph's text; without them a chapter heading reads "总则" and the
 * chunker cannot find the 章/条 structure.
 *
 * Hand-written: mammoth (and every other docx reader on npm we looked at) keeps only whether a
 * list is ordered, not the label Word draws.
 */
import { childElements, wAttr, type XmlElement } from './docx-xml.ts';

interface Level {
  start: number;
  format: string;
  text: string;
  suffix: string;
  legal: boolean;
}

interface ListInstance {
  abstractId: string;
  startOverrides: Map<number, number>;
}

const CN_DIGIT = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const CN_LEGAL_DIGIT = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const CN_UNITS = ['', '十', '百', '千'];
const CN_LEGAL_UNITS = ['', '拾', '佰', '仟'];
const HEAVENLY_STEMS = '甲乙丙丁戊己庚辛壬癸';
const EARTHLY_BRANCHES = '子丑寅卯辰巳午未申酉戌亥';
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (up to 9999). */
function chineseCount(value: number, digits = CN_DIGIT, units = CN_UNITS): string {
  if (value <= 0 || value > 9999) return String(value);
  const parts = String(value).split('').map(Number);
  let out = '';
  let pendingZero = false;
  parts.forEach((digit, index) => {
    const unit = units[parts.length - 1 - index] ?? '';
    if (digit === 0) {
      pendingZero = out !== '';
      return;
    }
    if (pendingZero) out += digits[0];
    pendingZero = false;
    // 十一, not 一十一, at the head of a number below twenty.
    out += digit === 1 && unit === units[1] && out === '' && digits === CN_DIGIT ? unit : `${digits[digit]}${unit}`;
  });
  return out;
}

function letters(value: number): string {
  // Word repeats the letter: 27 → AA, 28 → BB.
  const letter = String.fromCharCode(65 + ((value - 1) % 26));
  return letter.repeat(Math.floor((value - 1) / 26) + 1);
}

function roman(value: number): string {
  const table: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let rest = value;
  let out = '';
  for (const [amount, symbol] of table) {
    while (rest >= amount) {
      out += symbol;
      rest -= amount;
    }
  }
  return out;
}

/** A counter in one of the w:numFmt formats seen in Chinese documents (others fall back to digits). */
function formatNumber(value: number, format: string): string {
  switch (format) {
    case 'none':
    case 'bullet':
      return '';
    case 'decimalZero':
      return pad2(value);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(value).replace(/\d/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return CIRCLED[value - 1] ?? String(value);
    case 'decimalEnclosedParen':
      return `(${value})`;
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
    case 'japaneseCounting':
      return chineseCount(value);
    case 'ideographDigital':
    case 'taiwaneseDigital':
      return String(value).replace(/\d/g, (digit) => CN_DIGIT[Number(digit)] ?? digit);
    case 'chineseLegalSimplified':
    case 'ideographLegalTraditional':
      return chineseCount(value, CN_LEGAL_DIGIT, CN_LEGAL_UNITS);
    case 'ideographTraditional':
      return HEAVENLY_STEMS[(value - 1) % 10] ?? String(value);
    case 'ideographZodiac':
      return EARTHLY_BRANCHES[(value - 1) % 12] ?? String(value);
    case 'upperLetter':
      return letters(value);
    case 'lowerLetter':
      return letters(value).toLowerCase();
    case 'upperRoman':
      return roman(value);
    case 'lowerRoman':
      return roman(value).toLowerCase();
    default:
      return String(value);
  }
}

const pad2 = (value: number) => String(value).padStart(2, '0');

function readLevels(abstractNum: XmlElement): Map<number, Level> {
  const levels = new Map<number, Level>();
  for (const lvl of childElements(abstractNum, 'lvl')) {
    const index = Number(wAttr(lvl, 'ilvl') ?? 0);
    const value = (name: string) => {
      const element = childElements(lvl, name)[0];
      return element ? wAttr(element, 'val') : undefined;
    };
    levels.set(index, {
      start: Number(value('start') ?? 1),
      format: value('numFmt') ?? 'decimal',
      text: value('lvlText') ?? '',
      suffix: value('suff') ?? 'tab',
      legal: childElements(lvl, 'isLgl').length > 0,
    });
  }
  return levels;
}

/**
 * Counts list paragraphs in document order and returns the label Word draws for each. Counters
 * belong to the abstract list, so two w:num instances of it continue one sequence, unless an
 * instance restarts a level with w:startOverride.
 */
export class ListNumbering {
  private readonly abstracts = new Map<string, Map<number, Level>>();
  private readonly instances = new Map<string, ListInstance>();
  private readonly counters = new Map<string, Map<number, number>>();
  private readonly started = new Set<string>();

  constructor(numbering: XmlElement | undefined) {
    if (!numbering) return;
    for (const abstractNum of childElements(numbering, 'abstractNum')) {
      this.abstracts.set(wAttr(abstractNum, 'abstractNumId') ?? '', readLevels(abstractNum));
    }
    for (const num of childElements(numbering, 'num')) {
      const abstractId = wAttr(childElements(num, 'abstractNumId')[0], 'val') ?? '';
      const startOverrides = new Map<number, number>();
      for (const override of childElements(num, 'lvlOverride')) {
        const start = wAttr(childElements(override, 'startOverride')[0], 'val');
        if (start !== undefined) startOverrides.set(Number(wAttr(override, 'ilvl') ?? 0), Number(start));
      }
      this.instances.set(wAttr(num, 'numId') ?? '', { abstractId, startOverrides });
    }
  }

  /** The label for the next paragraph of list `numId` at `level` ('' for bullets and unknown lists). */
  next(numId: string, level: number): string {
    const instance = this.instances.get(numId);
    const levels = instance && this.abstracts.get(instance.abstractId);
    const definition = levels?.get(level);
    if (!instance || !levels || !definition) return '';
    const counters = this.counters.get(instance.abstractId) ?? new Map<number, number>();
    this.counters.set(instance.abstractId, counters);
    const override = instance.startOverrides.get(level);
    const firstUse = !this.started.has(`${numId}/${level}`);
    this.started.add(`${numId}/${level}`);
    const current = counters.get(level);
    counters.set(level, override !== undefined && firstUse ? override : current === undefined ? definition.start : current + 1);
    for (const deeper of [...counters.keys()]) if (deeper > level) counters.delete(deeper);
    if (definition.format === 'bullet') return '';
    const label = definition.text.replace(/%(\d)/g, (_, digit: string) => {
      const referenced = Number(digit) - 1;
      const referencedLevel = levels.get(referenced);
      const value = counters.get(referenced) ?? referencedLevel?.start ?? 1;
      return formatNumber(value, definition.legal ? 'decimal' : (referencedLevel?.format ?? 'decimal'));
    });
    if (label.trim() === '') return '';
    return definition.suffix === 'nothing' ? label : `${label} `;
  }
}
