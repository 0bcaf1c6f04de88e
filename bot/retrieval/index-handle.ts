/**
 * @module An opened index version: what a query needs, the vector graph loaded once and the chunk
 * records read on demand from the version's database. A handle never changes after opening; a new
 * ingest produces a new handle and the old one serves the queries already running on it.
 */
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import {
  AppError,
  checkChunkCount,
  checkIndexFileSizes,
  currentIndexDir,
  describeError,
  INDEX_FILES,
  IndexStore,
  readManifest,
  verifyIndexFile,
  type DocumentRecord,
  type IndexManifest,
  type KeywordIndex,
  type TermStats,
} from '../../core/index.ts';
import { ChunkReader } from './chunk-reader.ts';

export interface IndexHandle {
  directory: string;
  manifest: IndexManifest;
  /** By ordinal; ordinals of documents removed since the version was first built read as undefined. */
  chunks: ChunkReader;
  documents: Map<string, DocumentRecord>;
  keyword: KeywordIndex;
  vectors: hnswlib.HierarchicalNSW;
  termStats: TermStats;
}

/**
 * Opens a version after checking its files against the manifest: the size of both, the SHA-256
 * of the vector graph, which is read whole anyway and must never reach hnswlib's native reader
 * damaged. The database is only size-checked here: hashing it would read every byte of a file
 * that is otherwise read only where a query looks (a 1,000× corpus's is about a gigabyte), and
 * SQLite reports a damaged page itself when one is read. Ingest hashes it in full before reusing
 * anything in it (ingest/run/previous-index.ts).
 */
export function openIndexDirectory(directory: string): IndexHandle {
  const manifest = readManifest(directory);
  checkIndexFileSizes(directory, manifest);
  verifyIndexFile(directory, manifest, INDEX_FILES.hnsw);
  const store = IndexStore.open(path.join(directory, INDEX_FILES.database), 'read');
  let handle: IndexHandle;
  try {
    const vectors = new hnswlib.HierarchicalNSW('cosine', manifest.embedder.dimensions);
    vectors.readIndexSync(path.join(directory, INDEX_FILES.hnsw));
    vectors.setEf(64);
    checkChunkCount(directory, manifest, INDEX_FILES.database, store.chunkCount());
    handle = {
      directory,
      manifest,
      chunks: new ChunkReader(store),
      documents: new Map(manifest.documents.map((document) => [document.docId, document])),
      keyword: store.keyword,
      vectors,
      termStats: { chunkCount: manifest.chunkCount, df: (token) => store.keyword.documentFrequency(token) },
    };
  } catch (cause) {
    store.close();
    if (cause instanceof AppError) throw cause;
    throw new AppError('index_corrupt', `索引 ${directory} 已损坏（${describeError(cause)}）；请重新运行 npm run ingest`, { cause });
  }
  return handle;
}

/** Opens whatever `CURRENT` points at. */
export function openCurrentIndex(indexRoot: string): IndexHandle {
  const directory = currentIndexDir(indexRoot);
  if (!directory) {
    throw new AppError('index_missing', `${indexRoot} 下还没有索引；请先运行 npm run ingest`);
  }
  return openIndexDirectory(directory);
}
