import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/index.ts';
import { decodeText, extractText, sniffBinary } from '../../../ingest/load/index.ts';
import { fixture, makePdf } from '../../helpers/ingest.ts';

const SAMPLE = '第一条 本市政务服务实行“一窗通办”，企业开办全程网上办理。\n第二条 申请人可以选择容缺承诺制办理。\n';
/** The same sentence encoded as GBK (made with Python's gbk codec; iconv-lite is not a dependency). */
const GBK_BYTES = Buffer.from(readFileSync(fixture('gbk-sample.hex'), 'utf8').trim(), 'hex');

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`;
  }
  return undefined;
}

describe('decodeText', () => {
  it('decodes UTF-8 without a BOM', () => {
    expect(decodeText(Buffer.from(SAMPLE, 'utf8'), 'a.txt')).toEqual({ text: SAMPLE, encoding: 'utf-8' });
  });

  it('decodes UTF-8 with a BOM and drops the BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, 'utf8')]);
    const { text, encoding } = decodeText(bytes, 'a.txt');
    expect(encoding).toBe('utf-8');
    expect(text).toBe(SAMPLE);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('detects GBK and decodes it exactly', () => {
    expect(GBK_BYTES.length).toBeLessThan(Buffer.byteLength(SAMPLE, 'utf8'));
    expect(decodeText(GBK_BYTES, 'gbk.txt')).toEqual({ text: SAMPLE, encoding: 'gb18030' });
  });

  it('keeps Chinese UTF-8 with one truncated character as UTF-8 instead of GB18030 mojibake', () => {
    const long = SAMPLE.repeat(3);
    const bytes = Buffer.from(long, 'utf8');
    const truncated = bytes.subarray(0, bytes.length - 2 - 1); // cut inside the final 。
    const { text, encoding } = decodeText(truncated, 'cut.txt');
    expect(encoding).toBe('utf-8');
    expect(text).toContain('第二条 申请人可以选择容缺承诺制办理');
  });

  it('refuses a PDF renamed to .txt as document_unsupported, naming the file', async () => {
    const pdf = makePdf(['hello']);
    expect(sniffBinary(pdf)).toBe('PDF');
    expect(codeOf(() => decodeText(pdf, 'report.txt'))).toBe('document_unsupported');
    await expect(extractText(pdf, 'report.txt')).rejects.toMatchObject({ code: 'document_unsupported', message: expect.stringContaining('report.txt') });
  });

  it('refuses other binaries (images, NUL bytes) misnamed as text', () => {
    expect(codeOf(() => decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), 'a.md'))).toBe('document_unsupported');
    expect(codeOf(() => decodeText(Buffer.from([0x41, 0x00, 0x42, 0x43]), 'a.txt'))).toBe('document_unsupported');
  });

  it('reports bytes that are neither UTF-8 nor GB18030 as document_unreadable', () => {
    expect(codeOf(() => decodeText(Buffer.from([0x41, 0xff, 0xff, 0x42]), 'junk.txt'))).toBe('document_unreadable');
  });
});
