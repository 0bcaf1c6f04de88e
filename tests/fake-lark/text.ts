/** What a user sees of a sent message or a card. */
import type { SentRecord } from './recording.ts';
import type { FakeCard } from './state.ts';

/**
 * The human-readable text of a sent message record: `text` → text, `post` → the text/md of every
 * element, `interactive` → markdown/plain_text elements (or the referenced card's current text
 * when `cards` is passed), `card_element_content` → the markdown.
 */
export function sentText(r: SentRecord, cards?: Map<string, FakeCard>): string {
  if (r.kind === 'card_element_content') return typeof r.content === 'string' ? r.content : '';
  if (r.cardId && cards?.has(r.cardId)) return cardJsonText(cards.get(r.cardId)?.card);
  const c = r.content;
  if (c == null) return '';
  if (r.msgType === 'text') return typeof c.text === 'string' ? c.text : '';
  if (r.msgType === 'post') {
    const lang = c.zh_cn ?? c.en_us ?? c.ja_jp ?? c;
    const rows: unknown[] = Array.isArray(lang?.content) ? lang.content : [];
    return rows
      .map((row) => (Array.isArray(row) ? row.map((el: any) => (typeof el?.text === 'string' ? el.text : '')).join('') : ''))
      .join('\n');
  }
  return cardJsonText(c);
}

/** Plain text of the card's markdown/plain_text elements, joined by '\n'. */
export function cardJsonText(card: any): string {
  const out: string[] = [];
  const walk = (node: any): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    if (!node || typeof node !== 'object') return;
    if ((node.tag === 'markdown' || node.tag === 'lark_md' || node.tag === 'plain_text') && typeof node.content === 'string') {
      out.push(node.content);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'config' && typeof v === 'object') walk(v);
  };
  walk(card?.body ?? card);
  return out.join('\n');
}
