/**
 * Admin uploads through the real chat pipeline, ingesting on the bot's worker thread as the bot
 * does: a .docx decompression bomb is refused quickly with a Chinese reason and the next admin
 * command works; a name ingest would skip (README.md) is refused with the reason instead of being
 * "added" and never indexed; a 300-character Chinese name is cut to what the file system holds
 * (by bytes) and the document is indexed; a copy of an indexed document is refused, not "added".
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestInWorker } from '../../../ingest/index.ts';
import { adminChat, type AdminChat } from '../../helpers/admin-chat.ts';
import { docxBomb } from '../../helpers/docx-bomb.ts';
import { bundledWorkspace } from '../../helpers/qa.ts';
import type { Workspace } from '../../helpers/workspace.ts';

let workspace: Workspace;
let chat: AdminChat;
let uploads = 0;

beforeAll(async () => {
  workspace = await bundledWorkspace();
  const { knowledgeDir, indexDir } = workspace;
  chat = adminChat(workspace, () => ingestInWorker({ env: { DATA_DIR: os.tmpdir(), EMBEDDINGS: 'local' }, knowledgeDir, indexDir, maxFileBytes: 20 * 1024 * 1024 }));
});

afterAll(() => {
  chat?.close();
  workspace?.remove();
});

/** Writes `bytes` under a short local name and uploads it as `fileName`. */
function upload(fileName: string, bytes: Buffer | string): Promise<string> {
  const local = path.join(workspace.root, `upload-${++uploads}`);
  writeFileSync(local, bytes);
  return chat.upload(local, fileName);
}

const knowledgeFiles = () => readdirSync(workspace.knowledgeDir).sort();

describe('admin upload', () => {
  it('refuses a .docx decompression bomb in under 10 s and 1 GB with a Chinese reason; the next admin command works', async () => {
    const bomb = await docxBomb(150 * 1024 * 1024);
    const before = knowledgeFiles();
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 5);
    const started = performance.now();
    const reply = await upload('炸弹.docx', bomb).finally(() => clearInterval(sampler));
    const ms = performance.now() - started;
    expect(reply).toContain('【出错了】');
    expect(reply).toContain('文档「炸弹.docx」未导入：炸弹.docx 无法导入：内部文件 word/document.xml 解压后达 150.0 MB');
    expect(reply).toContain('疑似“压缩炸弹”');
    expect(reply).toContain('知识库和当前索引保持不变');
    expect(ms).toBeLessThan(10_000);
    expect(peakRss).toBeLessThan(1024 * 1024 * 1024);
    expect(knowledgeFiles()).toEqual(before);
    expect(await chat.send('重新导入')).toContain('【文档没有变化】');
    expect(await chat.send('文档')).toContain('已收录 5 个文档');
  }, 60_000);

  it('refuses README.md, a name ingest skips, with the reason, and leaves the folder as it was', async () => {
    const before = knowledgeFiles();
    const reply = await upload('README.md', '# 关于加快发展的若干政策\n\n第一条 对新设立企业给予一次性奖励。\n');
    expect(reply).toContain('文件名「README.md」不可用：README 是知识库文件夹的说明文件，导入时会跳过。请改名后重新发送');
    expect(reply).not.toContain('已新增');
    expect(knowledgeFiles()).toEqual(before);
    expect(await chat.send('文档')).toContain('已收录 5 个文档');
  });

  it('refuses a copy of a document already indexed, which ingest would not index again', async () => {
    const before = knowledgeFiles();
    const copy = readFileSync(path.join(workspace.knowledgeDir, 'cangzhou-edz-multi-drive-2021.txt'));
    const reply = await upload('多轮驱动-副本.txt', copy);
    expect(reply).toContain('多轮驱动-副本.txt 未导入：与 cangzhou-edz-multi-drive-2021.txt 内容相同');
    expect(reply).not.toContain('已新增');
    expect(knowledgeFiles()).toEqual(before);
  });

  it.each([
    ['.html', () => `<html><head><meta charset="utf-8"><title>长名政策</title></head><body><h1>长名政策文件</h1><p>第一条 对认定的高新技术企业给予一次性奖励二十万元，由科技部门负责兑现。</p><p>第二条 本办法自发布之日起施行。</p></body></html>`],
    ['.docx', () => docxBomb(8 * 1024)],
  ])('accepts a 300-character Chinese name as %s, cut to 255 bytes with its extension, and indexes it', async (extension, content) => {
    const name = `${'关于进一步加快推进政务服务标准化规范化便利化的实施意见'.repeat(12).slice(0, 300)}${extension}`;
    expect(name.length).toBe(300 + extension.length);
    const reply = await upload(name, await content());
    expect(reply).toContain('【已新增《关于进一步加快推进政务服务标准化规范化便利化的实施意见');
    const saved = knowledgeFiles().find((file) => file.endsWith(extension) && file.startsWith('关于进一步'));
    expect(saved).toBeDefined();
    expect(Buffer.byteLength(saved!)).toBeLessThanOrEqual(255 - '.upload.tmp'.length);
    expect(name.startsWith(saved!.slice(0, -extension.length))).toBe(true);
    expect(existsSync(path.join(workspace.knowledgeDir, saved!))).toBe(true);
    const docs = await chat.send('文档');
    expect(docs).toContain(saved!);
    expect(docs).not.toContain('0 个片段');
  }, 60_000);
});
