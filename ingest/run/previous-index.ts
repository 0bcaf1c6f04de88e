/**
 * @module The live index as the source of reusable chunks and vectors, checked file by file
 * against its manifest (sizes and SHA-256) before anything in it is trusted or kept.
 */
import path from 'node:path';
import {
  checkChunkCount,
  currentIndexDir,
  describeError,
  INDEX_FILES,
  IndexStore,
  isAppError,
  readManifest,
  verifyIndexFile,
  type ChunkRecord,
  type DocumentRecord,
  type IndexManifest,
} from '../../core/index.ts';

export interface PreviousIndex {
  directory: string;
  manifest: IndexManifest;
  /** Open read-only until the run ends (`close`). */
  store: IndexStore;
}

export interface OpenedPrevious {
  /** Undefined when there is no live index or its database is unusable. */
  previous?: PreviousIndex;
  /** Why every document is embedded again, when nothing in the live index may be reused. */
  fullRebuildReason?: string;
  /** What is damaged in the live index when only the vector graph is: the version is rebuilt from its database. */
  repairReason?: string;
}

export function openPrevious(indexDir: string, embedderId: string): OpenedPrevious {
  let directory: string | undefined;
  let loaded: PreviousIndex;
  try {
    directory = currentIndexDir(indexDir);
    if (!directory) return {};
    loaded = loadReusable(directory);
  } catch (error) {
    // A broken or unreadable live index only costs a full rebuild; it must not block a fresh one.
    const state = isAppError(error, 'index_corrupt') ? '已损坏' : '无法使用';
    return { fullRebuildReason: `现有索引${directory ? ` ${directory} ` : ''}${state}（${damageOf(error)}），全部文档重新嵌入` };
  }
  if (loaded.manifest.embedder.id !== embedderId) {
    return { previous: loaded, fullRebuildReason: `嵌入模型由 ${loaded.manifest.embedder.id} 变为 ${embedderId}，全部文档重新嵌入` };
  }
  // Hashed in full here rather than only at the bot's open: this check decides whether the live
  // version may stay as it is ("没有变化"), and a run that keeps a damaged version never repairs it.
  try {
    verifyIndexFile(directory, loaded.manifest, INDEX_FILES.hnsw);
  } catch (error) {
    return { previous: loaded, repairReason: `现有索引 ${directory} 已损坏（${damageOf(error)}），已重新生成；片段与向量完好，照常复用` };
  }
  return { previous: loaded };
}

/** The manifest and database of `directory`, verified; throws when either is unusable. */
function loadReusable(directory: string): PreviousIndex {
  const manifest = readManifest(directory);
  verifyIndexFile(directory, manifest, INDEX_FILES.database);
  const store = IndexStore.open(path.join(directory, INDEX_FILES.database), 'read');
  try {
    checkChunkCount(directory, manifest, INDEX_FILES.database, store.chunkCount());
  } catch (error) {
    store.close();
    throw error;
  }
  return { directory, manifest, store };
}

/** Which file is damaged and how, without the bot-facing "rerun ingest" hint (this run is the rerun). */
function damageOf(error: unknown): string {
  if (isAppError(error, 'index_corrupt') && typeof error.context?.file === 'string') return `${error.context.file} ${String(error.context.problem)}`;
  return describeError(error);
}

/** A document's chunks as the previous index holds them. */
export function previousChunks(previous: PreviousIndex, old: DocumentRecord): ChunkRecord[] {
  return previous.store.chunks(old.firstChunk, old.chunkCount);
}
