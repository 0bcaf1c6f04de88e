/** What a version's database holds, read the way a test wants it: chunks in ordinal order, one document's vectors. */
import path from 'node:path';
import { INDEX_FILES, IndexStore, type ChunkRecord, type DocumentRecord, type KeywordHit, type KeywordIndex } from '../../core/index.ts';
import { charBigrams, tokenize } from '../../core/text/index.ts';

function withStore<T>(directory: string, read: (store: IndexStore) => T): T {
  const store = IndexStore.open(path.join(directory, INDEX_FILES.database), 'read');
  try {
    return read(store);
  } finally {
    store.close();
  }
}

/** Every chunk of the version in `directory`, by ordinal, without the gaps removed documents left. */
export function readIndexChunks(directory: string): ChunkRecord[] {
  return withStore(directory, (store) => (store.db.prepare('SELECT record FROM chunks ORDER BY n').all() as { record: string }[]).map((row) => JSON.parse(row.record) as ChunkRecord));
}

export function readDocumentVectors(directory: string, document: DocumentRecord, dimensions: number): Float32Array {
  return withStore(directory, (store) => store.vectors(document.firstChunk, document.chunkCount, dimensions));
}

/** The chunks whose words or bigrams match `text`'s, best first, as retrieval would search them with equal weights. */
export function keywordHits(keyword: KeywordIndex, text: string): KeywordHit[] {
  const terms = [...new Set([...tokenize(text), ...charBigrams(text)])].map((term) => ({ term, weight: 1 }));
  return keyword.search(terms, { title: 1, section: 1, text: 1, grams: 1 }, 10);
}

/** Deletes the version's last `count` chunk rows in place: the file keeps its size, as SQLite does not shrink it. */
export function dropLastChunks(directory: string, count: number): void {
  const store = IndexStore.open(path.join(directory, INDEX_FILES.database), 'write');
  try {
    store.db.prepare('DELETE FROM chunks WHERE n IN (SELECT n FROM chunks ORDER BY n DESC LIMIT ?)').run(count);
  } finally {
    store.close();
  }
}
