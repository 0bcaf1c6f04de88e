/**
 * @module The structural headings of Chinese policy documents, from outermost to innermost.
 * The rank is fixed by convention (章 › 节 › 条 › 一、 › （一） › 1. › （1）), so a document that
 * skips a level still nests correctly.
 */
const CN_NUMBER = '[一二三四五六七八九十百零〇两]+';
const NUMBER = `(?:${CN_NUMBER}|\\d{1,3})`;

export interface HeadingPattern {
  kind: 'chapter' | 'section' | 'article' | 'cn-item' | 'cn-paren-item' | 'item' | 'paren-item' | 'lead';
  rank: number;
  pattern: RegExp;
}

export const HEADING_PATTERNS: HeadingPattern[] = [
  { kind: 'chapter', rank: 1, pattern: new RegExp(`^第${NUMBER}章`) },
  { kind: 'section', rank: 2, pattern: new RegExp(`^第${NUMBER}节`) },
  { kind: 'article', rank: 3, pattern: new RegExp(`^第${NUMBER}条`) },
  { kind: 'cn-item', rank: 4, pattern: new RegExp(`^${CN_NUMBER}[、．.]`) },
  { kind: 'cn-paren-item', rank: 5, pattern: new RegExp(`^[（(]${CN_NUMBER}[）)]`) },
  // `1.5亿元` is a number, not an item: the marker must not be followed by another digit.
  { kind: 'item', rank: 6, pattern: /^\d{1,2}(?:[、．]|\.(?!\d))/ },
  { kind: 'paren-item', rank: 7, pattern: /^[（(]\d{1,2}[）)]/ },
  // "——经济指标平稳增长": a short run-in heading used by plans and reports.
  { kind: 'lead', rank: 8, pattern: /^——[^。！？；]{2,30}$/ },
];

export function matchHeading(line: string): HeadingPattern | undefined {
  return HEADING_PATTERNS.find(({ pattern }) => pattern.test(line));
}

export const TABLE_CAPTION = /^表\s*\d+/;

/**
 * The heading's own title, for section paths. An article (第X条) has no title of its own: its
 * whole line is provision text, so the path names it by number. Other headings may run their body
 * in (`1.市场主体培育。深入推进…`); their title is the first sentence, shortened for display.
 */
export function headingTitle(line: string, heading: HeadingPattern | undefined = matchHeading(line)): string {
  if (heading?.kind === 'article') return line.match(heading.pattern)?.[0] ?? line;
  const firstSentence = line.match(/^[^。！？；:：]*/)?.[0] ?? line;
  const title = firstSentence.length > 0 ? firstSentence : line;
  return title.length > 40 ? `${title.slice(0, 38)}…` : title;
}

/**
 * True when the line is only a title (一、总体要求), false when it carries provision text
 * (第四十九条 本规定自2019年1月1日起施行。 / 1.市场主体培育。深入推进…).
 */
export function isTitleOnly(line: string, heading: HeadingPattern): boolean {
  const marker = line.match(heading.pattern)?.[0] ?? '';
  const rest = line.slice(marker.length).trim();
  if (rest === '') return true;
  if (heading.kind === 'article') return false;
  return !/[。！？；;!?]/.test(line) && line.length <= 50;
}
