/**
 * @module The new version's database and vector graph, made in a staging directory. Usually the
 * live version's files are copied and only the documents that changed are applied to them: the
 * removed ones' chunks deleted (their labels marked deleted in the graph, their tokens counted out
 * of the frequencies), the added ones' chunks inserted under new ordinals. The graph and the
 * database are built whole when there is nothing to copy, when the live version is damaged or
 * made by another embedder, or when removed documents have left too many ordinals unused.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { INDEX_FILES, IndexStore, sectionPath, type ChunkRecord, type DocumentRecord, type KeywordWriter } from '../../core/index.ts';
import type { PreviousIndex } from './previous-index.ts';
import type { PreparedDocument } from './types.ts';

interface AssembledIndex {
  documents: DocumentRecord[];
  chunkCount: number;
  nextChunk: number;
  /** True when the live version's files were copied and changed, false when built whole. */
  incremental: boolean;
}

/**
 * Unused ordinals (of removed chunks) allowed, as a share of the live chunks, before a version is
 * built whole again: each one is a deleted slot in the graph until an added chunk takes it over.
 */
const MAX_GAP_SHARE = 0.25;

const GRAPH = { m: 16, efConstruction: 100, randomSeed: 42 } as const;

export async function assembleIndex(input: {
  staging: string;
  prepared: PreparedDocument[];
  dims: number;
  /** The live version; its files are copied when `reusable` (same embedder, nothing damaged). */
  previous: PreviousIndex | undefined;
  reusable: boolean;
}): Promise<AssembledIndex> {
  const { staging, prepared, dims, previous } = input;
  const chunkCount = prepared.reduce((sum, document) => sum + document.chunks.length, 0);
  const added = prepared.filter((document) => !document.previous).reduce((sum, document) => sum + document.chunks.length, 0);
  const nextChunk = (previous?.manifest.nextChunk ?? 0) + added;
  const incremental = previous !== undefined && input.reusable && nextChunk - chunkCount <= chunkCount * MAX_GAP_SHARE;
  const databaseFile = path.join(staging, INDEX_FILES.database);
  const graphFile = path.join(staging, INDEX_FILES.hnsw);
  let documents: DocumentRecord[];
  let store: IndexStore;
  const graph = new hnswlib.HierarchicalNSW('cosine', dims);
  if (incremental) {
    await copyFile(path.join(previous.directory, INDEX_FILES.database), databaseFile);
    await copyFile(path.join(previous.directory, INDEX_FILES.hnsw), graphFile);
    store = IndexStore.open(databaseFile, 'write');
    graph.readIndexSync(graphFile, true);
    documents = applyChanges(store, graph, prepared, previous, dims);
  } else {
    store = IndexStore.create(databaseFile);
    graph.initIndex({ maxElements: Math.max(chunkCount, 1), ...GRAPH, allowReplaceDeleted: true });
    documents = buildWhole(store, graph, prepared, previous, dims);
  }
  store.close();
  await graph.writeIndex(graphFile);
  return { documents, chunkCount, nextChunk: incremental ? nextChunk : chunkCount, incremental };
}

function keywordDocument(n: number, title: string, chunk: ChunkRecord) {
  return { n, title, section: sectionPath(chunk.headings), text: chunk.text };
}

function addDocument(
  store: IndexStore,
  keyword: KeywordWriter,
  graph: hnswlib.HierarchicalNSW,
  document: PreparedDocument,
  vectors: Float32Array,
  firstChunk: number,
  dims: number,
): DocumentRecord {
  document.chunks.forEach((chunk, index) => {
    const n = firstChunk + index;
    const vector = vectors.subarray(index * dims, (index + 1) * dims);
    store.insertChunk(n, chunk, vector);
    keyword.add(keywordDocument(n, document.record.title, chunk));
    graph.addPoint(Array.from(vector), n, true);
  });
  return { ...document.record, firstChunk, chunkCount: document.chunks.length };
}

function buildWhole(store: IndexStore, graph: hnswlib.HierarchicalNSW, prepared: PreparedDocument[], previous: PreviousIndex | undefined, dims: number): DocumentRecord[] {
  const documents: DocumentRecord[] = [];
  const keyword = store.keyword.writer();
  store.transaction(() => {
    let next = 0;
    for (const document of prepared) {
      const old = document.previous;
      const vectors = old && previous ? previous.store.vectors(old.firstChunk, old.chunkCount, dims) : document.vectors!;
      documents.push(addDocument(store, keyword, graph, document, vectors, next, dims));
      next += document.chunks.length;
    }
    keyword.flush();
  });
  return documents;
}

/** Applies the documents that changed since `previous` to a copy of its files. */
function applyChanges(store: IndexStore, graph: hnswlib.HierarchicalNSW, prepared: PreparedDocument[], previous: PreviousIndex, dims: number): DocumentRecord[] {
  const kept = new Set(prepared.flatMap((document) => (document.previous ? [document.previous.docId] : [])));
  const removed = previous.manifest.documents.filter((document) => !kept.has(document.docId));
  const additions = prepared.filter((document) => !document.previous);
  const keyword = store.keyword.writer();
  const documents: DocumentRecord[] = [];
  store.transaction(() => {
    for (const old of removed) {
      store.chunks(old.firstChunk, old.chunkCount).forEach((chunk, index) => {
        const n = old.firstChunk + index;
        keyword.remove(keywordDocument(n, old.title, chunk));
        graph.markDelete(n);
      });
      store.deleteChunks(old.firstChunk, old.chunkCount);
    }
    const adding = additions.reduce((sum, document) => sum + document.chunks.length, 0);
    // Added chunks take over deleted slots first; the graph grows only by what they do not fill.
    if (graph.getCurrentCount() + adding > graph.getMaxElements()) graph.resizeIndex(graph.getCurrentCount() + adding);
    let next = previous.manifest.nextChunk;
    for (const document of prepared) {
      if (document.previous) {
        documents.push({ ...document.record, firstChunk: document.previous.firstChunk, chunkCount: document.previous.chunkCount });
      } else {
        documents.push(addDocument(store, keyword, graph, document, document.vectors!, next, dims));
        next += document.chunks.length;
      }
    }
    keyword.flush();
  });
  return documents;
}
