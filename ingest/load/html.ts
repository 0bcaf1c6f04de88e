/** @module Saved web pages (.html): the page's text, tables as `| a | b |` rows. */
import { convert as htmlToText, type DomNode, type FormatCallback } from 'html-to-text';
import { decodeText } from './decode.ts';
import type { Loader } from './types.ts';

/** The text of an HTML subtree, whitespace collapsed (cells and captions are one line each). */
function nodeText(node: DomNode): string {
  if (node.type === 'text') return node.data ?? '';
  if (node.name === 'br') return ' ';
  return (node.children ?? []).map(nodeText).join('');
}

function findAll(node: DomNode, names: string[], stopAt: string[] = []): DomNode[] {
  const found: DomNode[] = [];
  for (const child of node.children ?? []) {
    if (child.type !== 'tag' || !child.name) continue;
    if (names.includes(child.name)) found.push(child);
    else if (!stopAt.includes(child.name)) found.push(...findAll(child, names, stopAt));
  }
  return found;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * A table as `| a | b |` rows under its caption: the form the cleaner and chunker recognise as a
 * table (kept whole). html-to-text's own table layout pads columns with spaces, which the space
 * normalisation then glues together.
 */
const pipeTable: FormatCallback = (elem, _walk, builder) => {
  const caption = findAll(elem, ['caption'], ['table'])[0];
  const rows = findAll(elem, ['tr'], ['table'])
    .map((row) => findAll(row, ['td', 'th'], ['table']).map((cell) => oneLine(nodeText(cell)).replace(/\|/g, '｜')))
    .filter((cells) => cells.some((cell) => cell !== ''));
  const lines = [...(caption ? [oneLine(nodeText(caption))].filter(Boolean) : []), ...rows.map((cells) => `| ${cells.join(' | ')} |`)];
  for (const line of lines) {
    builder.openBlock({ leadingLineBreaks: 1 });
    builder.addLiteral(line);
    builder.closeBlock({ trailingLineBreaks: 1 });
  }
};

const SKIPPED_ELEMENTS = ['img', 'script', 'style', 'noscript', 'template', 'iframe', 'nav', 'form', 'button', 'select'];

export const loadHtml: Loader = async (buffer, fileName) => {
  const { text, encoding } = decodeText(buffer, fileName);
  const plain = htmlToText(text, {
    wordwrap: false,
    formatters: { pipeTable },
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      ...SKIPPED_ELEMENTS.map((selector) => ({ selector, format: 'skip' })),
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'h4', options: { uppercase: false } },
      { selector: 'h5', options: { uppercase: false } },
      { selector: 'h6', options: { uppercase: false } },
      { selector: 'table', format: 'pipeTable' },
    ],
  });
  return { text: plain, format: `html/${encoding}` };
};
