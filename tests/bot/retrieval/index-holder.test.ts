/** The reader side of the hot swap: the bot's IndexHolder following CURRENT as ingest moves it. */
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexHolder } from '../../../bot/retrieval/index.ts';
import { LocalLexicalEmbeddings } from '../../../core/embeddings/index.ts';
import { INDEX_FILES } from '../../../core/index.ts';
import { DOC_ALPHA, DOC_BETA, DOC_GAMMA, tempDirs, writeFiles } from '../../helpers/ingest.ts';
import { dropLastChunks, keywordHits } from '../../helpers/index-files.ts';
import { buildIndex } from '../../helpers/workspace.ts';

const temp = tempDirs();
afterEach(() => temp.cleanup());

async function setup() {
  const root = await temp.make('ingest-holder-');
  const knowledgeDir = path.join(root, 'knowledge');
  const indexDir = path.join(root, 'index');
  await writeFiles(knowledgeDir, { 'alpha.txt': DOC_ALPHA, 'beta.txt': DOC_BETA });
  const embedder = new LocalLexicalEmbeddings();
  const first = await buildIndex(knowledgeDir, indexDir, { embedder, maxFileBytes: 1 << 20 });
  return { knowledgeDir, indexDir, embedder, first };
}

describe('IndexHolder', () => {
  it('opens the live version and swaps to a new one after another ingest', async () => {
    const { knowledgeDir, indexDir, embedder, first } = await setup();
    const holder = new IndexHolder(indexDir, embedder);
    const before = holder.current;
    expect(before.manifest.version).toBe(first.version);
    expect(before.manifest.documents.flatMap((document) => before.chunks.ofDocument(document))).toHaveLength(first.embedded);
    expect(holder.refresh()).toBe(false);

    await writeFile(path.join(knowledgeDir, 'gamma.txt'), DOC_GAMMA);
    const second = await buildIndex(knowledgeDir, indexDir, { embedder, maxFileBytes: 1 << 20 });
    expect(holder.current).toBe(before); // nothing moves until refresh
    expect(holder.refresh()).toBe(true);
    const after = holder.current;
    expect(after.manifest.version).toBe(second.version);
    expect(after.documents.has('gamma.txt')).toBe(true);

    // The swapped-in handle answers from the new document, on both index sides.
    const hit = keywordHits(after.keyword, '人才公寓')[0];
    expect(after.chunks.get(hit!.id)?.docId).toBe('gamma.txt');
    const query = await embedder.embedQuery('青年人才租房补贴');
    const nearest = after.vectors.searchKnn(query, 1).neighbors[0]!;
    expect(after.chunks.get(nearest)?.docId).toBe('gamma.txt');
    // The old handle still serves queries already running on it.
    expect(before.documents.has('gamma.txt')).toBe(false);
    expect(keywordHits(before.keyword, '一窗通办').length).toBeGreaterThan(0);
    holder.close();
  });

  it('refuses an index built by another embedder with index_incompatible', async () => {
    const { knowledgeDir, indexDir, embedder } = await setup();
    const holder = new IndexHolder(indexDir, embedder);
    await writeFile(path.join(knowledgeDir, 'gamma.txt'), DOC_GAMMA);
    await buildIndex(knowledgeDir, indexDir, { embedder: new LocalLexicalEmbeddings({ dimensions: 256 }), maxFileBytes: 1 << 20 });
    expect(() => holder.refresh()).toThrow(expect.objectContaining({ code: 'index_incompatible', message: expect.stringContaining('local-lexical-v1/256') }));
    expect(holder.current.manifest.embedder.id).toBe('local-lexical-v1/128'); // keeps serving the old one
    expect(() => new IndexHolder(indexDir, embedder)).toThrow(expect.objectContaining({ code: 'index_incompatible' }));
    holder.close();
  });

  it('keeps serving the version it has when a newer one fails its check, reports that once, and swaps to the repair', async () => {
    const { knowledgeDir, indexDir, embedder, first } = await setup();
    const holder = new IndexHolder(indexDir, embedder);
    await writeFile(path.join(knowledgeDir, 'gamma.txt'), DOC_GAMMA);
    const second = await buildIndex(knowledgeDir, indexDir, { embedder, maxFileBytes: 1 << 20 });
    // The new version lost chunks: still a valid database, it would answer with the wrong passages.
    const chunksFile = path.join(second.indexDir, INDEX_FILES.database);
    dropLastChunks(second.indexDir, 2);

    expect(() => holder.refresh()).toThrow(expect.objectContaining({ name: 'AppError', code: 'index_corrupt', message: expect.stringContaining(chunksFile) }));
    expect(holder.current.manifest.version).toBe(first.version);
    expect(keywordHits(holder.current.keyword, '一窗通办').length).toBeGreaterThan(0);

    const swaps: string[] = [];
    const errors: unknown[] = [];
    holder.watch(5, (handle) => swaps.push(handle.manifest.version), (error) => errors.push(error));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(errors).toHaveLength(1); // logged once, not on every poll
    expect(errors[0]).toMatchObject({ code: 'index_corrupt' });
    expect(swaps).toEqual([]);
    expect(holder.current.manifest.version).toBe(first.version);

    const repaired = await buildIndex(knowledgeDir, indexDir, { embedder, maxFileBytes: 1 << 20 });
    expect(repaired.switched).toBe(true);
    await expect.poll(() => swaps).toEqual([repaired.version]);
    expect(holder.current.documents.has('gamma.txt')).toBe(true);
    holder.close();
  });

  it('reports a missing index as index_missing', async () => {
    const root = await temp.make('ingest-holder-');
    expect(() => new IndexHolder(path.join(root, 'none'), new LocalLexicalEmbeddings())).toThrow(expect.objectContaining({ code: 'index_missing' }));
  });
});
