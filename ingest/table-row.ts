/**
 * @module The one text form of a table row that every loader writes and the cleaner and chunker
 * recognise as a table: `| a | b |`. A `|` inside a cell would end the cell early, so it becomes `｜`.
 */
export function tableRow(cells: string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, '｜')).join(' | ')} |`;
}
