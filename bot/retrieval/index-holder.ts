/**
 * @module Keeps the live index and swaps it when `CURRENT` moves (an ingest from chat or from the
 * CLI). A query takes the handle once at its start and finishes on it, so a swap never changes
 * the ground under a running query; the old handle is simply dropped for the GC.
 */
import type { IndexEmbedder } from '../../core/embeddings/index.ts';
import { AppError, currentIndexDir, describeError } from '../../core/index.ts';
import { openCurrentIndex, openIndexDirectory, type IndexHandle } from './index-handle.ts';

/** What a query needs of the index: the version live right now. */
export interface IndexSource {
  readonly current: IndexHandle;
}

export class IndexHolder implements IndexSource {
  readonly indexRoot: string;
  readonly #embedder: IndexEmbedder;
  #handle: IndexHandle;
  #timer: NodeJS.Timeout | undefined;
  /** The last version that failed to open, and why: versions are never rewritten in place, so it stays failed. */
  #rejected: { directory: string; error: unknown } | undefined;

  constructor(indexRoot: string, embedder: IndexEmbedder) {
    this.indexRoot = indexRoot;
    this.#embedder = embedder;
    this.#handle = this.#checked(openCurrentIndex(indexRoot));
  }

  get current(): IndexHandle {
    return this.#handle;
  }

  #checked(handle: IndexHandle): IndexHandle {
    const built = handle.manifest.embedder;
    if (built.id !== this.#embedder.id) {
      throw new AppError(
        'index_incompatible',
        `索引由嵌入模型 ${built.id} 构建，当前配置为 ${this.#embedder.id}；请运行 npm run ingest 重新导入（会自动全量重建）`,
      );
    }
    return handle;
  }

  /** Re-reads the pointer; opens and swaps in the new version if it moved. True when swapped. */
  refresh(): boolean {
    // The pointer is read once and exactly that version opened, so an ingest switching in
    // between cannot leave the handle and what we think is current out of step.
    const directory = currentIndexDir(this.indexRoot);
    if (!directory || directory === this.#handle.directory) return false;
    // Not re-read on every poll: checking a large version means hashing all its files.
    if (this.#rejected?.directory === directory) throw this.#rejected.error;
    try {
      // Assigned only once the new version passed every check: until then the last good one serves.
      this.#handle = this.#checked(openIndexDirectory(directory));
    } catch (error) {
      this.#rejected = { directory, error };
      throw error;
    }
    return true;
  }

  /**
   * Polls the pointer so that an ingest run from the CLI is picked up without a restart. A failure
   * is reported once, not on every poll, while the last good version keeps serving.
   */
  watch(intervalMs: number, onSwap: (handle: IndexHandle) => void, onError: (error: unknown) => void): void {
    let reported: string | undefined;
    this.#timer = setInterval(() => {
      try {
        if (this.refresh()) onSwap(this.#handle);
        reported = undefined;
      } catch (error) {
        const message = describeError(error);
        if (message !== reported) onError(error);
        reported = message;
      }
    }, intervalMs);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
