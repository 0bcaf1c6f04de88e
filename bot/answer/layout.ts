/**
 * @module A PDF's lines are the page's, not the author's: a sentence runs on over a line break
 * where the page ended a line (进行 5\n个工作日的公示). Other formats keep the author's lines
 * (paragraphs, headings, list items), which a sentence never spans.
 */
import type { DocumentRecord } from '../../core/index.ts';

export function pageWrapped(document: Pick<DocumentRecord, 'file'>): { joinWrapped: boolean } {
  return { joinWrapped: /\.pdf$/i.test(document.file) };
}
