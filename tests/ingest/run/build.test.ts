import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, INDEX_FILES, currentIndexDir, readManifest, type ChunkRecord, type IndexManifest } from '../../../core/index.ts';
import { ingestKnowledge, type IngestOptions, type IngestSummary, formatIngestSummary } from '../../../ingest/index.ts';
import { readIndexChunks, readDocumentVectors } from '../../helpers/index-files.ts';
import { DOC_ALPHA, DOC_BETA, DOC_GAMMA, RecordingEmbedder, makePdf, readPointer, tempDirs, versionDirs, writeFiles } from '../../helpers/ingest.ts';

const temp = tempDirs();
afterEach(() => temp.cleanup());

const MB = 1024 * 1024;

async function setup(files: Record<string, string | Uint8Array> = { 'alpha.txt': DOC_ALPHA, 'beta.txt': DOC_BETA }) {
  const root = await temp.make();
  const knowledgeDir = path.join(root, 'knowledge');
  const indexDir = path.join(root, 'index');
  await writeFiles(knowledgeDir, files);
  const embedder = new RecordingEmbedder();
  const run = (overrides: Partial<IngestOptions> = {}) => ingestKnowledge({ knowledgeDir, indexDir, embedder, maxFileBytes: MB, ...overrides });
  return { root, knowledgeDir, indexDir, embedder, run };
}

function statuses(summary: IngestSummary): Record<string, string> {
  return Object.fromEntries(summary.documents.map((document) => [document.path, document.status]));
}

function liveManifest(indexDir: string): IndexManifest {
  return readManifest(currentIndexDir(indexDir)!);
}

function liveChunks(indexDir: string): ChunkRecord[] {
  return readIndexChunks(currentIndexDir(indexDir)!);
}

describe('ingestKnowledge', () => {
  it('builds a complete versioned index on the first run and switches CURRENT to it', async () => {
    const { indexDir, embedder, run } = await setup();
    const summary = await run();
    expect(statuses(summary)).toEqual({ 'alpha.txt': 'added', 'beta.txt': 'added' });
    expect(summary.switched).toBe(true);
    expect(summary.reused).toBe(0);
    expect(summary.embedded).toBe(summary.documents.reduce((sum, document) => sum + document.chunks, 0));
    expect(summary.embedded).toBe(embedder.embeddedTexts.length);
    expect(summary.fullRebuildReason).toBeUndefined();

    expect(await readPointer(indexDir)).toBe(summary.version);
    const directory = path.join(indexDir, summary.version);
    expect(summary.indexDir).toBe(directory);
    for (const file of Object.values(INDEX_FILES)) expect(existsSync(path.join(directory, file)), file).toBe(true);

    const manifest = readManifest(directory);
    expect(manifest.version).toBe(summary.version);
    expect(manifest.embedder).toEqual({ id: 'local-lexical-v1/128', dimensions: 128 });
    expect(manifest.documents.map((document) => document.file)).toEqual(['alpha.txt', 'beta.txt']);
    expect(manifest.documents.every((document) => /^[0-9a-f]{64}$/.test(document.hash))).toBe(true);
    const chunks = liveChunks(indexDir);
    expect(manifest.chunkCount).toBe(chunks.length);
    expect(manifest.nextChunk).toBe(chunks.length);
    expect(Array.from(readDocumentVectors(directory, manifest.documents[0]!, 256).subarray(0, 256)).some((value) => value !== 0)).toBe(true);
    // Title inferred from the text when there is no manifest entry: the notice's full title.
    expect(manifest.documents[0]?.title).toBe('关于印发《测试市企业开办便利化办法》的通知');
    const clause = chunks.find((chunk) => chunk.text.includes('一窗通办'));
    expect(clause?.headings).toHaveLength(1);
    // An article has no title of its own: the path names it by number.
    expect(clause?.headings[0]).toBe('第二条');
    expect(formatIngestSummary(summary)).toContain(`索引版本 ${summary.version} 已启用`);
  });

  it('leaves everything as it is when nothing changed', async () => {
    const { indexDir, embedder, run } = await setup();
    const first = await run();
    embedder.reset();
    const second = await run();
    expect(second.switched).toBe(false);
    expect(second.version).toBe(first.version);
    expect(statuses(second)).toEqual({ 'alpha.txt': 'unchanged', 'beta.txt': 'unchanged' });
    expect(second.embedded).toBe(0);
    expect(second.reused).toBe(first.embedded);
    expect(embedder.calls).toEqual([]);
    expect(await versionDirs(indexDir)).toEqual([first.version]);
    expect(formatIngestSummary(second)).toContain(`没有变化，继续使用索引版本 ${first.version}`);
  });

  it('re-embeds only the changed document and reuses the others', async () => {
    const { knowledgeDir, indexDir, embedder, run } = await setup({ 'alpha.txt': DOC_ALPHA, 'beta.txt': DOC_BETA, 'gamma.txt': DOC_GAMMA });
    const first = await run();
    const before = liveChunks(indexDir);
    embedder.reset();
    await writeFile(path.join(knowledgeDir, 'beta.txt'), `${DOC_BETA}三、申报时间\n每年三月集中受理申报材料。\n`);
    const second = await run();
    expect(second.switched).toBe(true);
    expect(second.version).not.toBe(first.version);
    expect(statuses(second)).toEqual({ 'alpha.txt': 'unchanged', 'beta.txt': 'changed', 'gamma.txt': 'unchanged' });
    const betaChunks = second.documents.find((document) => document.path === 'beta.txt')!.chunks;
    expect(second.embedded).toBe(betaChunks);
    expect(embedder.embeddedTexts).toHaveLength(betaChunks);
    expect(embedder.embeddedTexts.every((text) => text.startsWith('测试市技术改造奖补实施细则'))).toBe(true);
    const after = liveChunks(indexDir);
    expect(second.reused).toBe(after.length - betaChunks);
    expect(after.filter((chunk) => chunk.docId !== 'beta.txt')).toEqual(before.filter((chunk) => chunk.docId !== 'beta.txt'));
    expect(after.some((chunk) => chunk.text.includes('每年三月集中受理'))).toBe(true);

    // The reused vectors are the very vectors of the first build (here renumbered: beta's old
    // chunks were too large a share to leave as a gap, see incremental.test.ts).
    const oldManifest = readManifest(path.join(indexDir, first.version));
    const newManifest = liveManifest(indexDir);
    const gammaOld = oldManifest.documents.find((document) => document.file === 'gamma.txt')!;
    const gammaNew = newManifest.documents.find((document) => document.file === 'gamma.txt')!;
    expect(Array.from(readDocumentVectors(second.indexDir, gammaNew, 256))).toEqual(Array.from(readDocumentVectors(path.join(indexDir, first.version), gammaOld, 256)));
  });

  it('drops a removed document', async () => {
    const { knowledgeDir, indexDir, embedder, run } = await setup();
    await run();
    embedder.reset();
    await rm(path.join(knowledgeDir, 'beta.txt'));
    const summary = await run();
    expect(summary.switched).toBe(true);
    expect(summary.documents).toContainEqual({ path: 'beta.txt', status: 'removed', chunks: 0 });
    expect(statuses(summary)['alpha.txt']).toBe('unchanged');
    expect(embedder.calls).toEqual([]);
    expect(liveManifest(indexDir).documents.map((document) => document.file)).toEqual(['alpha.txt']);
    expect(liveChunks(indexDir).every((chunk) => chunk.docId === 'alpha.txt')).toBe(true);
  });

  it('rebuilds everything under another embedder and says why', async () => {
    const { indexDir, embedder, run } = await setup();
    const first = await run();
    const other = new RecordingEmbedder({ dimensions: 256 });
    const summary = await run({ embedder: other });
    expect(summary.switched).toBe(true);
    expect(summary.fullRebuildReason).toContain('local-lexical-v1/128');
    expect(summary.fullRebuildReason).toContain('local-lexical-v1/256');
    expect(summary.reused).toBe(0);
    expect(summary.embedded).toBe(first.embedded);
    expect(other.embeddedTexts).toHaveLength(first.embedded);
    expect(liveManifest(indexDir).embedder).toEqual({ id: 'local-lexical-v1/256', dimensions: 256 });
    expect(formatIngestSummary(summary)).toContain('全部文档重新嵌入');
    // Back to the first embedder: again a full rebuild, not a reuse of 256-dimensional vectors.
    embedder.reset();
    const back = await run();
    expect(back.fullRebuildReason).toBeDefined();
    expect(back.reused).toBe(0);
  });

  it('rebuilds in full when the live index is unreadable', async () => {
    const { indexDir, run } = await setup();
    const first = await run();
    await writeFile(path.join(indexDir, first.version, INDEX_FILES.database), 'not a database');
    const summary = await run();
    expect(summary.switched).toBe(true);
    expect(summary.fullRebuildReason).toMatch(/现有索引 .+ 已损坏（index\.sqlite /);
    expect(summary.embedded).toBe(first.embedded);
    expect(liveChunks(indexDir)).toHaveLength(first.embedded);
  });

  it('reports empty, misnamed, oversized and unsupported files by name while the others ingest', async () => {
    const { indexDir, run } = await setup({
      'alpha.txt': DOC_ALPHA,
      'beta.txt': DOC_BETA,
      'empty.txt': '',
      'blank.md': '\n  \n\u3000\n',
      'scan.txt': makePdf(['not text']),
      'big.txt': `${'第一条 大文件。\n'.repeat(200)}`,
      'sheet.xlsx': 'PK',
      'image-only.pdf': makePdf([]),
      'broken.pdf': '%PDF-1.4\ngarbage\n',
      'sub/nested.md': DOC_GAMMA,
      '.hidden.txt': 'ignored',
      'README.md': '# ignored',
    });
    const summary = await run({ maxFileBytes: 2048 });
    expect(summary.switched).toBe(true);
    expect(statuses(summary)).toEqual({
      'alpha.txt': 'added',
      'beta.txt': 'added',
      'big.txt': 'failed',
      'blank.md': 'failed',
      'broken.pdf': 'failed',
      'empty.txt': 'failed',
      'image-only.pdf': 'failed',
      'scan.txt': 'failed',
      'sheet.xlsx': 'failed',
      'sub/nested.md': 'added',
    });
    const failure = (file: string) => summary.documents.find((document) => document.path === file)!;
    expect(failure('empty.txt')).toMatchObject({ chunks: 0, errorCode: 'document_empty', error: expect.stringContaining('empty.txt') });
    expect(failure('blank.md')).toMatchObject({ errorCode: 'document_empty', error: expect.stringContaining('blank.md') });
    expect(failure('scan.txt')).toMatchObject({ errorCode: 'document_unsupported', error: expect.stringContaining('PDF') });
    expect(failure('big.txt')).toMatchObject({ errorCode: 'document_too_large', error: expect.stringMatching(/big\.txt.*超过上限 2\.0 KB/) });
    expect(failure('image-only.pdf')).toMatchObject({ errorCode: 'document_empty', error: expect.stringContaining('扫描件') });
    expect(failure('broken.pdf')).toMatchObject({ errorCode: 'document_unreadable', error: expect.stringContaining('broken.pdf') });
    expect(failure('sheet.xlsx')).toMatchObject({ errorCode: 'document_unsupported', error: expect.stringContaining('sheet.xlsx') });
    expect(liveManifest(indexDir).documents.map((document) => document.file)).toEqual(['alpha.txt', 'beta.txt', 'sub/nested.md']);
    const table = formatIngestSummary(summary);
    expect(table).toMatch(/big\.txt\s+失败/);
    expect(table).toContain('失败 7');
  });

  it('keeps serving the previous version of a document that is now corrupt', async () => {
    const { knowledgeDir, indexDir, embedder, run } = await setup();
    const first = await run();
    const betaBefore = liveChunks(indexDir).filter((chunk) => chunk.docId === 'beta.txt');
    embedder.reset();
    await writeFile(path.join(knowledgeDir, 'beta.txt'), makePdf(['oops, a PDF saved as .txt']));
    const second = await run();
    const beta = second.documents.find((document) => document.path === 'beta.txt')!;
    expect(beta).toMatchObject({ status: 'failed', chunks: betaBefore.length, errorCode: 'document_unsupported' });
    expect(beta.error).toContain('继续使用上一版本');
    expect(second.switched).toBe(false);
    expect(embedder.calls).toEqual([]);
    expect(await readPointer(indexDir)).toBe(first.version);

    // With another change in the same run, the new version still carries beta's old chunks.
    await writeFile(path.join(knowledgeDir, 'gamma.txt'), DOC_GAMMA);
    const third = await run();
    expect(third.switched).toBe(true);
    expect(statuses(third)).toEqual({ 'alpha.txt': 'unchanged', 'beta.txt': 'failed', 'gamma.txt': 'added' });
    expect(liveChunks(indexDir).filter((chunk) => chunk.docId === 'beta.txt')).toEqual(betaBefore);
    expect(liveManifest(indexDir).documents.find((document) => document.file === 'beta.txt')?.title).toBe('测试市技术改造奖补实施细则');

    // Fixed again: back to normal, re-embedded as changed.
    await writeFile(path.join(knowledgeDir, 'beta.txt'), DOC_BETA.replace('五百万元', '三百万元'));
    const fourth = await run();
    expect(statuses(fourth)['beta.txt']).toBe('changed');
    expect(fourth.documents.find((document) => document.path === 'beta.txt')?.error).toBeUndefined();
  });

  it('throws nothing_to_ingest when only bad files remain, and the old index keeps serving', async () => {
    const { knowledgeDir, indexDir, run } = await setup();
    const first = await run();
    await rm(path.join(knowledgeDir, 'alpha.txt'));
    await rm(path.join(knowledgeDir, 'beta.txt'));
    await writeFiles(knowledgeDir, { 'empty.txt': '', 'fake.docx': 'not a zip' });
    const error = await run().catch((caught: unknown) => caught);
    expect(isAppError(error, 'nothing_to_ingest')).toBe(true);
    expect((error as Error).message).toContain('继续使用现有索引');
    const documents = (error as { context?: { documents?: { path: string; status: string }[] } }).context?.documents ?? [];
    expect(documents.map((document) => `${document.path}:${document.status}`)).toEqual([
      'alpha.txt:removed',
      'beta.txt:removed',
      'empty.txt:failed',
      'fake.docx:failed',
    ]);
    expect(await readPointer(indexDir)).toBe(first.version);
    expect(liveManifest(indexDir).documents).toHaveLength(2);
    expect(existsSync(path.join(indexDir, 'ingest.lock'))).toBe(false);
  });

  it('throws nothing_to_ingest on a first run with only bad files and writes no pointer', async () => {
    const { indexDir, run } = await setup({ 'empty.txt': '' });
    await expect(run()).rejects.toMatchObject({ code: 'nothing_to_ingest' });
    expect(existsSync(path.join(indexDir, 'CURRENT'))).toBe(false);
  });

  it('reports a missing knowledge folder as invalid_argument', async () => {
    const { root, run } = await setup();
    await expect(run({ knowledgeDir: path.join(root, 'nope') })).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('nope') });
  });

  it('refuses a second concurrent ingest with ingest_busy', async () => {
    const { indexDir, run } = await setup();
    const results = await Promise.allSettled([run(), run()]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ code: 'ingest_busy', message: expect.stringContaining(String(process.pid)) });
    expect(existsSync(path.join(indexDir, 'ingest.lock'))).toBe(false);
    // The lock is released: the next run goes through.
    await expect(run()).resolves.toMatchObject({ switched: false });
  });

  it('refuses while another live process holds the lock', async () => {
    const { indexDir, run } = await setup();
    await writeFiles(indexDir, { 'ingest.lock': `${process.ppid}\n` });
    await expect(run()).rejects.toMatchObject({ code: 'ingest_busy' });
    expect(readFileSync(path.join(indexDir, 'ingest.lock'), 'utf8')).toBe(`${process.ppid}\n`);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const { indexDir, run } = await setup();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    expect(deadPid).toBeGreaterThan(0);
    await writeFiles(indexDir, { 'ingest.lock': String(deadPid) });
    const summary = await run();
    expect(summary.switched).toBe(true);
    expect(existsSync(path.join(indexDir, 'ingest.lock'))).toBe(false);
  });

  it('keeps exactly one previous version: the one that was live before the switch', async () => {
    const { knowledgeDir, indexDir, run } = await setup();
    const versions: string[] = [];
    for (let round = 0; round < 5; round++) {
      await writeFile(path.join(knowledgeDir, 'gamma.txt'), `${DOC_GAMMA}第三条 第${round + 1}次修订。\n`);
      versions.push((await run()).version);
      const expected = versions.slice(-2).sort();
      expect(await versionDirs(indexDir)).toEqual(expected);
    }
    expect(await readPointer(indexDir)).toBe(versions.at(-1));
    const names = (await import('node:fs/promises')).readdir(indexDir);
    expect((await names).filter((name) => name.startsWith('.staging-') || name.endsWith('.tmp'))).toEqual([]);
  });

  it('removes abandoned staging folders', async () => {
    const { indexDir, knowledgeDir, run } = await setup();
    await run();
    await writeFiles(indexDir, { '.staging-v20000101-000000-000-abcdef/index.sqlite': '' });
    await writeFile(path.join(knowledgeDir, 'gamma.txt'), DOC_GAMMA);
    await run();
    expect(existsSync(path.join(indexDir, '.staging-v20000101-000000-000-abcdef'))).toBe(false);
  });

  it('fails with embed_failed and leaves the live index alone when the embedder breaks', async () => {
    const { knowledgeDir, indexDir, run } = await setup();
    const first = await run();
    await writeFile(path.join(knowledgeDir, 'gamma.txt'), DOC_GAMMA);
    const broken = new RecordingEmbedder();
    broken.embedDocuments = async () => {
      throw new Error('connection reset');
    };
    await expect(run({ embedder: broken })).rejects.toMatchObject({ code: 'embed_failed', message: expect.stringContaining('gamma.txt') });
    const short = new RecordingEmbedder();
    short.embedDocuments = async (texts) => (await short.inner.embedDocuments(texts)).slice(1);
    await expect(run({ embedder: short })).rejects.toMatchObject({ code: 'embed_failed' });
    expect(await readPointer(indexDir)).toBe(first.version);
    expect(await versionDirs(indexDir)).toEqual([first.version]);
    expect(existsSync(path.join(indexDir, 'ingest.lock'))).toBe(false);
  });

  it('reports progress through the phases', async () => {
    const { run } = await setup();
    const phases: string[] = [];
    await run({ onProgress: (event) => phases.push(event.phase) });
    expect(phases[0]).toBe('scan');
    expect(phases.filter((phase) => phase === 'load')).toHaveLength(2);
    expect(phases).toContain('embed');
    expect(phases.at(-1)).toBe('write');
  });

  it('produces the same chunks for the same input (deterministic ordinals and ids)', async () => {
    const a = await setup();
    const b = await setup();
    await a.run();
    await b.run();
    expect(liveChunks(a.indexDir)).toEqual(liveChunks(b.indexDir));
    const vectorsOf = (indexDir: string) => liveManifest(indexDir).documents.map((document) => Array.from(readDocumentVectors(currentIndexDir(indexDir)!, document, 256)));
    expect(vectorsOf(a.indexDir)).toEqual(vectorsOf(b.indexDir));
  });
});
