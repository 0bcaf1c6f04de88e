/**
 * @module Clause lookups: 第二十八条讲什么, 第28条, 第三章, 第二十六项. The question names a unit of
 * a document by number; the answer is that unit, found by its heading (chunk headings read
 * `第三章 …` › `第二十八条`), not by what its words share with the question. A measures document
 * numbers its items instead (`45.完善购房补贴政策`, `（二十六）…`): there 第45条 is item 45.
 */
import type { DocumentRecord } from '../../core/index.ts';
import type { IndexHandle } from './index-handle.ts';

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
  /** Per unit and number (`条28`), the ordinals of the chunks whose headings carry it, ascending. */
  holders: Map<string, number[]>;
  /** Per document, the units its headings use (条, 章 …). */
  units: Map<string, Set<HeadingNumber['unit']>>;
  /** Documents by first ordinal, for the document of an ordinal. */
  documents: DocumentRecord[];
}

const keyOf = (unit: HeadingNumber['unit'], number: number) => `${unit}${number}`;

/**
 * Built from every chunk's headings in one pass over the database, once per index: the numbers
 * are kept by unit, not per chunk, so the table costs a few bytes per numbered chunk.
 */
const tables = new WeakMap<IndexHandle, ClauseTable>();

function clauseTable(index: IndexHandle): ClauseTable {
  let table = tables.get(index);
  if (!table) {
    const documents = [...index.documents.values()].sort((a, b) => a.firstChunk - b.firstChunk);
    table = { holders: new Map(), units: new Map(), documents };
    for (const { n, headings } of index.chunks.headings()) {
      const docId = documentAt(table, n)?.docId;
      if (docId === undefined) continue;
      const units = table.units.get(docId) ?? new Set();
      table.units.set(docId, units);
      for (const number of headings.map(headingNumber)) {
        if (!number) continue;
        units.add(number.unit);
        const key = keyOf(number.unit, number.number);
        const holders = table.holders.get(key) ?? [];
        // Rows come by ordinal, so each list stays ascending; a heading path naming one number twice adds it once.
        if (holders.at(-1) !== n) holders.push(n);
        table.holders.set(key, holders);
      }
    }
    tables.set(index, table);
  }
  return table;
}

function documentAt(table: ClauseTable, ordinal: number): DocumentRecord | undefined {
  const { documents } = table;
  let low = 0;
  let high = documents.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const document = documents[middle]!;
    if (ordinal < document.firstChunk) high = middle - 1;
    else if (ordinal >= document.firstChunk + document.chunkCount) low = middle + 1;
    else return document;
  }
  return undefined;
}

/**
 * The chunks under every unit the question names. A document that has no heading of a unit uses
 * its numbered items for 条/项/款 (a list of measures is cited by item: 第45条 → `45.…`); 款 has
 * no heading of its own, so an article named with its 款 is answered by the whole article.
 */
export function clauseChunks(index: IndexHandle, references: ClauseReference[]): Set<number> {
  const found = new Set<number>();
  if (references.length === 0) return found;
  const table = clauseTable(index);
  const holding = (unit: HeadingNumber['unit'], number: number) => new Set(table.holders.get(keyOf(unit, number)) ?? []);
  const exact = references.map((reference) => holding(reference.unit, reference.number));
  const items = references.map((reference) => holding('item', reference.number));
  // Only a chunk numbered as some reference asks can hold them all; in reading order, as ranking ties are.
  const candidates = [...new Set([...exact, ...items].flatMap((ordinals) => [...ordinals]))].sort((a, b) => a - b);
  for (const ordinal of candidates) {
    const documentUnits = table.units.get(documentAt(table, ordinal)?.docId ?? '') ?? new Set();
    const holds = (reference: ClauseReference, at: number) => {
      if (documentUnits.has(reference.unit)) return exact[at]!.has(ordinal);
      return reference.unit !== '章' && reference.unit !== '节' && items[at]!.has(ordinal);
    };
    const named = references.flatMap((reference, at) => (reference.unit !== '款' || documentUnits.has('款') ? [{ reference, at }] : []));
    if (named.length > 0 && named.every(({ reference, at }) => holds(reference, at))) found.add(ordinal);
  }
  return found;
}
