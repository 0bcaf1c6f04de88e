/**
 * @module Clause lookups: 第二十八条讲什么, 第28条, 第三章, 第二十六项. The question names a unit of
 * a document by number; the answer is that unit, found by its heading (chunk headings read
 * `第三章 …` › `第二十八条`), not by what its words share with the question. A measures document
 * numbers its items instead (`45.完善购房补贴政策`, `（二十六）…`): there 第45条 is item 45.
 */
import type { ChunkRecord } from '../../core/index.ts';

type ClauseUnit = '章' | '节' | '条' | '项' | '款';

export interface ClauseReference {
  unit: ClauseUnit;
  number: number;
  /** The words of the question (第28条), left out of its topic. */
  text: string;
}

const NUMERAL = '[零〇一二两三四五六七八九十百千\\d]{1,7}';
const REFERENCE = new RegExp(`第\\s*(${NUMERAL})\\s*([章节条项款])`, 'g');

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const POWERS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 28, 二十八, 一百零五, 十 → the number; undefined for anything else. */
function numberOf(numeral: string): number | undefined {
  if (/^\d+$/.test(numeral)) return Number(numeral);
  let total = 0;
  let digit: number | undefined;
  for (const char of numeral) {
    if (char in DIGITS) {
      digit = DIGITS[char];
    } else if (char in POWERS) {
      total += (digit ?? 1) * (POWERS[char] ?? 0);
      digit = undefined;
    } else {
      return undefined;
    }
  }
  return total + (digit ?? 0);
}

/** The units a question names by number, outermost first (第三章第二节 → 章 3, 节 2). */
export function clauseReferences(question: string): ClauseReference[] {
  const references: ClauseReference[] = [];
  for (const match of question.matchAll(REFERENCE)) {
    const number = numberOf(match[1] ?? '');
    if (number === undefined || number === 0) continue;
    references.push({ unit: match[2] as ClauseUnit, number, text: match[0] });
  }
  return references;
}

/** What a heading numbers: `第三章 总则` → 章 3; `45.完善…`, `三、…`, `（二十六）…` → item. */
interface HeadingNumber {
  unit: ClauseUnit | 'item';
  number: number;
}

const UNIT_HEADING = new RegExp(`^第\\s*(${NUMERAL})\\s*([章节条项款])`);
const ITEM_HEADING = new RegExp(`^(?:(${NUMERAL})\\s*[.．、](?!\\d)|[（(]\\s*(${NUMERAL})\\s*[)）])`);

function headingNumber(heading: string): HeadingNumber | undefined {
  const unit = UNIT_HEADING.exec(heading);
  if (unit) {
    const number = numberOf(unit[1] ?? '');
    return number === undefined ? undefined : { unit: unit[2] as ClauseUnit, number };
  }
  const item = ITEM_HEADING.exec(heading);
  const number = item && numberOf(item[1] ?? item[2] ?? '');
  return number ? { unit: 'item', number } : undefined;
}

interface ClauseTable {
  /** Per chunk ordinal, the numbers its headings carry. */
  numbers: HeadingNumber[][];
  /** Per document, the units its headings use (条, 章 …). */
  units: Map<string, Set<HeadingNumber['unit']>>;
}

const tables = new WeakMap<ChunkRecord[], ClauseTable>();

function clauseTable(chunks: ChunkRecord[]): ClauseTable {
  let table = tables.get(chunks);
  if (!table) {
    const numbers = chunks.map((chunk) => chunk.headings.map(headingNumber).filter((number): number is HeadingNumber => number !== undefined));
    const units = new Map<string, Set<HeadingNumber['unit']>>();
    chunks.forEach((chunk, ordinal) => {
      const own = units.get(chunk.docId) ?? new Set();
      for (const number of numbers[ordinal] ?? []) own.add(number.unit);
      units.set(chunk.docId, own);
    });
    table = { numbers, units };
    tables.set(chunks, table);
  }
  return table;
}

/**
 * The chunks under every unit the question names. A document that has no heading of a unit uses
 * its numbered items for 条/项/款 (a list of measures is cited by item: 第45条 → `45.…`); 款 has
 * no heading of its own, so an article named with its 款 is answered by the whole article.
 */
export function clauseChunks(chunks: ChunkRecord[], references: ClauseReference[]): Set<number> {
  const found = new Set<number>();
  if (references.length === 0) return found;
  const { numbers, units } = clauseTable(chunks);
  chunks.forEach((chunk, ordinal) => {
    const own = numbers[ordinal] ?? [];
    const documentUnits = units.get(chunk.docId) ?? new Set();
    const holds = (reference: ClauseReference) => {
      const unit = documentUnits.has(reference.unit) ? reference.unit : reference.unit === '章' || reference.unit === '节' ? undefined : 'item';
      return unit !== undefined && own.some((number) => number.unit === unit && number.number === reference.number);
    };
    const named = references.filter((reference) => reference.unit !== '款' || documentUnits.has('款'));
    if (named.length > 0 && named.every(holds)) found.add(ordinal);
  });
  return found;
}
