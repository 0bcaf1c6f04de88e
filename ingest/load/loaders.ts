/**
 * @module One loader per file extension (a registry, not a switch), each in its own module: plain
 * text, Markdown, saved web pages, Word and PDF.
 */
import path from 'node:path';
import { AppError, isAppError } from '../../core/index.ts';
import { loadDocx } from './docx.ts';
import { loadHtml } from './html.ts';
import { loadMarkdown } from './markdown.ts';
import { loadPdf } from './pdf.ts';
import { loadPlain } from './plain.ts';
import type { LoadedText, Loader } from './types.ts';

const LOADERS = new Map<string, Loader>([
  ['.txt', loadPlain],
  ['.md', loadMarkdown],
  ['.markdown', loadMarkdown],
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
