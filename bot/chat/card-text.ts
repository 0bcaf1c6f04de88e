/**
 * @module Renders a Card JSON 2.0 card as terminal text, so the local chat shows exactly what a
 * Lark user would see: answer, sources, folded 原文 and buttons.
 */
type Node = Record<string, unknown>;

export interface RenderedCard {
  text: string;
  /** Button callback values in display order; the terminal maps `:1`, `:2` … to them. */
  buttons: { label: string; value: unknown }[];
}

function plain(markdown: string): string {
  return markdown
    .replace(/<font[^>]*>|<\/font>/g, '')
    .replace(/\\([*_~`[\]])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\*\*/g, '');
}

export function renderCardText(card: object): RenderedCard {
  const buttons: RenderedCard['buttons'] = [];
  const lines: string[] = [];
  const walk = (elements: unknown, indent: string) => {
    for (const element of (elements as Node[] | undefined) ?? []) {
      switch (element['tag']) {
        case 'markdown':
          lines.push(...plain(String(element['content'])).split('\n').map((line) => indent + line));
          break;
        case 'hr':
          lines.push(`${indent}────────`);
          break;
        case 'collapsible_panel': {
          const title = ((element['header'] as Node | undefined)?.['title'] as Node | undefined)?.['content'];
          lines.push(`${indent}▸ ${plain(String(title ?? ''))}`);
          walk(element['elements'], `${indent}    `);
          break;
        }
        case 'column_set':
          for (const column of (element['columns'] as Node[] | undefined) ?? []) walk(column['elements'], indent);
          break;
        case 'button': {
          if (element['disabled']) {
            lines.push(`${indent}[${(element['text'] as Node)['content']}]`);
            break;
          }
          const behavior = ((element['behaviors'] as Node[] | undefined) ?? [])[0];
          buttons.push({ label: String((element['text'] as Node)['content']), value: behavior?.['value'] });
          lines.push(`${indent}[${(element['text'] as Node)['content']}] 输入 :${buttons.length}`);
          break;
        }
      }
    }
  };
  const header = ((card as Node)['header'] as Node | undefined)?.['title'] as Node | undefined;
  if (header) lines.push(`【${header['content']}】`);
  walk(((card as Node)['body'] as Node | undefined)?.['elements'], '');
  return { text: lines.join('\n'), buttons };
}
