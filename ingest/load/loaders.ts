/**
 * @module One loader per file extension (a registry, not a switch), each in its own module: plain
 * text, Markdown, saved web pages, Word and PDF.
 */
import path from 'node:path';
import { AppError, isAppError } from '../../core/index.ts';
import type { LoadedText, Loader } from './types.ts';

/**
 * Each format's module is imported on first use: their libraries (a DOM, a PDF engine, a zip and
 * XML reader) cost tens of MB of memory that a process only answering questions never needs.
 */
const plain = async () => (await import('./plain.ts')).loadPlain;
const markdown = async () => (await import('./markdown.ts')).loadMarkdown;
const html = async () => (await import('./html.ts')).loadHtml;
const LOADERS = new Map<string, () => Promise<Loader>>([
  ['.txt', plain],
  ['.md', markdown],
  ['.markdown', markdown],
  ['.html', html],
  ['.htm', html],
  ['.docx', async () => (await import('./docx.ts')).loadDocx],
  ['.pdf', async () => (await import('./pdf.ts')).loadPdf],
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
    return await (await loader())(buffer, fileName);
  } catch (error) {
    if (isAppError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const code = /password/i.test(reason) ? 'document_encrypted' : 'document_unreadable';
    throw new AppError(code, `${fileName} 无法解析：${reason}`, { cause: error });
  }
}
