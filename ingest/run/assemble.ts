/**
 * @module The new index in memory: every prepared document's chunks numbered in one sequence, which
 * the chunk records, vectors, HNSW graph, keyword index and term statistics all share.
 */
import hnswlib from 'hnswlib-node';
import type MiniSearch from 'minisearch';
import {
  buildKeywordIndex,
  chunkSearchText,
  sectionPath,
  type ChunkRecord,
  type DocumentRecord,
  type KeywordDocument,
  type TermStats,
} from '../../core/index.ts';
import { charBigrams, tokenize } from '../../core/text/index.ts';
import type { PreparedDocument } from './types.ts';

interface AssembledIndex {
  chunks: ChunkRecord[];
  documents: DocumentRecord[];
  vectors: Float32Array;
  hnsw: hnswlib.HierarchicalNSW;
  keyword: MiniSearch<KeywordDocument>;
  termStats: TermStats;
}

/** Expects every document's `vectors` to be filled in. */
export function assembleIndex(prepared: PreparedDocument[], dims: number): AssembledIndex {
  const chunks: ChunkRecord[] = [];
  const documents: DocumentRecord[] = [];
  const total = prepared.reduce((sum, document) => sum + document.chunks.length, 0);
  const vectors = new Float32Array(total * dims);
  const hnsw = new hnswlib.HierarchicalNSW('cosine', dims);
  hnsw.initIndex({ maxElements: Math.max(total, 1), m: 16, efConstruction: 100, randomSeed: 42 });
  const keywordDocuments: KeywordDocument[] = [];
  const df = new Map<string, number>();
  for (const document of prepared) {
    const firstChunk = chunks.length;
    documents.push({ ...document.record, firstChunk, chunkCount: document.chunks.length });
    document.chunks.forEach((chunk, index) => {
      const ordinal = firstChunk + index;
      const vector = document.vectors!.subarray(index * dims, (index + 1) * dims);
      vectors.set(vector, ordinal * dims);
      hnsw.addPoint(Array.from(vector), ordinal);
      keywordDocuments.push({ n: ordinal, title: document.record.title, section: sectionPath(chunk.headings), text: chunk.text });
      const tokens = new Set([...tokenize(chunkSearchText(document.record.title, chunk)), ...charBigrams(chunk.text)]);
      for (const token of tokens) df.set(token, (df.get(token) ?? 0) + 1);
      chunks.push(chunk);
    });
  }
  const keyword = buildKeywordIndex(keywordDocuments);
  return { chunks, documents, vectors, hnsw, keyword, termStats: { chunkCount: chunks.length, df: Object.fromEntries(df) } };
}
