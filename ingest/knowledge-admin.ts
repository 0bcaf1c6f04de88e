/**
 * @module What admins do to the knowledge base while the bot runs: add or replace a document,
 * remove one, re-ingest. Runs are serialised in process (and across processes by ingest's lock
 * file); the live index switches only after a successful run, and a failed run puts the
 * knowledge folder back the way it was.
 */
import { existsSync } from 'node:fs';
import { copyFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, currentIndexDir, describeError, formatSize, readManifest, type DocumentRecord, type Logger } from '../core/index.ts';
import type { IngestSummary } from './run/index.ts';
import { skippedReason } from './files.ts';
import { isSupportedFile, SUPPORTED_EXTENSIONS } from './load/index.ts';

export interface KnowledgeAdminOptions {
  knowledgeDir: string;
  indexDir: string;
  maxFileBytes: number;
  /** One ingest of `knowledgeDir` into `indexDir` (in process, or on another thread for the bot). */
  runIngest: () => Promise<IngestSummary>;
  /** Tells the question answerers to switch to the new index. */
  onIndexSwitched: () => Promise<void>;
  logger: Logger;
}

/** Where an upload is written before it replaces the document, and where the old one waits meanwhile. */
const STAGING_SUFFIX = '.upload.tmp';
const BACKUP_SUFFIX = '.bak';
/**
 * File systems limit a name to 255 bytes (not characters: a Chinese character is 3 bytes in
 * UTF-8), and the staging copy carries the longest suffix.
 */
const MAX_NAME_BYTES = 255 - STAGING_SUFFIX.length;

/** `text` cut to at most `maxBytes` of UTF-8, never inside a character (nor an emoji or accent). */
function cutToBytes(text: string, maxBytes: number): string {
  let cut = '';
  let bytes = 0;
  for (const { segment } of new Intl.Segmenter('zh', { granularity: 'grapheme' }).segment(text)) {
    bytes += Buffer.byteLength(segment);
    if (bytes > maxBytes) break;
    cut += segment;
  }
  return cut;
}

/**
 * A file name that stays inside the knowledge folder: no directories, no leading dots, no
 * control or shell-special characters; Chinese is kept because that is how documents are named.
 * A name ingest would skip (README.md) is refused rather than renamed: the admin would not find
 * the document under a name they never chose, and README is the folder's own notes, which an
 * upload must not overwrite.
 */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC');
  const extension = path.extname(base).toLowerCase();
  const stem = base
    .slice(0, base.length - extension.length)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a file name must lose.
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '')
    .replace(/^[.\s-]+/, '')
    .replace(/\s+/g, '_');
  if (stem === '' || !isSupportedFile(base)) {
    throw new AppError('upload_rejected', `文件名「${name}」不可用：需要 ${SUPPORTED_EXTENSIONS.join(' ')} 格式且名称不能为空`);
  }
  const file = `${cutToBytes(stem, MAX_NAME_BYTES - Buffer.byteLength(extension))}${extension}`;
  const skipped = skippedReason(file);
  if (skipped) throw new AppError('upload_rejected', `文件名「${file}」不可用：${skipped}，导入时会跳过。请改名后重新发送`);
  return file;
}

export class KnowledgeAdmin {
  readonly #options: KnowledgeAdminOptions;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: KnowledgeAdminOptions) {
    this.#options = options;
  }

  get maxFileBytes(): number {
    return this.#options.maxFileBytes;
  }

  listDocuments(): { documents: DocumentRecord[]; version: string; builtAt: string } {
    const directory = currentIndexDir(this.#options.indexDir);
    if (!directory) throw new AppError('index_missing', `${this.#options.indexDir} 下还没有索引；请先运行 npm run ingest`);
    const manifest = readManifest(directory);
    return { documents: manifest.documents, version: manifest.version, builtAt: manifest.builtAt };
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #ingest(): Promise<IngestSummary> {
    const summary = await this.#options.runIngest();
    // From here the folder and the live index agree; a reader that fails to follow is reported,
    // never "fixed" by undoing the folder change (its index poll retries anyway).
    if (summary.switched) {
      await this.#options.onIndexSwitched().catch((error: unknown) => {
        this.#options.logger.error('index refresh after ingest failed', { version: summary.version, error: describeError(error) });
      });
    }
    return summary;
  }

  reingest(): Promise<IngestSummary> {
    return this.#serialised(() => this.#ingest());
  }

  /**
   * Saves the upload (replacing a same-named one) and re-ingests; ingest checks the real type and
   * content. If the document cannot be used, or the run fails, the folder is restored.
   */
  addDocument(originalName: string, bytes: Buffer): Promise<{ file: string; replaced: boolean; summary: IngestSummary }> {
    return this.#serialised(async () => {
      const file = safeFileName(originalName);
      if (bytes.length > this.#options.maxFileBytes) {
        throw new AppError('document_too_large', `${file} 超过大小上限 ${formatSize(this.#options.maxFileBytes)}`);
      }
      if (bytes.length === 0) throw new AppError('document_empty', `${file} 是空文件`);
      const target = path.join(this.#options.knowledgeDir, file);
      const backup = `${target}${BACKUP_SUFFIX}`;
      const replaced = existsSync(target);
      if (replaced) await copyFile(target, backup);
      const staging = `${target}${STAGING_SUFFIX}`;
      await writeFile(staging, bytes);
      await rename(staging, target);
      try {
        const summary = await this.#ingest();
        const report = summary.documents.find((document) => document.path === file);
        if (report?.status === 'failed') throw new AppError(report.errorCode === undefined ? 'document_unreadable' : (report.errorCode as AppError['code']), report.error ?? `${file} 导入失败`);
        // A copy of a document already served is not indexed: "added" would be a promise not kept.
        if (report?.status === 'duplicate') throw new AppError('upload_rejected', `${file} 未导入：${report.error ?? '与已有文档内容相同'}`);
        return { file, replaced, summary };
      } catch (error) {
        if (replaced) await rename(backup, target);
        else await rm(target, { force: true });
        throw error;
      } finally {
        await rm(backup, { force: true });
      }
    });
  }

  /**
   * The documents `query` names: those whose file name or title is exactly it, else those whose
   * file name or title contains it (which one is meant is then the admin's choice, never ours).
   */
  findDocuments(query: string): { documents: DocumentRecord[]; exact: boolean } {
    const wanted = query.trim().replace(/^《|》$/g, '');
    if (wanted === '') return { documents: [], exact: false };
    const { documents } = this.listDocuments();
    const exact = documents.filter((document) => document.file === wanted || document.title === wanted);
    if (exact.length > 0) return { documents: exact, exact: true };
    return { documents: documents.filter((document) => document.file.includes(wanted) || document.title.includes(wanted)), exact: false };
  }

  /** Removes the document stored as `file` (an exact file name, as `findDocuments` gives it). */
  removeDocument(file: string): Promise<{ file: string; title: string; summary: IngestSummary }> {
    return this.#serialised(async () => {
      const document = this.listDocuments().documents.find((candidate) => candidate.file === file);
      if (!document) throw new AppError('invalid_argument', `没有找到文档「${file}」；发送“文档”查看列表`);
      const target = path.join(this.#options.knowledgeDir, document.file);
      const parked = `${target}${BACKUP_SUFFIX}`;
      await rename(target, parked);
      try {
        const summary = await this.#ingest();
        await rm(parked, { force: true });
        return { file: document.file, title: document.title, summary };
      } catch (error) {
        await rename(parked, target);
        throw error;
      }
    });
  }
}
