/**
 * @module The structural headings of Chinese policy documents, from outermost to innermost.
 * The rank is fixed by convention (附件 › 附表 › 章 › 节 › 条 › 一、 › （一） › 1. › （1）), so a
 * document that skips a level still nests correctly.
 */
const CN_NUMBER = '[一二三四五六七八九十百零〇两]+';
const NUMBER = `(?:${CN_NUMBER}|\\d{1,3})`;

export interface HeadingPattern {
  kind: 'attachment' | 'schedule' | 'chapter' | 'section' | 'article' | 'cn-item' | 'cn-paren-item' | 'item' | 'paren-item' | 'lead';
  rank: number;
  pattern: RegExp;
}

/**
 * 附件 2 / 附表1 opening an attachment: the marker alone on its line, or followed by a title after a
 * space. With a colon (附件：1.…申请表) it is the notice's list of attachments, which is body text.
 */
const attachment = (word: string) => new RegExp(`^附\\s*${word}\\s*(?:\\d{1,2}|[一二三四五六七八九十]{1,3})?(?:\\s+[^\\s:：][^。；;:：]{0,40})?$`);

const CHAPTER_RANK = 2;

export const HEADING_PATTERNS: HeadingPattern[] = [
  { kind: 'attachment', rank: 0, pattern: attachment('件') },
  // Forms attached to an attachment (附件 2 › 附表 1) rank below it.
  { kind: 'schedule', rank: 1, pattern: attachment('表') },
  { kind: 'chapter', rank: CHAPTER_RANK, pattern: new RegExp(`^第${NUMBER}章`) },
  // 总则 / 分则 / 附则 standing alone (often letter-spaced, 总　则) are chapters without a number.
  { kind: 'chapter', rank: CHAPTER_RANK, pattern: /^[总分附]\s*则$/ },
  { kind: 'section', rank: 3, pattern: new RegExp(`^第${NUMBER}节`) },
  { kind: 'article', rank: 4, pattern: new RegExp(`^第${NUMBER}条`) },
  { kind: 'cn-item', rank: 5, pattern: new RegExp(`^${CN_NUMBER}[、．.]`) },
  { kind: 'cn-paren-item', rank: 6, pattern: new RegExp(`^[（(]${CN_NUMBER}[）)]`) },
  // `1.5亿元` is a number, not an item: the marker must not be followed by another digit.
  { kind: 'item', rank: 7, pattern: /^\d{1,2}(?:[、．]|\.(?!\d))/ },
  { kind: 'paren-item', rank: 8, pattern: /^[（(]\d{1,2}[）)]/ },
  // "——经济指标平稳增长": a short run-in heading used by plans and reports.
  { kind: 'lead', rank: 9, pattern: /^——[^。！？；]{2,30}$/ },
];

export function matchHeading(line: string): HeadingPattern | undefined {
  return HEADING_PATTERNS.find(({ pattern }) => pattern.test(line));
}

export const TABLE_CAPTION = /^表\s*\d+/;

/** How a document names its own kind at the end of its title: …办法, …的通知, …细则（试行）. */
export const TITLE_ENDING =
  /(?:条例|办法|规定|细则|规则|通知|意见|决定|公告|通告|通报|批复|方案|规划|纲要|计划|措施|清单|目录|指南|问答|实录|情况|解读|答记者问|标准|要点|报告)(?:[（(][^（）()]{1,12}[）)])?$/;

/**
 * A chapter named without 第X章 (市科学技术奖的设置, 监督和管理): a short line of words, no
 * punctuation but 、, standing right before an article or section. A document's own title
 * (…办法) can stand there too and is not a chapter.
 */
function isUnnumberedChapter(line: string, next: string | undefined): boolean {
  if (next === undefined) return false;
  const nextKind = matchHeading(next)?.kind;
  if (nextKind !== 'article' && nextKind !== 'section') return false;
  return /^[\u3400-\u9fff、]{2,20}$/.test(line) && !TITLE_ENDING.test(line);
}

const UNNUMBERED_CHAPTER: HeadingPattern = { kind: 'chapter', rank: CHAPTER_RANK, pattern: /^.*$/ };

/** A marker without words, whose title the layout may have put on the next line. */
const BARE_MARKER = new RegExp(`^(?:附\\s*[件表]\\s*(?:\\d{1,2}|${CN_NUMBER})?|第${NUMBER}[章节]|${CN_NUMBER}[、．.]|[（(]${CN_NUMBER}[）)])$`);

/** A line that can be the title of the bare marker above it (附件 2 / “…”申请表). */
function isTitleLine(line: string): boolean {
  return line.length >= 2 && line.length <= 40 && !line.startsWith('|') && !matchHeading(line) && !/[。；;！？!?：:，,]/.test(line);
}

/**
 * The heading path entry of a line, or undefined for body text. `next` is the following line: it
 * tells an unnumbered chapter title from a short sentence, and completes a bare marker (附件 2,
 * 第三章) with the title the layout put on the next line (`takesNextLine`).
 */
export function readHeading(line: string, next: string | undefined): { heading: HeadingPattern; title: string; takesNextLine: boolean } | undefined {
  const heading = matchHeading(line) ?? (isUnnumberedChapter(line, next) ? UNNUMBERED_CHAPTER : undefined);
  if (!heading) return undefined;
  if (BARE_MARKER.test(line) && next !== undefined && isTitleLine(next)) {
    return { heading, title: headingTitle(`${line} ${next}`, heading), takesNextLine: true };
  }
  return { heading, title: headingTitle(line, heading), takesNextLine: false };
}

/**
 * The heading's own title, for section paths. An article (第X条) has no title of its own: its
 * whole line is provision text, so the path names it by number. Other headings may run their body
 * in (`1.市场主体培育。深入推进…`); their title is the first sentence, shortened for display.
 */
function headingTitle(line: string, heading: HeadingPattern | undefined = matchHeading(line)): string {
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
