/** @module Plain-text rendering of an answer, for the terminal. */
import type { Answer } from './types.ts';

export function formatAnswerText(answer: Answer): string {
  const lines = [answer.text];
  if (answer.note) lines.push('', `（${answer.note}）`);
  if (answer.citations.length > 0) {
    // Related clauses are where to look, not where an answer came from.
    lines.push('', answer.outcome === 'related' ? '相关条款：' : '来源：');
    for (const citation of answer.citations) {
      const where = [citation.title, citation.section].filter(Boolean).join(' › ');
      const meta = [citation.docNumber, citation.date].filter(Boolean).join('，');
      lines.push(`[${citation.n}] 《${where}》${meta ? `（${meta}）` : ''}`, `    “${citation.quote}”`);
    }
  }
  return lines.join('\n');
}
