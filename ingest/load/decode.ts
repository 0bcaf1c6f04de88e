/**
 * @module Bytes → text for plain-text formats. Chinese government sites still publish GBK/GB18030
 * files; a misnamed binary (a PDF or Word file renamed to .txt) must be refused, not indexed as noise.
 */
import { AppError } from '../../core/index.ts';

const MAGIC: { bytes: number[]; what: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'PDF' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'ZIP/Office (docx/xlsx)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'OLE (旧版 .doc 或加密的 Office 文件)' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'PNG 图片' },
  { bytes: [0xff, 0xd8, 0xff], what: 'JPEG 图片' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'GIF 图片' },
];

export function sniffBinary(buffer: Uint8Array): string | undefined {
  const known = MAGIC.find(({ bytes }) => bytes.every((byte, index) => buffer[index] === byte));
  if (known) return known.what;
  const sample = buffer.subarray(0, 8192);
  // UTF-16 text is not expected here; any NUL in the head means a binary format.
  if (sample.includes(0)) return '二进制数据';
  return undefined;
}

/** 'utf-8', 'gb18030', or the WHATWG name of a charset the file declared (e.g. 'big5'). */
export type TextEncodingName = string;

/** A UTF-8 file damaged in a few places (a truncated download, one stray byte) is still UTF-8. */
const MAX_UTF8_DAMAGE = 3;
const MIN_CJK_FOR_DAMAGED_UTF8 = 20;

/** The WHATWG multi-byte legacy encodings that are not plain ASCII: what a CJK page can be in. */
const MULTI_BYTE = new Set(['gbk', 'gb18030', 'big5', 'euc-jp', 'shift_jis', 'euc-kr']);

/**
 * The encoding to read a declared multi-byte charset with, else undefined. A single-byte
 * declaration (iso-8859-1, windows-1252) on a page whose bytes are not UTF-8 is far more often a
 * misconfigured Chinese site than real Latin-1 text, and such a decoder never fails, so sniffing
 * decides there.
 */
function declaredEncoding(label: string | undefined): string | undefined {
  if (!label) return undefined;
  let encoding: string;
  try {
    encoding = new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
  if (!MULTI_BYTE.has(encoding)) return undefined;
  return encoding === 'gbk' ? 'gb18030' : encoding;
}

/**
 * UTF-8 when the bytes are valid UTF-8 (a fatal decoder proves it), otherwise GB18030, a strict
 * superset of GBK and GB2312. A GBK file is practically never valid UTF-8, so the order is safe.
 * GB18030 accepts almost any byte pairs, so Chinese UTF-8 with a handful of broken bytes would
 * "decode" as GB18030 mojibake; such text is kept as UTF-8 with the broken bytes replaced.
 *
 * `declared` is the charset the file names itself (a web page's <meta charset>). It is used for
 * bytes that are not UTF-8: a page re-saved as UTF-8 often keeps its old gb2312 declaration, and
 * valid UTF-8 is practically never meant as anything else. The GB family (gb2312, gbk) is read as
 * GB18030, the superset those pages really use; Big5 or Shift_JIS would otherwise come out as
 * GB18030 mojibake.
 */
export function decodeText(buffer: Uint8Array, fileName: string, declared?: string): { text: string; encoding: TextEncodingName } {
  const binary = sniffBinary(buffer);
  if (binary) {
    throw new AppError('document_unsupported', `${fileName} 的内容是${binary}，不是文本文件（扩展名与内容不符）`);
  }
  const body = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? buffer.subarray(3) : buffer;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    const lenient = new TextDecoder('utf-8').decode(body);
    const damage = lenient.match(/\ufffd/g)?.length ?? 0;
    const cjk = lenient.match(/[\u3400-\u9fff]/g)?.length ?? 0;
    if (damage <= MAX_UTF8_DAMAGE && cjk >= MIN_CJK_FOR_DAMAGED_UTF8) return { text: lenient.replace(/\ufffd/g, ''), encoding: 'utf-8' };
    const named = declaredEncoding(declared);
    if (named) {
      try {
        return { text: new TextDecoder(named, { fatal: true }).decode(body), encoding: named };
      } catch {
        // Bytes the declared charset cannot read: the declaration is wrong, so sniff as without one.
      }
    }
    try {
      return { text: new TextDecoder('gb18030', { fatal: true }).decode(body), encoding: 'gb18030' };
    } catch (cause) {
      throw new AppError('document_unreadable', `${fileName} 既不是 UTF-8 也不是 GBK/GB18030 编码的文本`, { cause });
    }
  }
}
