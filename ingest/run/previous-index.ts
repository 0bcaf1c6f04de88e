/** @module The live index as the source of reusable chunks and vectors. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  currentIndexDir,
  describeError,
  INDEX_FILES,
  readManifest,
  type ChunkRecord,
  type DocumentRecord,
  type IndexManifest,
} from '../../core/index.ts';

export interface PreviousIndex {
  manifest: IndexManifest;
  chunks: ChunkRecord[];
  vectors: Float32Array;
}

/**
 * The live index (`previous` is undefined when there is none or it is unreadable) and, when
 * nothing in it may be reused, why every document is embedded again.
 */
export function openPrevious(indexDir: string, embedderId: string): { previous?: PreviousIndex; fullRebuildReason?: string } {
  const loaded = loadPrevious(indexDir);
  if (loaded && 'problem' in loaded) return { fullRebuildReason: `${loaded.problem}，全部文档重新嵌入` };
  if (loaded && loaded.manifest.embedder.id !== embedderId) {
    return { previous: loaded, fullRebuildReason: `嵌入模型由 ${loaded.manifest.embedder.id} 变为 ${embedderId}，全部文档重新嵌入` };
  }
  return loaded ? { previous: loaded } : {};
}

/** The live index, `undefined` when there is none, or why it cannot be reused. */
function loadPrevious(indexDir: string): PreviousIndex | { problem: string } | undefined {
  let directory: string | undefined;
  try {
    directory = currentIndexDir(indexDir);
    if (!directory) return undefined;
    const manifest = readManifest(directory);
    const chunks = JSON.parse(readFileSync(path.join(directory, INDEX_FILES.chunks), 'utf8')) as ChunkRecord[];
    const bytes = readFileSync(path.join(directory, INDEX_FILES.vectors));
    // Copied: a Float32Array view needs a 4-byte-aligned offset, which a pooled Buffer need not have.
    const vectors = new Float32Array(new Uint8Array(bytes).buffer);
    const expected = manifest.chunkCount * manifest.embedder.dimensions;
    if (chunks.length !== manifest.chunkCount || vectors.length !== expected) {
      return { problem: `现有索引 ${directory} 的片段或向量数与清单不符` };
    }
    return { manifest, chunks, vectors };
  } catch (error) {
    // A broken or unreadable previous index only costs a full rebuild; it must not block a fresh one.
    return { problem: `现有索引无法读取（${describeError(error)}）` };
  }
}

/** A document's chunks and vectors as the previous index holds them. */
export function reuse(previous: PreviousIndex, old: DocumentRecord): { chunks: ChunkRecord[]; vectors: Float32Array } {
  const dims = previous.manifest.embedder.dimensions;
  return {
    chunks: previous.chunks.slice(old.firstChunk, old.firstChunk + old.chunkCount),
    vectors: previous.vectors.slice(old.firstChunk * dims, (old.firstChunk + old.chunkCount) * dims),
  };
}
