/**
 * @module The live index as the source of reusable chunks and vectors, checked file by file
 * against its manifest (sizes and SHA-256) before anything in it is trusted or kept.
 */
import {
  checkChunkCount,
  currentIndexDir,
  describeError,
  INDEX_FILES,
  isAppError,
  readManifest,
  readVerifiedIndexFile,
  type ChunkRecord,
  type DocumentRecord,
  type IndexManifest,
} from '../../core/index.ts';

export interface PreviousIndex {
  manifest: IndexManifest;
  chunks: ChunkRecord[];
  vectors: Float32Array;
}

export interface OpenedPrevious {
  /** Undefined when there is no live index or its chunks or vectors are unusable. */
  previous?: PreviousIndex;
  /** Why every document is embedded again, when nothing in the live index may be reused. */
  fullRebuildReason?: string;
  /** What is damaged in the live index when only files derived from its chunks and vectors are: the version is rebuilt from them. */
  repairReason?: string;
}

/** The files built from the chunks and vectors: when only these are damaged, nothing needs embedding again. */
const DERIVED_FILES = [INDEX_FILES.hnsw, INDEX_FILES.keyword, INDEX_FILES.termStats] as const;

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
  const problems: string[] = [];
  for (const file of DERIVED_FILES) {
    try {
      readVerifiedIndexFile(directory, loaded.manifest, file);
    } catch (error) {
      problems.push(damageOf(error));
    }
  }
  if (problems.length === 0) return { previous: loaded };
  return { previous: loaded, repairReason: `现有索引 ${directory} 已损坏（${problems.join('；')}），已重新生成；片段与向量完好，照常复用` };
}

/** The manifest, chunks and vectors of `directory`, each verified; throws when any is unusable. */
function loadReusable(directory: string): PreviousIndex {
  const manifest = readManifest(directory);
  const chunks = JSON.parse(readVerifiedIndexFile(directory, manifest, INDEX_FILES.chunks).toString('utf8')) as ChunkRecord[];
  checkChunkCount(directory, manifest, INDEX_FILES.chunks, chunks.length);
  // Copied: a Float32Array view needs a 4-byte-aligned offset, which a pooled Buffer need not have.
  const vectors = new Float32Array(new Uint8Array(readVerifiedIndexFile(directory, manifest, INDEX_FILES.vectors)).buffer);
  checkChunkCount(directory, manifest, INDEX_FILES.vectors, vectors.length / manifest.embedder.dimensions);
  return { manifest, chunks, vectors };
}

/** Which file is damaged and how, without the bot-facing "rerun ingest" hint (this run is the rerun). */
function damageOf(error: unknown): string {
  if (isAppError(error, 'index_corrupt') && typeof error.context?.file === 'string') return `${error.context.file} ${String(error.context.problem)}`;
  return describeError(error);
}

/** A document's chunks and vectors as the previous index holds them. */
export function reuse(previous: PreviousIndex, old: DocumentRecord): { chunks: ChunkRecord[]; vectors: Float32Array } {
  const dims = previous.manifest.embedder.dimensions;
  return {
    chunks: previous.chunks.slice(old.firstChunk, old.firstChunk + old.chunkCount),
    vectors: previous.vectors.slice(old.firstChunk * dims, (old.firstChunk + old.chunkCount) * dims),
  };
}
