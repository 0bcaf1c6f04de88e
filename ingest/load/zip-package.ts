/**
 * @module Reading parts of a zip-based document (Word's OPC package) without trusting the zip. A
 * decompression bomb (a few hundred KB that inflate to gigabytes) must be refused before it costs
 * memory or minutes: each part's declared size and compression ratio are checked before it is
 * inflated, and while it inflates the bytes are counted against what was declared and a budget for
 * the whole package, because the declared sizes are written by whoever made the file. yauzl reads
 * the central directory and streams one entry at a time, and fails a stream that outgrows its
 * declared size (`validateEntrySizes`).
 */
import { fromBufferPromise, type Entry, type ZipFile } from 'yauzl';
import { AppError, formatSize } from '../../core/index.ts';

/**
 * Inflated bytes all the parts one document reads may take together. The XML of a 1,000-page
 * regulation is a few tens of MB; beyond this the XML DOM alone would need gigabytes.
 */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
/**
 * Word's XML deflates about 5–30 : 1; 150 MB of repeated text deflates about 300 : 1 or more.
 * Small parts are exempt: a few KB of boilerplate can legitimately compress far better.
 */
const MAX_RATIO = 100;
const RATIO_EXEMPT_BYTES = 1024 * 1024;

export interface ZipPackage {
  /** A part's text (UTF-8), or undefined when the package has no such part. */
  read(partPath: string): Promise<string | undefined>;
  close(): void;
}

function bombError(fileName: string, detail: string): AppError {
  return new AppError('document_too_large', `${fileName} 无法导入：${detail}，疑似“压缩炸弹”或异常文件，已拒绝`);
}

function checkDeclared(fileName: string, entry: Entry, budget: number): void {
  const { uncompressedSize, compressedSize } = entry;
  if (uncompressedSize > budget) {
    throw bombError(fileName, `内部文件 ${entry.fileName} 解压后达 ${formatSize(uncompressedSize)}，超过上限 ${formatSize(MAX_INFLATED_BYTES)}`);
  }
  if (uncompressedSize > RATIO_EXEMPT_BYTES && uncompressedSize > MAX_RATIO * Math.max(compressedSize, 1)) {
    const ratio = Math.round(uncompressedSize / Math.max(compressedSize, 1));
    throw bombError(fileName, `内部文件 ${entry.fileName} 压缩比 ${ratio}:1，超过上限 ${MAX_RATIO}:1`);
  }
}

async function inflate(zip: ZipFile, entry: Entry, fileName: string, budget: number): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      // yauzl already fails a stream that outgrows its declared size; this also bounds the package.
      if (total > budget) throw bombError(fileName, `解压数据超过上限 ${formatSize(MAX_INFLATED_BYTES)}`);
      chunks.push(chunk);
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof AppError) throw error;
    // The message yauzl gives a stream longer than its header says ("too many bytes in the stream").
    if (error instanceof Error && /too many bytes/i.test(error.message)) {
      throw bombError(fileName, `内部文件 ${entry.fileName} 的实际大小超过其声明的 ${formatSize(entry.uncompressedSize)}`);
    }
    throw error;
  }
  return Buffer.concat(chunks, total);
}

export async function openZipPackage(buffer: Buffer, fileName: string): Promise<ZipPackage> {
  const zip = await fromBufferPromise(buffer, { lazyEntries: true, autoClose: false });
  const entries = new Map<string, Entry>();
  try {
    for await (const entry of zip.eachEntry()) entries.set(entry.fileName, entry);
  } catch (error) {
    zip.close();
    throw error;
  }
  let budget = MAX_INFLATED_BYTES;
  return {
    async read(partPath) {
      const entry = entries.get(partPath.replace(/^\//, ''));
      if (!entry) return undefined;
      checkDeclared(fileName, entry, budget);
      const bytes = await inflate(zip, entry, fileName, budget);
      budget -= bytes.length;
      return bytes.toString('utf8');
    },
    close: () => zip.close(),
  };
}
