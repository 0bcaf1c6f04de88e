/**
 * @module Splits a table longer than the chunk budget into groups of whole rows. Each group repeats
 * the table's caption and header row, so a chunk read alone still says which table and which
 * columns its cells belong to. Rows are grouped by item: a row whose first cell is empty (a merged
 * cell) or repeats the first cell of the row above (an item carried over a page break) continues
 * the item above and stays with it, unless the item alone would exceed twice the budget.
 */

export interface Line {
  text: string;
  start: number;
  end: number;
}

/** One chunk of a split table: the caption and header lines it repeats, then its own rows. */
export interface TableGroup {
  lines: Line[];
  /** Offsets of the group's own lines (the first group starts at the caption). */
  start: number;
  end: number;
}

const isRow = (line: Line) => line.text.startsWith('|');
const firstCell = (line: Line) => line.text.split('|')[1]?.trim() ?? '';
const size = (lines: Line[]) => lines.reduce((total, line) => total + line.text.length + 1, 0) - 1;

/** Rows of one item: its first row and the rows that continue it. */
function toItems(rows: Line[]): Line[][] {
  const items: Line[][] = [];
  let key = '';
  for (const row of rows) {
    const cell = firstCell(row);
    const item = items.at(-1);
    if (item && (cell === '' || cell === key)) item.push(row);
    else items.push([row]);
    if (cell !== '') key = cell;
  }
  return items;
}

/** Packs units (items, or the rows of one oversized item) into groups within `budget` characters. */
function pack(units: Line[][], budget: number): Line[][] {
  const groups: Line[][] = [];
  let group: Line[] = [];
  for (const unit of units) {
    if (group.length > 0 && size(group) + 1 + size(unit) > budget) {
      groups.push(group);
      group = [];
    }
    group.push(...unit);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * The table's lines as chunks of at most about `maxChars` characters; a table within twice that,
 * or one with no rows to split, comes back whole as one group.
 */
export function splitTable(lines: Line[], maxChars: number): TableGroup[] {
  const first = lines[0];
  const last = lines.at(-1);
  if (!first || !last) return [];
  const whole = [{ lines, start: first.start, end: last.end }];
  // A table up to twice the budget reads best whole, as one item may.
  if (last.end - first.start <= 2 * maxChars) return whole;

  const captions = lines.filter((line) => !isRow(line));
  const rows = lines.filter(isRow);
  const top = rows[0];
  const header = top && !/^\d+$/.test(firstCell(top)) ? top : undefined;
  const body = header ? rows.slice(1).filter((row) => row.text.trim() !== header.text.trim()) : rows;
  const prefix = header ? [...captions, header] : captions;
  if (body.length < 2) return whole;

  const budget = Math.max(maxChars - (size(prefix) + 1), 1);
  const units: Line[][] = [];
  for (const item of toItems(body)) {
    if (size(item) <= 2 * budget) units.push(item);
    else units.push(...pack(item.map((row) => [row]), budget));
  }
  return pack(units, budget).map((group, index) => ({
    lines: [...prefix, ...group],
    start: index === 0 ? first.start : (group[0]?.start ?? first.start),
    end: group.at(-1)?.end ?? last.end,
  }));
}
