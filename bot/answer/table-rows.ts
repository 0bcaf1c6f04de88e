/**
 * @module Table rows quoted in an answer are shown as a table: the header of their table, its
 * separator, then the rows, so that `|  |  | 3 | 营业执照 | …` reads against 序号, 申请材料 …. The
 * cells keep their text, and each row its citation marker in its last cell.
 */

/** The first row of the table a passage holds (its header), or undefined when it holds none. */
function headerOf(passage: string, rowStart: number): string | undefined {
  const header = passage.split('\n').find((line) => line.trimStart().startsWith('|'));
  if (!header) return undefined;
  const at = passage.indexOf(header);
  // A header quoted itself, or a row before the header, is shown as it is.
  return rowStart > at ? header.trim() : undefined;
}

/** The line at `start` is the header of the passage's table, with rows below it. */
export function isTableHeader(passage: string, start: number): boolean {
  const lines = passage.split('\n');
  const first = lines.findIndex((line) => line.trimStart().startsWith('|'));
  if (first === -1 || lines[first + 1]?.trimStart().startsWith('|') !== true) return false;
  return passage.indexOf(lines[first]!) === start;
}

const cellCount = (row: string) => row.replace(/^\||\|$/g, '').split('|').length;

export interface QuotedLine {
  /** The quoted text as the answer shows it (an excerpt of a long sentence). */
  shown: string;
  /** The passage it comes from, and where in it. */
  passage: string;
  start: number;
  marker: string;
}

/** The answer's lines: prose as `sentence[n]`, runs of table rows under their header. */
export function answerLines(quoted: QuotedLine[]): string[] {
  const lines: string[] = [];
  let openHeader: string | undefined;
  for (const line of quoted) {
    const header = line.shown.startsWith('|') ? headerOf(line.passage, line.start) : undefined;
    if (!header) {
      openHeader = undefined;
      lines.push(`${line.shown}${line.marker}`);
      continue;
    }
    if (header !== openHeader) {
      lines.push(header, `|${' --- |'.repeat(cellCount(header))}`);
      openHeader = header;
    }
    // The marker goes inside the last cell: after the closing pipe it would start a cell of its own.
    const row = line.shown.trimEnd();
    lines.push(row.endsWith('|') ? `${row.slice(0, -1).trimEnd()}${line.marker} |` : `${row}${line.marker} |`);
  }
  return lines;
}
