import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { currentIndexDir, readManifest } from '../../core/index.ts';
import { ingestKnowledge, inferTitle, readKnowledgeManifest } from '../../ingest/index.ts';
import { DOC_ALPHA, DOC_BETA, DOC_GAMMA, RecordingEmbedder, tempDirs, writeFiles } from '../helpers/ingest.ts';

const temp = tempDirs();
afterEach(() => temp.cleanup());

const MANIFEST = {
  $comment: '测试用元数据',
  documents: {
    'alpha.txt': {
      title: '测试市企业开办便利化办法（正式）',
      issuer: '测试市人民政府办公室',
      docNumber: '测政办发〔2023〕5号',
      date: '2023-03-01',
      kind: 'policy',
    },
  },
};

async function knowledge(files: Record<string, string>) {
  const root = await temp.make();
  const knowledgeDir = path.join(root, 'knowledge');
  await writeFiles(knowledgeDir, files);
  return { knowledgeDir, indexDir: path.join(root, 'index') };
}

describe('knowledge manifest', () => {
  it('applies title, issuer, 文号, date and kind from the entry; infers titles for the rest', async () => {
    const { knowledgeDir, indexDir } = await knowledge({
      'alpha.txt': DOC_ALPHA,
      'beta.txt': DOC_BETA,
      'gamma.txt': DOC_GAMMA,
      'manifest.json': JSON.stringify(MANIFEST),
    });
    const summary = await ingestKnowledge({ knowledgeDir, indexDir, embedder: new RecordingEmbedder(), maxFileBytes: 1 << 20 });
    expect(summary.documents.map((document) => document.path)).toEqual(['alpha.txt', 'beta.txt', 'gamma.txt']); // manifest.json is no document
    const documents = readManifest(currentIndexDir(indexDir)!).documents;
    expect(documents[0]).toMatchObject({
      file: 'alpha.txt',
      title: '测试市企业开办便利化办法（正式）',
      issuer: '测试市人民政府办公室',
      docNumber: '测政办发〔2023〕5号',
      date: '2023-03-01',
      kind: 'policy',
    });
    expect(documents[1]).toMatchObject({ file: 'beta.txt', title: '测试市技术改造奖补实施细则' });
    expect(documents[1]).not.toHaveProperty('docNumber');
    expect(documents[2]).toMatchObject({ file: 'gamma.txt', title: '测试市人才安居办法' });
  });

  it('treats a metadata change as a change of the document', async () => {
    const { knowledgeDir, indexDir } = await knowledge({ 'alpha.txt': DOC_ALPHA, 'beta.txt': DOC_BETA, 'manifest.json': JSON.stringify(MANIFEST) });
    const embedder = new RecordingEmbedder();
    await ingestKnowledge({ knowledgeDir, indexDir, embedder, maxFileBytes: 1 << 20 });
    const renamed = structuredClone(MANIFEST);
    renamed.documents['alpha.txt'].title = '测试市企业开办办法（修订）';
    await writeFile(path.join(knowledgeDir, 'manifest.json'), JSON.stringify(renamed));
    embedder.reset();
    const summary = await ingestKnowledge({ knowledgeDir, indexDir, embedder, maxFileBytes: 1 << 20 });
    expect(summary.documents.map((document) => `${document.path}:${document.status}`)).toEqual(['alpha.txt:changed', 'beta.txt:unchanged']);
    expect(embedder.embeddedTexts.every((text) => text.startsWith('测试市企业开办办法（修订）'))).toBe(true);
    expect(readManifest(currentIndexDir(indexDir)!).documents[0]?.title).toBe('测试市企业开办办法（修订）');
  });

  it('reads a manifest saved with a byte-order mark', async () => {
    const { knowledgeDir } = await knowledge({ 'manifest.json': `\ufeff${JSON.stringify(MANIFEST)}` });
    expect(readKnowledgeManifest(knowledgeDir).get('alpha.txt')?.docNumber).toBe('测政办发〔2023〕5号');
  });

  it('is optional', async () => {
    const { knowledgeDir } = await knowledge({ 'alpha.txt': DOC_ALPHA });
    expect(readKnowledgeManifest(knowledgeDir).size).toBe(0);
  });

  it('names the file when the JSON is invalid, and ingest stops before touching the index', async () => {
    const { knowledgeDir, indexDir } = await knowledge({ 'alpha.txt': DOC_ALPHA, 'manifest.json': '{"documents": {"alpha.txt": {"title": "x",}}}' });
    const file = path.join(knowledgeDir, 'manifest.json');
    expect(() => readKnowledgeManifest(knowledgeDir)).toThrow(expect.objectContaining({ code: 'invalid_argument', message: expect.stringContaining(file) }));
    expect(() => readKnowledgeManifest(knowledgeDir)).toThrow(/不是有效的 JSON/);
    await expect(ingestKnowledge({ knowledgeDir, indexDir, embedder: new RecordingEmbedder(), maxFileBytes: 1 << 20 })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('manifest.json'),
    });
    expect(currentIndexDir(indexDir)).toBeUndefined();
  });

  it('names the file and the field when an entry is malformed', async () => {
    const { knowledgeDir } = await knowledge({ 'manifest.json': JSON.stringify({ documents: { 'alpha.txt': { issuer: '某局' } } }) });
    expect(() => readKnowledgeManifest(knowledgeDir)).toThrow(/manifest\.json 格式有误：documents\.alpha\.txt\.title/);
  });
});

describe('inferTitle', () => {
  it('keeps a 关于印发《…》的通知 whole, as portals list it', () => {
    expect(inferTitle('关于印发《某某区营商环境优化方案》的通知\n各单位：', 'x.txt')).toBe('关于印发《某某区营商环境优化方案》的通知');
  });

  it('takes the first title-like line, skipping sentences', () => {
    expect(inferTitle('本办法自公布之日起施行，有效期五年。\n某某市政务服务条例\n第一条 总则', 'x.txt')).toBe('某某市政务服务条例');
  });

  it('falls back to the file name', () => {
    expect(inferTitle('短\n这是一段很长的正文，没有标题。', 'dir/some-policy.txt')).toBe('some-policy');
  });
});
