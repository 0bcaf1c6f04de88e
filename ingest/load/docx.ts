/** @module Word (.docx) through LangChain's DocxLoader (mammoth underneath). */
import { AppError } from '../../core/index.ts';
import { expectMagic } from './magic.ts';
import type { Loader } from './types.ts';

export const loadDocx: Loader = async (buffer, fileName) => {
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
