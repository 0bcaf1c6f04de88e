/**
 * The same text saved twice (安阳市政务服务条例 as .docx and as .txt) is indexed once, so an
 * answer never cites it twice; the other file is reported as its duplicate, in Chinese.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentIndexDir, readManifest } from '../../core/index.ts';
import { formatIngestSummary, ingestKnowledge, type IngestSummary } from '../../ingest/index.ts';
import { RecordingEmbedder, fixture, tempDirs } from '../helpers/ingest.ts';
import { UNSEEN_DIR } from '../helpers/paths.ts';
import { readIndexChunks } from '../helpers/index-files.ts';

const DOCX = 'anyang-zhengwu-fuwu-tiaoli.docx';
const TXT = 'anyang-zhengwu-fuwu-tiaoli.txt';
const OTHER = 'guobanfa-2019-6-rongzi-danbao.txt';

const temp = tempDirs();
afterEach(() => temp.cleanup());

async function setup(files: string[]) {
  const root = await temp.make();
  const knowledgeDir = path.join(root, 'knowledge');
  const indexDir = path.join(root, 'index');
  await mkdir(knowledgeDir);
  const add = (file: string) => copyFile(file === OTHER ? path.join(UNSEEN_DIR, file) : fixture(file), path.join(knowledgeDir, file));
  for (const file of files) await add(file);
  const embedder = new RecordingEmbedder();
  const run = () => ingestKnowledge({ knowledgeDir, indexDir, embedder, maxFileBytes: 1 << 20 });
  const live = () => {
    const directory = currentIndexDir(indexDir)!;
    const chunks = readIndexChunks(directory);
    return { documents: readManifest(directory).documents.map((document) => document.file), chunks };
  };
  return { knowledgeDir, run, live, add, embedder };
}

const report = (summary: IngestSummary, file: string) => summary.documents.find((document) => document.path === file);

describe('the same text in two files', () => {
  it('indexes one of them and reports the other as its duplicate', async () => {
    const { run, live } = await setup([DOCX, TXT, OTHER]);
    const summary = await run();
    expect(report(summary, DOCX)).toMatchObject({ status: 'added' });
    expect(report(summary, TXT)).toMatchObject({ status: 'duplicate', chunks: 0, error: `与 ${DOCX} 内容相同，只索引 ${DOCX}` });
    const { documents, chunks } = live();
    expect(documents).toEqual([DOCX, OTHER]);
    expect(chunks.filter((chunk) => chunk.text.includes('本条例自2021年12月1日起施行'))).toHaveLength(1);
    expect(formatIngestSummary(summary)).toMatch(/重复\s+0\s+与 anyang-zhengwu-fuwu-tiaoli\.docx 内容相同/);
    expect(formatIngestSummary(summary)).toContain('，重复 1；');
  });

  it('changes nothing on the next run', async () => {
    const { run, embedder } = await setup([DOCX, TXT]);
    const first = await run();
    embedder.reset();
    const second = await run();
    expect(second.switched).toBe(false);
    expect(second.version).toBe(first.version);
    expect(report(second, TXT)?.status).toBe('duplicate');
    expect(embedder.embeddedTexts).toEqual([]);
  });

  it('keeps the copy already indexed when the other arrives later', async () => {
    const { run, live, add } = await setup([TXT]);
    await run();
    await add(DOCX);
    const summary = await run();
    expect(report(summary, DOCX)).toMatchObject({ status: 'duplicate', error: `与 ${TXT} 内容相同，只索引 ${TXT}` });
    expect(summary.switched).toBe(false);
    expect(live().documents).toEqual([TXT]);
  });

  it('indexes the remaining copy once the kept one is removed', async () => {
    const { knowledgeDir, run, live } = await setup([DOCX, TXT]);
    await run();
    await rm(path.join(knowledgeDir, DOCX));
    const summary = await run();
    expect(report(summary, DOCX)?.status).toBe('removed');
    expect(report(summary, TXT)?.status).toBe('added');
    expect(live().documents).toEqual([TXT]);
  });
});
