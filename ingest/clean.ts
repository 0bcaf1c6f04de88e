/**
 * @module Turns a raw collected document into clean text, one paragraph per line:
 * web-page leftovers and page numbers removed, Markdown markup dropped, tab-separated tables
 * turned into `| a | b |` rows under their caption, newspaper-column line breaks rejoined,
 * spacing normalised.
 *
 * Hand-written because no library knows these documents' conventions: the line-joining rule
 * needs the document's own column width, which it measures from the line lengths.
 */
import { isDocNumberLine, SIGNATURE_DATE_LINE } from './metadata/index.ts';
import { HEADING_PATTERNS, TITLE_ENDING } from './headings.ts';
import { tableRow } from './table-row.ts';

/** Lines that are page furniture of the government sites the documents come from. */
const BOILERPLATE = [
  /您(现在)?的?位置|当前位置/,
  /【?\s*字体\s*[:：]?\s*[大中小]?/,
  /保护视力色/,
  /阅读次数|浏览次数|访问量/,
  /^\s*【?\s*(打印|关闭|关闭窗口|打印本页|返回顶部|分享到)\s*】?\s*$/,
  /^\s*(上一篇|下一篇)[:：]/,
];

/** Page numbers of printed documents: `- 3 -`, `—3—`, `第3页 共6页`. */
const PAGE_NUMBER = [/^[-－—–~]\s*\d{1,3}\s*[-－—–~]$/, /^第\s*\d{1,3}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,3}\s*页)?$/];

function isBoilerplate(line: string): boolean {
  return BOILERPLATE.some((pattern) => pattern.test(line)) || PAGE_NUMBER.some((pattern) => pattern.test(line));
}

/**
 * A line without its Markdown markup (crawlers save pages as Markdown): `# 标题`, `**第一章 总则**`,
 * `**发布日期**: …`, `[文字](链接)`; a rule (`---`) becomes empty. `heading` is true for a line that
 * is a heading or wholly emphasised: it stands alone, whatever its length.
 */
function stripMarkdown(line: string): { text: string; heading: boolean } {
  const trimmed = line.trim();
  if (/^(?:[-*_=]\s*){2,}$|^#{1,6}$/.test(trimmed)) return { text: '', heading: false };
  const atx = trimmed.match(/^#{1,6}(?:\s+|(?=[^#\s]))(.*?)(?:\s+#+)?$/);
  const emphasised = trimmed.match(/^(\*\*|__)(.+)\1$/);
  const text = (atx?.[1] ?? emphasised?.[2] ?? line)
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/!?\[([^\]\n]*)\]\([^)\s]*\)/g, '$1');
  return { text, heading: atx !== null || emphasised !== null };
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
  if (isHeadingLine(collapsed)) return joinSpacedLetters(collapsed);
  return collapsed.replace(SPACE_BETWEEN_CJK, '').replace(SPACE_AROUND_CJK_PUNCT, '$1');
}

/** `第一章 总 则` → `第一章 总则`: a title set in spaced-out letters is one word. */
function joinSpacedLetters(line: string): string {
  return line.replace(new RegExp(`(?<![${CJK}])[${CJK}](?: [${CJK}](?![${CJK}]))+`, 'g'), (letters) => letters.replace(/ /g, ''));
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
    if (row.some((cell) => cell !== '')) output.push(tableRow(row));
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

interface CleanLine {
  text: string;
  /** Never joined to the lines around it: a heading, a 文号 or a signature date. */
  alone: boolean;
  /**
   * Ends its paragraph: a title. It may still complete the line above (a printed title broken at
   * full width), but the next line starts anew.
   */
  ends: boolean;
}

/** A document's title (…关于印发《…》的通知, …实施细则（试行）): named by its kind, no sentence in it. */
function isTitle(line: string): boolean {
  return line.length <= 80 && TITLE_ENDING.test(line) && !/[，,。；;！？!?]/.test(line);
}

function toCleanLine(line: string): CleanLine {
  if (line.startsWith('|')) return { text: line, alone: true, ends: true };
  const markdown = stripMarkdown(line);
  const text = normalizeSpaces(markdown.text);
  const alone = markdown.heading || isHeadingLine(text) || isDocNumberLine(text) || SIGNATURE_DATE_LINE.test(text);
  return { text, alone, ends: alone || isTitle(text) };
}

export function cleanText(raw: string): string {
  const lines = collectTables(raw.replace(/\r\n?/g, '\n').split('\n'))
    .map(toCleanLine)
    .filter((line) => line.text !== '' && !isBoilerplate(line.text));
  const minBroken = brokenLineLength(lines.map((line) => line.text));

  const paragraphs: string[] = [];
  let current = '';
  let first: CleanLine | undefined;
  let last: CleanLine | undefined;
  for (const line of lines) {
    if (first && last && continuesInto({ text: current, alone: first.alone, ends: last.ends }, last, line, minBroken)) {
      current += line.text;
    } else {
      if (current !== '') paragraphs.push(current);
      current = line.text;
      first = line;
    }
    last = line;
  }
  if (current !== '') paragraphs.push(current);
  return paragraphs.join('\n');
}

/** `lastLine` is the paragraph's most recent physical line: the one the layout may have broken. */
function continuesInto(paragraph: CleanLine, lastLine: CleanLine, next: CleanLine, minBroken: number): boolean {
  if (next.alone || lastLine.ends || next.text.startsWith('——') || BYLINE.test(lastLine.text)) return false;
  if (TERMINAL.test(paragraph.text) || /[:：]$/.test(paragraph.text)) return false;
  if (SOFT_BREAK.test(paragraph.text)) return true;
  if (paragraph.alone) return false;
  return lastLine.text.length >= minBroken;
}
