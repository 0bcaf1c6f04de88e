/**
 * @module An opened index version: everything a query needs, loaded once. A handle never
 * changes after opening; a new ingest produces a new handle and the old one serves the queries
 * already running on it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import type MiniSearch from 'minisearch';
import { AppError, describeError, INDEX_FILES, currentIndexDir, readManifest, type ChunkRecord, type DocumentRecord, type IndexManifest, type TermStats, loadKeywordIndex, type KeywordDocument } from '../../core/index.ts';

export interface IndexHandle {
  directory: string;
  manifest: IndexManifest;
  chunks: ChunkRecord[];
  documents: Map<string, DocumentRecord>;
  keyword: MiniSearch<KeywordDocument>;
  vectors: hnswlib.HierarchicalNSW;
  termStats: TermStats;
}

export function openIndexDirectory(directory: string): IndexHandle {
  const manifest = readManifest(directory);
  try {
    const chunks = JSON.parse(readFileSync(path.join(directory, INDEX_FILES.chunks), 'utf8')) as ChunkRecord[];
    const keyword = loadKeywordIndex(readFileSync(path.join(directory, INDEX_FILES.keyword), 'utf8'));
    const termStats = JSON.parse(readFileSync(path.join(directory, INDEX_FILES.termStats), 'utf8')) as TermStats;
    const vectors = new hnswlib.HierarchicalNSW('cosine', manifest.embedder.dimensions);
    vectors.readIndexSync(path.join(directory, INDEX_FILES.hnsw));
    vectors.setEf(64);
    return {
      directory,
      manifest,
      chunks,
      documents: new Map(manifest.documents.map((document) => [document.docId, document])),
      keyword,
      vectors,
      termStats,
    };
  } catch (cause) {
    throw new AppError('index_corrupt', `索引 ${directory} 已损坏（${describeError(cause)}）；请重新运行 npm run ingest`, { cause });
  }
}

/** Opens whatever `CURRENT` points at. */
export function openCurrentIndex(indexRoot: string): IndexHandle {
  const directory = currentIndexDir(indexRoot);
  if (!directory) {
    throw new AppError('index_missing', `${indexRoot} 下还没有索引；请先运行 npm run ingest`);
  }
  return openIndexDirectory(directory);
}
