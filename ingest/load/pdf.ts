/** @module PDF with a text layer, through LangChain's PDFLoader (pdf-parse underneath). */
import { AppError } from '../../core/index.ts';
import { expectMagic } from './magic.ts';
import type { Loader } from './types.ts';

export const loadPdf: Loader = async (buffer, fileName) => {
  expectMagic(buffer, fileName, '%PDF', 'PDF');
  // pdf-parse reports a password only deep inside pdf.js; the trailer's /Encrypt entry says it up front.
  if (buffer.includes('/Encrypt')) {
    throw new AppError('document_encrypted', `${fileName} 是加密（设置了密码）的 PDF，请提供未加密的版本`);
  }
  const { PDFLoader } = await import('@langchain/community/document_loaders/fs/pdf');
  const pages = await new PDFLoader(new Blob([new Uint8Array(buffer)]), { splitPages: true }).load();
  return { text: pages.map((page) => page.pageContent).join('\n'), format: 'pdf' };
};
