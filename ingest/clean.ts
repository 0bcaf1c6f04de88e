/**
 * @module Turns a raw collected document into clean text, one paragraph per line:
 * web-page leftovers removed, tab-separated tables turned into `| a | b |` rows under their
 * caption, newspaper-column line breaks rejoined, spacing normalised.
 *
 * Hand-written because no library knows these documents' conventions: the line-joining rule
 * needs the document's own column width, which it measures from the line lengths.
 */
import { HEADING_PATTERNS } from './headings.ts';

/** Lines that are page furniture of the government sites the documents come from. */
const BOILERPLATE = [
  /您(现在)?的?位置|当前位置/,
  /【?\s*字体\s*[:：]?\s*[大中小]?/,
  /保护视力色/,
  /阅读次数|浏览次数|访问量/,
  /^\s*【?\s*(打印|关闭|关闭窗口|打印本页|返回顶部|分享到)\s*】?\s*$/,
  /^\s*(上一篇|下一篇)[:：]/,
];

function isBoilerplate(line: string): boolean {
  return BOILERPLATE.some((pattern) => pattern.test(line));
}

const CJK = '\\u3400-\\u9fff';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g');
const SPACE_AROUND_CJK_PUNCT = /\s*([，。、；：！？“”‘’（）《》【】])\s*/g;

function normalizeSpaces(line: string): string {
  const collapsed = line
    .replace(/[\u00a0\u3000\u2002\u2003\u2009\t]/g, ' ')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  // In headings a space separates number from title and the two halves of a title: keep one.
  if (isHeadingLine(collapsed)) return collapsed;
  return collapsed.replace(SPACE_BETWEEN_CJK, '').replace(SPACE_AROUND_CJK_PUNCT, '$1');
}

const TERMINAL = /[。！？!?；;…][”’」』）)】]*$/;
const SOFT_BREAK = /[，、,]$/;

function isHeadingLine(line: string): boolean {
  return HEADING_PATTERNS.some(({ pattern }) => pattern.test(line)) || /^(表|图)\s*\d+/.test(line) || line.startsWith('|');
}

/** Lines at least this long that stop without punctuation were broken by the layout. */
const MIN_BROKEN_LINE = 24;

/**
 * A newspaper page laid out in narrow columns produces many lines of (nearly) the same length;
 * there, a line is "full" from about three quarters of that width. Elsewhere short unpunctuated
 * lines are titles and photo captions and stay on their own.
 */
function brokenLineLength(lines: string[]): number {
  const counts = new Map<number, number>();
  for (const line of lines) counts.set(line.length, (counts.get(line.length) ?? 0) + 1);
  let best = { width: 0, lines: 0 };
  for (const [width] of counts) {
    const near = (counts.get(width - 1) ?? 0) + (counts.get(width) ?? 0) + (counts.get(width + 1) ?? 0);
    if (width >= 8 && near > best.lines) best = { width, lines: near };
  }
  const columnLayout = best.lines >= Math.max(5, lines.length * 0.25);
  return columnLayout ? Math.min(MIN_BROKEN_LINE, Math.floor(best.width * 0.75)) : MIN_BROKEN_LINE;
}

const BYLINE = /^(本报(记者|讯|通讯员)|记者|通讯员|来源[:：]|责任编辑)/;

/** Converts runs of tab-indented cells (one cell a line, rows separated by blank lines) to rows. */
function collectTables(lines: string[]): string[] {
  const output: string[] = [];
  let row: string[] = [];
  let inTable = false;
  const flushRow = () => {
    if (row.some((cell) => cell !== '')) output.push(`| ${row.join(' | ')} |`);
    row = [];
  };
  for (const line of lines) {
    if (line.startsWith('\t')) {
      inTable = true;
      row.push(normalizeSpaces(line));
    } else if (inTable && line.trim() === '') {
      flushRow();
    } else {
      if (inTable) flushRow();
      inTable = false;
      output.push(line);
    }
  }
  if (inTable) flushRow();
  return output;
}

export function cleanText(raw: string): string {
  const lines = collectTables(raw.replace(/\r\n?/g, '\n').split('\n'))
    .map((line) => (line.startsWith('|') ? line : normalizeSpaces(line)))
    .filter((line) => line !== '' && !isBoilerplate(line));
  const minBroken = brokenLineLength(lines);

  const paragraphs: string[] = [];
  let current = '';
  let lastLine = '';
  for (const line of lines) {
    if (current !== '' && continuesInto(current, lastLine, line, minBroken)) {
      current += line;
    } else {
      if (current !== '') paragraphs.push(current);
      current = line;
    }
    lastLine = line;
  }
  if (current !== '') paragraphs.push(current);
  return paragraphs.join('\n');
}

/** `lastLine` is the paragraph's most recent physical line: the one the layout may have broken. */
function continuesInto(paragraph: string, lastLine: string, next: string, minBroken: number): boolean {
  if (isHeadingLine(next) || next.startsWith('——') || lastLine.startsWith('|') || BYLINE.test(lastLine)) return false;
  if (TERMINAL.test(paragraph) || /[:：]$/.test(paragraph)) return false;
  if (SOFT_BREAK.test(paragraph)) return true;
  if (isHeadingLine(paragraph)) return false;
  return lastLine.length >= minBroken;
}
