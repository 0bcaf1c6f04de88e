/** @module Checks that a binary document is what its name says, with a clear reason when not. */
import { AppError } from '../../core/index.ts';
import { sniffBinary } from './decode.ts';

export function expectMagic(buffer: Buffer, fileName: string, magic: string, what: string): void {
  if (buffer.subarray(0, magic.length).toString('latin1') === magic) return;
  const actual = sniffBinary(buffer);
  if (actual?.startsWith('OLE')) {
    throw new AppError('document_encrypted', `${fileName} 是加密（设置了密码）的或旧版 .doc 格式的 Word 文件，请另存为未加密的 .docx`);
  }
  throw new AppError('document_unsupported', `${fileName} 不是有效的 ${what} 文件（内容是${actual ?? '文本'}）`);
}
