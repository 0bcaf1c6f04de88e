/**
 * @module A document's title from its cleaned text, for documents whose file and manifest name
 * none. Saved pages and printed files open with furniture (breadcrumbs, 索引号 tables, page
 * numbers, 附件 1 labels, the red masthead and 文号), and a printed title is broken over lines by
 * hand (明溪县人民政府 / 关于印发…的通知); the title is what remains, put back together.
 *
 * A notice that issues a document (关于印发《…》的通知) is titled by the notice, not the inner
 * name: that is the title portals list and people cite.
 */
import path from 'node:path';
import { isDocNumberLine } from './doc-number.ts';
import { TITLE_ENDING, matchHeading } from '../headings.ts';
import { organisationName } from './signature.ts';

/** Titles sit above the body; past this many lines a title-like line is body text. */
const HEAD_LINES = 60;
const MAX_TITLE = 80;
const NOTICE = /(?:印发|转发|发布|颁布|下发)[^。；]*的(?:通知|决定|公告|通告)(?:[（(][^（）()]{1,12}[）)])?$/;
/** Page information run into the title line: …的通知作者：发布时间：2022-10-12 浏览量： */
const PAGE_INFO = /(?:作者|发布时间|发布日期|发文日期|信息来源|来源|编辑|浏览量?|阅读|点击|字号)[:：]/;

/** A line of body text: a sentence ending, or a long line of prose. */
const isBody = (line: string) => /[。！？!?；;]/.test(line) && line.length > 30;

/** A line that may be (part of) a title: words, no sentence punctuation, no furniture marks. */
function isTitlePart(line: string): boolean {
  if (line.length < 2 || line.length > MAX_TITLE || /[。！？!?；;]|[:：]$/.test(line)) return false;
  if (/^[|*•·#>-]|[>›]/.test(line) || isDocNumberLine(line) || matchHeading(line)) return false;
  return /[\u3400-\u9fff]/.test(line);
}

/**
 * Whether a title part is unfinished, so the next line carries on: an open 《 or （, a 关于 still
 * waiting for its 的通知, an issuing body's name on its own line, or a line broken at full width.
 */
function continues(part: string): boolean {
  const open = (left: string, right: string) => part.split(left).length > part.split(right).length;
  return open('《', '》') || open('（', '）') || open('“', '”') || /关于|印发/.test(part) || organisationName(part) !== undefined || part.length >= 12;
}

/** Titles found in the head, in order: each line, joined with the lines that complete it. */
function titleCandidates(head: string[]): string[] {
  const found: string[] = [];
  for (const [index, line] of head.entries()) {
    let title = line;
    for (let next = index + 1; isTitlePart(title) && !TITLE_ENDING.test(title) && next < Math.min(index + 3, head.length); next++) {
      const part = head[next]!;
      if (!continues(title) || !isTitlePart(part) || title.length + part.length > MAX_TITLE) break;
      title += part;
    }
    if (isTitlePart(title) && title.length >= 6 && TITLE_ENDING.test(title)) found.push(title);
  }
  return found;
}

/** The last crumb of a breadcrumb (政务公开 > 政策问答 > 《…》相关问答) names the page. */
function breadcrumbTitle(head: string[]): string | undefined {
  for (const line of head) {
    const crumbs = line.split(/\s*[>›»]\s*/);
    const last = crumbs.at(-1)?.trim() ?? '';
    if (crumbs.length >= 3 && last.length >= 6 && TITLE_ENDING.test(last)) return last;
  }
  return undefined;
}

export function inferTitle(cleanedText: string, fileName: string): string {
  const lines = cleanedText.split('\n').map((line) => line.split(PAGE_INFO)[0]!.trim());
  const bodyStart = lines.findIndex(isBody);
  const head = lines.slice(0, Math.min(bodyStart === -1 ? lines.length : bodyStart, HEAD_LINES));
  const candidates = titleCandidates(head);
  const title = candidates.find((candidate) => NOTICE.test(candidate)) ?? candidates[0] ?? breadcrumbTitle(head);
  if (title) return title;
  // A text with no recognisable title line: its first short unpunctuated line, as before.
  const plain = lines.slice(0, 12).find((line) => line.length >= 4 && line.length <= 60 && !/[，,。；]/.test(line) && !isDocNumberLine(line) && !matchHeading(line));
  return plain ?? path.basename(fileName, path.extname(fileName));
}
