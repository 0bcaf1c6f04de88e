/**
 * @module One loader per file extension (a registry, not a switch). Word and PDF go through
 * LangChain's loaders (mammoth and pdf-parse underneath); HTML through html-to-text.
 */
import path from 'node:path';
import { convert as htmlToText, type DomNode, type FormatCallback } from 'html-to-text';
import { AppError, isAppError } from '../../core/index.ts';
import { decodeText, sniffBinary } from './decode.ts';

export interface LoadedText {
  text: string;
  /** Encoding for text formats, the container format otherwise. */
  format: string;
}

type Loader = (buffer: Buffer, fileName: string) => Promise<LoadedText>;

const loadPlain: Loader = async (buffer, fileName) => {
  const { text, encoding } = decodeText(buffer, fileName);
  return { text, format: encoding };
};

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

const loadHtml: Loader = async (buffer, fileName) => {
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

function expectMagic(buffer: Buffer, fileName: string, magic: string, what: string): void {
  if (buffer.subarray(0, magic.length).toString('latin1') === magic) return;
  const actual = sniffBinary(buffer);
  if (actual?.startsWith('OLE')) {
    throw new AppError('document_encrypted', `${fileName} 是加密（设置了密码）的或旧版 .doc 格式的 Word 文件，请另存为未加密的 .docx`);
  }
  throw new AppError('document_unsupported', `${fileName} 不是有效的 ${what} 文件（内容是${actual ?? '文本'}）`);
}

const loadDocx: Loader = async (buffer, fileName) => {
  expectMagic(buffer, fileName, 'PK\u0003\u0004', 'Word (.docx)');
  // Zip entry names are stored uncompressed, so the main part's name is visible in the bytes
  // (usually word/document.xml; some Word Online files have word/document2.xml).
  if (!buffer.includes('word/document')) {
    throw new AppError('document_unsupported', `${fileName} 是 ZIP 压缩包，但不是 Word (.docx) 文件（缺少 word/document.xml）`);
  }
  // Imported on first use: LangChain's loaders cost more start-up time than a text-only run needs.
  const { DocxLoader } = await import('@langchain/community/document_loaders/fs/docx');
  const documents = await new DocxLoader(new Blob([new Uint8Array(buffer)])).load();
  return { text: documents.map((document) => document.pageContent).join('\n'), format: 'docx' };
};

const loadPdf: Loader = async (buffer, fileName) => {
  expectMagic(buffer, fileName, '%PDF', 'PDF');
  // pdf-parse reports a password only deep inside pdf.js; the trailer's /Encrypt entry says it up front.
  if (buffer.includes('/Encrypt')) {
    throw new AppError('document_encrypted', `${fileName} 是加密（设置了密码）的 PDF，请提供未加密的版本`);
  }
  const { PDFLoader } = await import('@langchain/community/document_loaders/fs/pdf');
  const pages = await new PDFLoader(new Blob([new Uint8Array(buffer)]), { splitPages: true }).load();
  return { text: pages.map((page) => page.pageContent).join('\n'), format: 'pdf' };
};

const LOADERS = new Map<string, Loader>([
  ['.txt', loadPlain],
  ['.md', loadPlain],
  ['.markdown', loadPlain],
  ['.html', loadHtml],
  ['.htm', loadHtml],
  ['.docx', loadDocx],
  ['.pdf', loadPdf],
]);

export const SUPPORTED_EXTENSIONS = [...LOADERS.keys()];

export function isSupportedFile(fileName: string): boolean {
  return LOADERS.has(path.extname(fileName).toLowerCase());
}

/** Extracts text from one file's bytes; every failure is an `AppError` naming the file. */
export async function extractText(buffer: Buffer, fileName: string): Promise<LoadedText> {
  const loader = LOADERS.get(path.extname(fileName).toLowerCase());
  if (!loader) {
    throw new AppError('document_unsupported', `${fileName} 的格式不受支持（支持 ${SUPPORTED_EXTENSIONS.join(' ')}）`);
  }
  try {
    return await loader(buffer, fileName);
  } catch (error) {
    if (isAppError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const code = /password/i.test(reason) ? 'document_encrypted' : 'document_unreadable';
    throw new AppError(code, `${fileName} 无法解析：${reason}`, { cause: error });
  }
}
