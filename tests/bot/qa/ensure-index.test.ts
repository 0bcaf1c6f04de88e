/**
 * Start-up with no index yet: an empty or missing knowledge folder says which formats to put there,
 * and when every file failed, each file's problem is printed, not only the overall refusal. A live
 * version that is damaged or from an older format is rebuilt instead of stopping the start.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalLexicalEmbeddings } from '../../../core/embeddings/index.ts';
import { currentIndexDir, INDEX_FILES, loadConfig, readManifest } from '../../../core/index.ts';
import { IndexHolder } from '../../../bot/retrieval/index.ts';
import { ensureIndex } from '../../../bot/qa/index.ts';
import { appErrorOf } from '../../helpers/errors.ts';

const FORMATS = '.txt .md .markdown .html .htm .docx .pdf';
let root: string;
let lines: string[];

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ensure-index-'));
  lines = [];
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function start(knowledge: string, embedder = new LocalLexicalEmbeddings()): Promise<void> {
  const config = loadConfig({ KNOWLEDGE_DIR: knowledge, INDEX_DIR: path.join(root, 'index') }, root);
  return ensureIndex(config, embedder, config.INDEX_DIR, (line) => lines.push(line));
}

describe('ensureIndex at start-up', () => {
  it('says which formats to put into an empty knowledge folder', async () => {
    mkdirSync(path.join(root, 'knowledge'));
    const error = await appErrorOf(start('knowledge'));
    expect(error.code).toBe('nothing_to_ingest');
    expect(error.message).toContain('还没有文档');
    expect(error.message).toContain(`请把政策文件（${FORMATS} 格式）放入该目录`);
  });

  it('says the folder is missing, and which formats it should hold', async () => {
    const error = await appErrorOf(start('nowhere'));
    expect(error.message).toContain(`知识库目录 ${path.join(root, 'nowhere')} 不存在`);
    expect(error.message).toContain(FORMATS);
  });

  it('prints why each file failed when none could be used', async () => {
    mkdirSync(path.join(root, 'knowledge'));
    writeFileSync(path.join(root, 'knowledge', 'scan.jpg'), 'not a document');
    writeFileSync(path.join(root, 'knowledge', 'empty.txt'), '');
    const error = await appErrorOf(start('knowledge'));
    expect(error.message).toContain('共 2 个文件，均未能导入');
    expect(lines.find((line) => line.includes('scan.jpg'))).toMatch(/- scan\.jpg: .*格式不受支持/);
    expect(lines.some((line) => line.startsWith('  - empty.txt: '))).toBe(true);
  });

  describe('with a live version that cannot serve', () => {
    /** A knowledge folder of one real document, indexed once. */
    async function indexed(): Promise<string> {
      const knowledge = path.join(root, 'knowledge');
      mkdirSync(knowledge);
      cpSync(path.join('knowledge', 'cangzhou-edz-multi-drive-2021.txt'), path.join(knowledge, 'cangzhou-edz-multi-drive-2021.txt'));
      await start('knowledge');
      lines = [];
      return currentIndexDir(path.join(root, 'index'))!;
    }

    it('rebuilds a damaged one instead of refusing to start', async () => {
      const damaged = await indexed();
      truncateSync(path.join(damaged, INDEX_FILES.hnsw), 100);
      await start('knowledge');
      expect(lines.join('\n')).toContain('现有索引无法使用');
      expect(lines.join('\n')).toContain(INDEX_FILES.hnsw);
      const rebuilt = new IndexHolder(path.join(root, 'index'), new LocalLexicalEmbeddings()).current;
      expect(rebuilt.chunks.ofDocument(rebuilt.manifest.documents[0]!).length).toBeGreaterThan(0);
    });

    it('rebuilds one whose vectors are of another size than the local embedder makes (LOCAL_EMBEDDINGS_DIMENSIONS changed)', async () => {
      const before = await indexed();
      const wider = new LocalLexicalEmbeddings({ dimensions: 256 });
      await start('knowledge', wider);
      expect(lines.join('\n')).toContain(`它的向量由 ${new LocalLexicalEmbeddings().id} 生成，当前配置的是 ${wider.id}`);
      expect(currentIndexDir(path.join(root, 'index'))).not.toBe(before);
      expect(new IndexHolder(path.join(root, 'index'), wider).current.manifest.embedder.id).toBe(wider.id);
      lines = [];
      await start('knowledge', wider);
      expect(lines).toEqual([]);
    });

    it('rebuilds one written in an older format', async () => {
      const old = await indexed();
      const manifestFile = path.join(old, INDEX_FILES.manifest);
      writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), formatVersion: 2 }));
      await start('knowledge');
      expect(lines.join('\n')).toContain('格式版本为 2');
      expect(readManifest(currentIndexDir(path.join(root, 'index'))!).formatVersion).not.toBe(2);
    });

    it('leaves a sound one alone', async () => {
      const sound = await indexed();
      await start('knowledge');
      expect(lines).toEqual([]);
      expect(currentIndexDir(path.join(root, 'index'))).toBe(sound);
    });
  });
});
