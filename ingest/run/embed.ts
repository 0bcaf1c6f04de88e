/** @module Embedding the chunks of every document that has no reused vectors. */
import type { IndexEmbedder } from '../../core/embeddings/index.ts';
import { AppError, chunkSearchText, describeError } from '../../core/index.ts';
import type { IngestProgress, PreparedDocument } from './types.ts';

/** Fills in `vectors` of the documents that have none to reuse; returns how many chunks were embedded. */
export async function embedMissing(
  prepared: PreparedDocument[],
  embedder: IndexEmbedder,
  batchSize: number,
  progress: (event: IngestProgress) => void,
): Promise<number> {
  const pending = prepared.filter((document) => !document.vectors && !document.previous);
  const total = pending.reduce((sum, document) => sum + document.chunks.length, 0);
  let done = 0;
  progress({ phase: 'embed', done, total });
  for (const document of pending) {
    const vectors = new Float32Array(document.chunks.length * embedder.dimensions);
    for (let offset = 0; offset < document.chunks.length; offset += batchSize) {
      const batch = document.chunks.slice(offset, offset + batchSize);
      let embedded: number[][];
      try {
        embedded = await embedder.embedDocuments(batch.map((chunk) => chunkSearchText(document.record.title, chunk)));
      } catch (cause) {
        throw new AppError('embed_failed', `嵌入 ${document.record.file} 失败（${embedder.id}）：${describeError(cause)}`, { cause });
      }
      if (embedded.length !== batch.length) {
        throw new AppError('embed_failed', `嵌入模型为 ${batch.length} 个片段返回了 ${embedded.length} 个向量（${embedder.id}）`);
      }
      embedded.forEach((vector, index) => {
        if (vector.length !== embedder.dimensions) {
          throw new AppError('embed_failed', `嵌入模型返回 ${vector.length} 维向量，预期 ${embedder.dimensions} 维`);
        }
        vectors.set(vector, (offset + index) * embedder.dimensions);
      });
      done += batch.length;
      progress({ phase: 'embed', done, total });
    }
    document.vectors = vectors;
  }
  return total;
}
