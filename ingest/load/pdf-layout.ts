/**
 * @module A PDF page's text in reading order, from the positions pdf.js reports: text items
 * regrouped into lines by baseline and ordered left to right, and ruled tables rebuilt as
 * `| a | b |` rows. pdf-parse's text (and LangChain's PDFLoader on top of it) follows the content
 * stream, which for a wide table written column by column is one cell fragment a line, and puts
 * the page number first.
 *
 * The table grid comes from pdf-parse's geometry (LineStore: ruling lines → cells with their
 * spans); the ruling lines are collected here from pdf.js's operator list because pdf-parse reads
 * them only inside its own getTable(), which returns cell strings without positions.
 */
import { Line, LineStore, Point } from 'pdf-parse';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type Matrix = number[];
type TableData = ReturnType<LineStore['getTableData']>[number];
type TableCell = TableData['rows'][number][number];

/** One text item placed on the page (viewport space: y grows downwards, y is the baseline). */
interface TextRun {
  x: number;
  right: number;
  y: number;
  size: number;
  text: string;
}

interface PageLine {
  kind: 'line';
  top: number;
  /** The largest font size on the line. */
  size: number;
  text: string;
}

interface PageTable {
  kind: 'table';
  top: number;
  rows: string[][];
}

export interface PageLayout {
  elements: (PageLine | PageTable)[];
  /** Every text item, tables included: the document's body font size is measured on them. */
  runs: TextRun[];
}

/** pdf.js's path-drawing codes inside a constructPath operation (its DrawOPS, not exported). */
const DRAW = { moveTo: 0, lineTo: 1, curveTo: 2, closePath: 3 } as const;
/** A filled rectangle thinner than this is a ruling line (Word and WPS draw borders that way). */
const THIN = 2.5;
const MIN_RULE = 4;

const CJK = '\\u2e80-\\u9fff\\uf900-\\ufaff\\u3000-\\u303f\\uff00-\\uffef';
const CJK_CHAR = new RegExp(`[${CJK}]`);
/** Letter-spaced CJK (企 业 投 资, 2017 年本) in a cell: spaces beside a CJK character are layout. */
const SPACE_BESIDE_CJK = new RegExp(`(?<=[${CJK}])\\s+|\\s+(?=[${CJK}])`, 'g');

/** A point through an affine matrix (pdf.js's Util.applyTransform works in place since v5). */
const apply = (m: Matrix, x: number, y: number): [number, number] => [x * m[0]! + y * m[2]! + m[4]!, x * m[1]! + y * m[3]! + m[5]!];

/** The straight subpaths of a path: its points in order, and whether it is closed. */
function segmentsOf(pathData: ArrayLike<number>): { points: [number, number][]; closed: boolean }[] {
  const subpaths: { points: [number, number][]; closed: boolean }[] = [];
  let current: { points: [number, number][]; closed: boolean } | undefined;
  for (let index = 0; index < pathData.length; ) {
    const op = pathData[index];
    if (op === DRAW.moveTo) {
      current = { points: [[pathData[index + 1]!, pathData[index + 2]!]], closed: false };
      subpaths.push(current);
      index += 3;
    } else if (op === DRAW.lineTo) {
      current?.points.push([pathData[index + 1]!, pathData[index + 2]!]);
      index += 3;
    } else if (op === DRAW.curveTo) {
      // A curve is no ruling line: it ends the straight run.
      current = undefined;
      index += 7;
    } else {
      if (current) current.closed = true;
      index += 1;
    }
  }
  return subpaths;
}

/** Ruling lines from the page's drawing operations, in viewport space. */
async function rulingLines(page: PDFPageProxy, pdfjs: PdfJs, viewport: Matrix): Promise<LineStore> {
  const { OPS, Util } = pdfjs;
  const stroke = new Set<number>([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  const fill = new Set<number>([OPS.fill, OPS.eoFill, ...stroke]);
  const store = new LineStore();
  const operators = await page.getOperatorList();
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const saved: Matrix[] = [];
  const add = (from: number[], to: number[]) => store.add(new Line(new Point(from[0]!, from[1]!), new Point(to[0]!, to[1]!)));
  operators.fnArray.forEach((fn, index) => {
    const args = operators.argsArray[index];
    if (fn === OPS.save) saved.push(ctm);
    else if (fn === OPS.restore) ctm = saved.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = Util.transform(ctm, args);
    else if (fn === OPS.constructPath && fill.has(args?.[0])) {
      const stroked = stroke.has(args[0]);
      const toPage = Util.transform(viewport, ctm);
      for (const { points, closed } of segmentsOf(args[1]?.[0] ?? [])) {
        const placed = points.map(([x, y]) => apply(toPage, x, y));
        const xs = placed.map((point) => point[0]!);
        const ys = placed.map((point) => point[1]!);
        const [left, right, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
        if (right - left <= THIN && bottom - top >= MIN_RULE) add([(left + right) / 2, top], [(left + right) / 2, bottom]);
        else if (bottom - top <= THIN && right - left >= MIN_RULE) add([left, (top + bottom) / 2], [right, (top + bottom) / 2]);
        else if (stroked) {
          const ring = closed ? [...placed, placed[0]!] : placed;
          for (let at = 1; at < ring.length; at += 1) add(ring[at - 1]!, ring[at]!);
        }
      }
    }
  });
  return store;
}

function textRuns(items: unknown[], viewport: Matrix): TextRun[] {
  const runs: TextRun[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || !('str' in item)) continue;
    const { str, transform, width, height } = item as { str: string; transform: number[]; width: number; height: number };
    if (str === '') continue;
    const [x, y] = apply(viewport, transform[4]!, transform[5]!);
    const size = height || Math.hypot(transform[2]!, transform[3]!);
    runs.push({ x, right: x + width, y, size, text: str });
  }
  return runs;
}

const isCjk = (character: string | undefined) => character !== undefined && CJK_CHAR.test(character);

/**
 * Runs grouped into lines by baseline (within 40% of the font size: digits and punctuation often
 * sit a little off the CJK baseline), each ordered left to right. A visible gap becomes a space.
 */
function groupLines(runs: TextRun[]): { top: number; size: number; text: string }[] {
  const sorted = [...runs].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: TextRun[][] = [];
  for (const run of sorted) {
    const line = lines.at(-1);
    const first = line?.[0];
    if (line && first && run.y - first.y <= 0.4 * Math.max(first.size, run.size, 1)) line.push(run);
    else lines.push([run]);
  }
  return lines.map((line) => {
    const ordered = line.sort((a, b) => a.x - b.x);
    let text = '';
    let previous: TextRun | undefined;
    for (const run of ordered) {
      if (previous && run.text.trim() !== '' && !/\s$/.test(text)) {
        const gap = run.x - previous.right;
        const latinJoin = !isCjk(text.at(-1)) && !isCjk(run.text[0]);
        if (gap > (latinJoin ? 0.15 : 1) * run.size) text += ' ';
      }
      text += run.text;
      if (run.text.trim() !== '') previous = run;
    }
    const size = Math.max(...line.map((run) => run.size));
    return { top: Math.min(...line.map((run) => run.y - run.size)), size, text: text.replace(/\s+/g, ' ').trim() };
  });
}

/** A cell's lines as one line: CJK text wraps without spaces, and letter-spaced CJK loses them. */
function cellText(runs: TextRun[]): string {
  const text = groupLines(runs)
    .map((line) => line.text)
    .reduce((joined, line) => (joined === '' ? line : isCjk(joined.at(-1)) || isCjk(line[0]) ? joined + line : `${joined} ${line}`), '');
  return text.replace(SPACE_BESIDE_CJK, '').trim();
}

const near = (a: number, b: number) => Math.abs(a - b) <= 2;

/**
 * A grid as rows of cell texts. A cell merged down from the row above (rowspan) is left blank so
 * the row's other cells keep their columns; a cell spanning columns is written once.
 */
function tableRows(table: TableData, textOf: Map<TableCell, TextRun[]>): string[][] {
  const columns = [...new Set(table.rows.flat().map((cell) => cell.minXY.x))].sort((a, b) => a - b).filter((x, index, all) => index === 0 || !near(x, all[index - 1]!));
  const columnAt = (x: number) => columns.findIndex((column) => near(column, x));
  const rows: string[][] = [];
  for (const row of table.rows) {
    const out: string[] = [];
    let cursor = 0;
    for (const cell of [...row].sort((a, b) => a.minXY.x - b.minXY.x)) {
      const start = columnAt(cell.minXY.x);
      for (; start > cursor; cursor += 1) out.push('');
      out.push(cellText(textOf.get(cell) ?? []));
      const end = columns.findIndex((column) => column >= cell.maxXY.x - 2);
      cursor = end === -1 ? columns.length : end;
    }
    if (out.some((text) => text !== '')) rows.push(out);
  }
  return rows;
}

export async function readPageLayout(page: PDFPageProxy, pdfjs: PdfJs): Promise<PageLayout> {
  const viewport = page.getViewport({ scale: 1 }).transform;
  const runs = textRuns((await page.getTextContent()).items, viewport);
  const store = await rulingLines(page, pdfjs, viewport);
  store.normalize();
  // A ruled frame with one cell a row is a box around text, not a table.
  const tables = store.getTableData().filter((table) => table.rows.some((row) => row.length > 1));
  const textOf = new Map<TableCell, TextRun[]>();
  const free: TextRun[] = [];
  for (const run of runs) {
    const x = run.right > run.x ? (run.x + run.right) / 2 : run.x;
    const y = run.y - run.size / 3;
    const cell = tables.map((table) => table.findCell(x, y)).find((found) => found !== undefined);
    if (!cell) free.push(run);
    else if (textOf.has(cell)) textOf.get(cell)!.push(run);
    else textOf.set(cell, [run]);
  }
  const elements: (PageLine | PageTable)[] = [
    ...groupLines(free).filter((line) => line.text !== '').map((line): PageLine => ({ kind: 'line', ...line })),
    ...tables.map((table): PageTable => ({ kind: 'table', top: table.minXY.y, rows: tableRows(table, textOf) })).filter((table) => table.rows.length > 0),
  ].sort((a, b) => a.top - b.top);
  return { elements, runs };
}
