// Each document with metadata contributes a first chunk (文件信息) stating it in readable lines,
// so 文号 / 施行日期 / 有效期 questions can be retrieved and cited even when the text omits them.
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentIndexDir, readManifest } from '../../core/index.ts';
import { ingestKnowledge } from '../../ingest/index.ts';
import { RecordingEmbedder, tempDirs, writeFiles } from '../helpers/ingest.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { readIndexChunks } from '../helpers/index-files.ts';

const temp = tempDirs();
afterEach(() => temp.cleanup());

const DEV = path.join(REPO_ROOT, 'tests/fixtures/dev-corpus/dev');
const ANHUA = 'anhua-xian-fangdichan-goufang-butie-cuoshi-2022.html';
const PLAIN = '测试材料清单\n一、申请表\n填写完整的申请表一份。\n二、营业执照\n营业执照复印件一份。\n';

async function ingest(files: Record<string, string>, copied: string[] = []) {
  const root = await temp.make();
  const knowledgeDir = path.join(root, 'knowledge');
  const indexDir = path.join(root, 'index');
  await writeFiles(knowledgeDir, files);
  for (const name of copied) await copyFile(path.join(DEV, name), path.join(knowledgeDir, name));
  const embedder = new RecordingEmbedder();
  const summary = await ingestKnowledge({ knowledgeDir, indexDir, embedder, maxFileBytes: 8 * 1024 * 1024 });
  const directory = currentIndexDir(indexDir)!;
  const chunks = readIndexChunks(directory);
  return { summary, embedder, chunks, manifest: readManifest(directory) };
}

describe('文件信息 chunk', () => {
  it('states a real document’s metadata as its first chunk, embedded like the others', async () => {
    const { chunks, manifest, embedder, summary } = await ingest({}, [ANHUA]);
    const document = manifest.documents.find((entry) => entry.file === ANHUA)!;
    const own = chunks.slice(document.firstChunk, document.firstChunk + document.chunkCount);
    const card = own[0]!;
    expect(card).toMatchObject({ id: `${ANHUA}#0`, docId: ANHUA, headings: ['文件信息'], kind: 'text', start: 0, end: 0 });
    expect(card.text.split('\n')).toEqual([
      `文件名称：${document.title}`,
      '发布机关：安化县人民政府办公室',
      '文号：安政办发〔2022〕20号',
      '发布日期：2022年9月27日',
      '施行日期：2022年6月1日',
      '有效期至：2023年12月31日',
    ]);
    // No other chunk is a card, ids stay <docId>#<ordinal>, and the card was embedded.
    expect(own.slice(1).every((chunk) => chunk.headings[0] !== '文件信息')).toBe(true);
    expect(own.map((chunk) => chunk.id)).toEqual(own.map((_, index) => `${ANHUA}#${index}`));
    expect(embedder.embeddedTexts.some((text) => text.includes('文号：安政办发〔2022〕20号'))).toBe(true);
    expect(summary.embedded).toBe(chunks.length);
  });

  it('adds the manifest’s metadata, and no card to a document with nothing but a title', async () => {
    const manifestFile = JSON.stringify({ documents: { 'with.txt': { title: '测试政策', issuer: '测试市人民政府', date: '2025-04' } } });
    const { chunks } = await ingest({ 'with.txt': PLAIN, 'bare.txt': PLAIN.replace('测试', '另一份'), 'manifest.json': manifestFile });
    expect(chunks.filter((chunk) => chunk.docId === 'bare.txt').some((chunk) => chunk.headings.includes('文件信息'))).toBe(false);
    expect(chunks.find((chunk) => chunk.docId === 'bare.txt')?.id).toBe('bare.txt#0');
    const card = chunks.find((chunk) => chunk.docId === 'with.txt')!;
    expect(card.headings).toEqual(['文件信息']);
    expect(card.text).toBe('文件名称：测试政策\n发布机关：测试市人民政府\n发布日期：2025年4月');
  });

  it('writes a stated period only when there is no last day', async () => {
    const manifestFile = JSON.stringify({
      documents: {
        'span.txt': { title: '某规定', date: '2016', validity: '有效期5年' },
        'until.txt': { title: '某细则', expiryDate: '2026-06-27', validity: '实施期限为2023年6月27日-2026年6月27日' },
      },
    });
    const { chunks } = await ingest({ 'span.txt': PLAIN, 'until.txt': PLAIN.replace('测试', '又一份'), 'manifest.json': manifestFile });
    expect(chunks.find((chunk) => chunk.docId === 'span.txt')?.text).toBe('文件名称：某规定\n发布日期：2016年\n有效期：5年');
    expect(chunks.find((chunk) => chunk.docId === 'until.txt')?.text).toBe('文件名称：某细则\n有效期至：2026年6月27日');
  });
});
