/**
 * The structure real documents have, as chunk heading paths: chapters with and without 第X章
 * (总则, 附则, a chapter named only by its title), articles under them, attachments (附件, 附表)
 * with their own content, and Markdown as crawlers save it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sectionPath, type ChunkRecord } from '../../core/index.ts';
import { chunkDocument, cleanText, extractText } from '../../ingest/index.ts';
import { fixture } from '../helpers/ingest.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

const corpus = (half: 'dev' | 'test', file: string) => path.join(REPO_ROOT, 'tests/fixtures/dev-corpus', half, file);

async function chunksOf(file: string): Promise<{ cleaned: string; chunks: ChunkRecord[] }> {
  const { text } = await extractText(readFileSync(file), path.basename(file));
  const cleaned = cleanText(text);
  return { cleaned, chunks: chunkDocument(path.basename(file), cleaned) };
}

function pathOf(chunks: ChunkRecord[], text: string): string {
  const chunk = chunks.find((candidate) => candidate.text.includes(text));
  expect(chunk, `no chunk contains ${text}`).toBeDefined();
  return sectionPath(chunk!.headings);
}

describe('chapters and articles', () => {
  it('puts the articles of a regulation under 总则 and 附则 (北京市优化营商环境条例, a saved page)', async () => {
    const { chunks } = await chunksOf(corpus('dev', 'beijing-youhua-yingshang-huanjing-tiaoli-2024.html'));
    // The page sets the titles letter-spaced (第一章 总　则): the path names them as words.
    expect(pathOf(chunks, '为了持续优化营商环境')).toBe('第一章 总则 › 第一条');
    expect(pathOf(chunks, '本条例自公布之日起施行')).toBe('第六章 附则 › 第九十四条');
  });

  it('reads chapters that have only a title line (the 科学技术奖励办法 without Word list numbering)', () => {
    // Word numbers these chapters automatically; a copy without the numbering has only the titles.
    const cleaned = cleanText(readFileSync(fixture('beijing-kexue-jishu-jiangli-banfa-2025.unnumbered.txt'), 'utf8'));
    const chunks = chunkDocument('kexue.txt', cleaned);
    expect(cleaned.split('\n')).toContain('总则');
    expect(pathOf(chunks, '为了奖励在本市科学技术进步活动中')).toBe('总则 › 第一条');
    expect(pathOf(chunks, '市科学技术奖每年评审一次')).toBe('市科学技术奖的设置 › 第七条');
    expect(pathOf(chunks, '提名者提供虚假数据')).toBe('监督和管理 › 第二十七条');
    expect(pathOf(chunks, '本办法自2026年1月1日起施行')).toBe('附则 › 第三十五条');
    // The title and its 题注 stand above the first chapter, not inside it.
    expect(chunks[0]!.headings).toEqual([]);
  });

  it('restarts article numbers in each chapter', () => {
    // No document in the corpus restarts its 第一条; detailed rules (细则) with parts do.
    const text = ['总则', '第一条 为了规范管理，制定本细则。', '第二条 本细则适用于全市。', '分则', '第一条 申请人应当提交申请表。', '附则', '第一条 本细则自发布之日起施行。'].join('\n');
    const chunks = chunkDocument('x.txt', cleanText(text));
    expect(chunks.map((chunk) => sectionPath(chunk.headings))).toEqual(['总则 › 第一条', '总则 › 第二条', '分则 › 第一条', '附则 › 第一条']);
  });

  it('keeps Markdown headings and emphasised chapter lines as headings (a crawler’s .md, read as saved)', () => {
    const raw = readFileSync(corpus('test', 'shanghai-zhongdian-shiyanshi-jianshe-yunxing-guanli-banfa-2025.md'), 'utf8');
    const cleaned = cleanText(raw);
    expect(cleaned).not.toMatch(/\*\*|^#/m);
    const lines = cleaned.split('\n');
    expect(lines[0]).toBe('关于印发《上海市重点实验室建设与运行管理办法》的通知');
    expect(lines).toContain('发布日期: 2025-12-29');
    const chunks = chunkDocument('shanghai.md', cleaned);
    expect(pathOf(chunks, '重点实验室是本市高水平科技力量')).toBe('第一章 总则 › 第二条');
    expect(pathOf(chunks, '有效期至2030年12月31日')).toBe('第六章 附则 › 第三十六条');
  });
});

describe('attachments', () => {
  it('gives an attachment’s content its own section, apart from the notice’s list of attachments (明溪县, PDF)', async () => {
    const { chunks } = await chunksOf(corpus('test', 'mingxi-xian-fangdichan-xiaofei-butie-cuoshi-2022.pdf'));
    expect(pathOf(chunks, '《明溪县购房补贴申请审批表》')).toMatch(/^附件 › /);
    expect(pathOf(chunks, '附件：住房消费补贴申请需提供的材料')).not.toMatch(/^附件/);
  });

  it('nests the forms (附表) of each attachment under it, titled from the line below the marker (长乐区, PDF)', async () => {
    const { chunks } = await chunksOf(corpus('dev', 'fuzhou-changle-rencai-goufang-butie-xize-2024.pdf'));
    const [attachment, form] = chunks.find((chunk) => chunk.text.includes('租住地址'))!.headings;
    expect(attachment).toMatch(/^附件 2 “好年华\s?聚福州”长乐区人才租赁补贴的实施细则（试行）$/);
    expect(form).toMatch(/^附表 1 /);
    expect(pathOf(chunks, '保障对象类型')).toMatch(/^附件 1 “好年华\s?聚福州”长乐区人才购房补贴的实施细则（试行） › 一、保障对象类型$/);
  });

  it('drops printed page numbers and rejoins the sentence they interrupted', async () => {
    const { cleaned } = await chunksOf(corpus('test', 'mingxi-xian-fangdichan-xiaofei-butie-cuoshi-2022.pdf'));
    expect(cleaned).not.toMatch(/^[-—]\s*\d+\s*[-—]$/m);
    expect(cleaned.replace(/\s/g, '')).toContain('按所购商品住房面积予以每平方米150元的补贴');
  });
});
