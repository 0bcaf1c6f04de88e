/** Chunk records read on demand from a version's database, with the recently read ones cached. */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkReader } from '../../../bot/retrieval/index.ts';
import { LocalLexicalEmbeddings } from '../../../core/embeddings/index.ts';
import { currentIndexDir, INDEX_FILES, IndexStore, readManifest } from '../../../core/index.ts';
import { DOC_ALPHA, DOC_BETA, tempDirs, writeFiles } from '../../helpers/ingest.ts';
import { readIndexChunks } from '../../helpers/index-files.ts';
import { buildIndex } from '../../helpers/workspace.ts';

const temp = tempDirs();
const stores: IndexStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  await temp.cleanup();
});

async function opened() {
  const root = await temp.make('chunk-reader-');
  const indexDir = path.join(root, 'index');
  await writeFiles(path.join(root, 'knowledge'), { 'alpha.txt': DOC_ALPHA, 'beta.txt': DOC_BETA });
  await buildIndex(path.join(root, 'knowledge'), indexDir, { embedder: new LocalLexicalEmbeddings(), maxFileBytes: 1 << 20 });
  const directory = currentIndexDir(indexDir)!;
  const store = IndexStore.open(path.join(directory, INDEX_FILES.database), 'read');
  stores.push(store);
  return { store, manifest: readManifest(directory), all: readIndexChunks(directory) };
}

describe('ChunkReader', () => {
  it('reads every chunk by ordinal and each document whole, as ingest stored them', async () => {
    const { store, manifest, all } = await opened();
    const reader = new ChunkReader(store);
    expect(all.length).toBeGreaterThan(2);
    expect(all.map((_, ordinal) => reader.get(ordinal))).toEqual(all);
    expect(reader.get(all.length)).toBeUndefined();
    expect(manifest.documents.flatMap((document) => reader.ofDocument(document))).toEqual(all);
    expect([...reader.headings()]).toEqual(all.map((chunk, n) => ({ n, headings: chunk.headings })));
  });

  it('gives a document’s opening: first heading and text cut to the asked length', async () => {
    const { store, manifest, all } = await opened();
    const document = manifest.documents[0]!;
    const openings = new ChunkReader(store).openings(document, 5);
    expect(openings).toEqual(all.slice(document.firstChunk, document.firstChunk + document.chunkCount).map((chunk) => ({ heading: chunk.headings[0] ?? null, text: chunk.text.slice(0, 5) })));
  });

  it('keeps the recently read chunks and reads an evicted one again', async () => {
    const { store } = await opened();
    const reader = new ChunkReader(store, 2);
    const first = reader.get(0);
    expect(reader.get(0)).toBe(first); // cached: the same object, not parsed again
    reader.get(1);
    reader.get(2); // evicts ordinal 0, the least recently read
    const again = reader.get(0);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
