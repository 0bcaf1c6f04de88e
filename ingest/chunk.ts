/**
 * @module Splits a cleaned document along its own structure. Each heading opens a block that runs
 * to the next heading; the block keeps its heading line, so a clause's title stays with its text
 * and its trailing 责任单位 sentence. A table stays whole with its caption unless it is longer than
 * twice the budget; then it is split between rows (see table-split.ts), each chunk repeating the caption
 * and header row, so its text is no longer one span of the cleaned text (its offsets span its own rows). Other blocks longer than
 * the budget are split between paragraphs, else between sentences, never inside one.
 */
import type { ChunkRecord } from '../core/index.ts';
import { splitSentences } from '../core/text/index.ts';
import { TABLE_CAPTION, isTitleOnly, readHeading } from './headings.ts';
import { type Line, splitTable, type TableGroup } from './table-split.ts';

export interface ChunkOptions {
  /** Soft upper bound on a chunk's length in characters (a single sentence may exceed it, and so may one
   * item of a table, its first row and the rows continuing it, up to twice the bound). */
  maxChars: number;
}

const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxChars: 600 };

interface Block {
  headings: string[];
  lines: Line[];
  kind: 'text' | 'table';
  /** A block that is only its heading line has nothing to say on its own. */
  headingOnly: boolean;
}

function toLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim() !== '') lines.push({ text: raw, start, end: start + raw.length });
    start += raw.length + 1;
  }
  return lines;
}

function toBlocks(lines: Line[]): Block[] {
  const blocks: Block[] = [];
  const stack: { rank: number; title: string }[] = [];
  let current: Block | undefined;
  const open = (kind: Block['kind'], headingOnly: boolean) => {
    current = { headings: stack.map((entry) => entry.title), lines: [], kind, headingOnly };
    blocks.push(current);
    return current;
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const next = lines[index + 1];
    const read = readHeading(line.text, next?.text);
    if (read) {
      const { heading, title, takesNextLine } = read;
      // Popping every equal or deeper level is what restarts 第一条 under 第二章.
      while (stack.length > 0 && (stack.at(-1)?.rank ?? 0) >= heading.rank) stack.pop();
      stack.push({ rank: heading.rank, title });
      const block = open('text', takesNextLine || isTitleOnly(line.text, heading));
      block.lines.push(line);
      if (takesNextLine && next) {
        block.lines.push(next);
        index++;
      }
    } else if (TABLE_CAPTION.test(line.text)) {
      open('table', false).lines.push(line);
    } else if (line.text.startsWith('|')) {
      (current?.kind === 'table' ? current : open('table', false)).lines.push(line);
    } else {
      const target = current && current.kind === 'text' ? current : open('text', false);
      target.lines.push(line);
      target.headingOnly = false;
    }
  }
  return blocks;
}

/** Packs consecutive units (paragraphs or sentences) into spans no longer than `maxChars`. */
function pack(units: Line[], maxChars: number): Line[][] {
  const groups: Line[][] = [];
  let group: Line[] = [];
  for (const unit of units) {
    const first = group[0];
    if (first && unit.end - first.start > maxChars) {
      groups.push(group);
      group = [];
    }
    group.push(unit);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

function splitBlock(block: Block, maxChars: number): Line[][] {
  const first = block.lines[0];
  const last = block.lines.at(-1);
  if (!first || !last) return [];
  if (last.end - first.start <= maxChars) return [block.lines];
  const units: Line[] = [];
  for (const line of block.lines) {
    if (line.end - line.start <= maxChars) {
      units.push(line);
      continue;
    }
    for (const sentence of splitSentences(line.text)) {
      units.push({ text: sentence.text, start: line.start + sentence.start, end: line.start + sentence.end });
    }
  }
  return pack(units, maxChars);
}

export function chunkDocument(docId: string, cleanedText: string, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): ChunkRecord[] {
  const chunks: ChunkRecord[] = [];
  for (const block of toBlocks(toLines(cleanedText))) {
    if (block.headingOnly) continue;
    const groups: TableGroup[] =
      block.kind === 'table'
        ? splitTable(block.lines, options.maxChars)
        : splitBlock(block, options.maxChars).map((lines) => ({ lines, start: lines[0]?.start ?? 0, end: lines.at(-1)?.end ?? 0 }));
    for (const group of groups) {
      // A part of a split table repeats its caption and header row, so it is not one span of the text.
      const parted = block.kind === 'table' && groups.length > 1;
      chunks.push({
        id: `${docId}#${chunks.length}`,
        docId,
        headings: block.headings,
        text: parted ? group.lines.map((line) => line.text).join('\n') : cleanedText.slice(group.start, group.end),
        kind: block.kind,
        start: group.start,
        end: group.end,
      });
    }
  }
  return chunks;
}
