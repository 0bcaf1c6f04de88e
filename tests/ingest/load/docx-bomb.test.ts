/**
 * A .docx decompression bomb (a valid package whose document.xml inflates to ~150 MB) is refused
 * quickly and without inflating it, whether its headers state the real size or lie about it, and so
 * is a smaller one compressed far beyond what Word's XML ever is. A
 * control of the same shape but a modest size is still read, so the refusal is about the bomb.
 */
import { describe, expect, it } from 'vitest';
import { extractText } from '../../../ingest/load/index.ts';
import { docxBomb } from '../../helpers/docx-bomb.ts';
import { appErrorOf } from '../../helpers/errors.ts';

const BOMB_BYTES = 150 * 1024 * 1024;
const GB = 1024 * 1024 * 1024;

/** Runs `work`, sampling the process's resident memory meanwhile; returns its result, time and peak. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  const result = await work().finally(() => clearInterval(timer));
  return { result, ms: performance.now() - started, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
}

describe('docx decompression bomb', () => {
  it.each([
    ['declaring its real size', BOMB_BYTES, false, /解压后达 150.0 MB，超过上限/],
    ['lying about its size in the zip headers', BOMB_BYTES, true, /实际大小超过其声明的 4.0 KB/],
    ['under the size limit but compressed 1000 : 1', 32 * 1024 * 1024, false, /压缩比 \d+:1，超过上限 100:1/],
  ])('is refused in well under 10 s and 1 GB, with a Chinese reason, when %s', async (_label, bytes, lie, reason) => {
    const bomb = await docxBomb(bytes, { lie });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { result: error, ms, peakRss } = await measured(() => appErrorOf(extractText(bomb, '炸弹.docx')));
    expect(error.code).toBe('document_too_large');
    expect(error.message).toMatch(/^炸弹.docx 无法导入：内部文件 word\/document.xml .*疑似“压缩炸弹”/);
    expect(error.message).toMatch(reason);
    expect(ms).toBeLessThan(10_000);
    expect(peakRss).toBeLessThan(GB);
  }, 60_000);

  it('still reads a package of the same shape with a modest document', async () => {
    const { text } = await extractText(await docxBomb(64 * 1024), '正常.docx');
    expect(text).toContain('第一条 为规范政务服务事项办理');
  });
});
