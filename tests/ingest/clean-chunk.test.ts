/**
 * Cleaning and structure-aware splitting on the real documents (bundled and unseen ones).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sectionPath } from '../../core/index.ts';
import { chunkDocument, cleanText } from '../../ingest/index.ts';
import { KNOWLEDGE_DIR, UNSEEN_DIR } from '../helpers/paths.ts';

const raw = (file: string) => readFileSync(path.join(KNOWLEDGE_DIR, file), 'utf8');
const prepare = (file: string, text = raw(file)) => {
  const cleaned = cleanText(text);
  return { cleaned, chunks: chunkDocument(file, cleaned) };
};

describe('cleanText', () => {
  it('removes web-page furniture but keeps the document', () => {
    const cleaned = cleanText(raw('bohai-shuangchuang-shuangfu-2018.txt'));
    for (const furniture of ['您现在的位置', '保护视力色', '阅读次数', '【字体']) expect(cleaned).not.toContain(furniture);
    expect(cleaned).toContain('渤新管字[2018]168号');
  });

  it('rejoins sentences broken by newspaper columns, also across blank lines', () => {
    const cleaned = cleanText(raw('bohai-new-area-reform-2019.txt'));
    expect(cleaned).toContain('着力破解影响港城融合高质量发展的体制机制障碍');
    expect(cleaned).toContain('今年上半年，先后召开深改会议6次');
    // Headlines and bylines stay lines of their own.
    expect(cleaned.split('\n')).toContain('释放高质量发展活力');
  });

  it('turns one-cell-per-line tables into rows under their caption', () => {
    const lines = cleanText(raw('cangzhou-edz-13th-five-year-plan.txt')).split('\n');
    const caption = lines.indexOf('表1 沧州经济开发区“十二五”各年度污染物减排量情况');
    expect(caption).toBeGreaterThan(-1);
    expect(lines[caption + 1]).toBe('| 年度 | 削减量（吨） |');
    expect(lines).toContain('| 2011年 | 20.27 | 2.54 | 46.15 | 6.03 |');
  });

  it('normalises spacing without gluing heading numbers to titles', () => {
    const cleaned = cleanText('前   言\n第1章  “十二五”规划实施的总结与评价\n沧州 经济　开发区 的 发展。');
    expect(cleaned.split('\n')).toEqual(['前言', '第1章 “十二五”规划实施的总结与评价', '沧州经济开发区的发展。']);
  });
});

describe('chunkDocument', () => {
  it('gives every chunk its heading path and exact offsets into the cleaned text', () => {
    const { cleaned, chunks } = prepare('cangzhou-edz-13th-five-year-plan.txt');
    // A part of a long table repeats the caption and header row before its own rows.
    for (const chunk of chunks) expect(chunk.text.endsWith(cleaned.slice(chunk.start, chunk.end)) && chunk.end > chunk.start).toBe(true);
    expect(chunks.filter((chunk) => cleaned.slice(chunk.start, chunk.end) !== chunk.text).every((chunk) => chunk.kind === 'table')).toBe(true);
    const techReform = chunks.find((chunk) => chunk.text.includes('技术改造事后奖补政策'));
    expect(sectionPath(techReform!.headings)).toMatch(/^第5章 大力推进创新创业 提升企业竞争力 › 第15节 加大财政金融支持/);
  });

  it('keeps a clause with its title and its 责任单位', () => {
    const { chunks } = prepare('bohai-shuangchuang-shuangfu-2018.txt');
    const incubators = chunks.find((chunk) => chunk.text.startsWith('3.科技企业孵化器培育'));
    expect(incubators).toBeDefined();
    expect(incubators!.text).toContain('(孵化器)4家以上。责任单位:中捷产业园区');
    expect(incubators!.headings).toEqual(['三、推进重点和任务分工', '(一)以平台培育为重点,推进创新创业', '3.科技企业孵化器培育']);
  });

  it('keeps a table whole with its caption', () => {
    const { chunks } = prepare('cangzhou-edz-13th-five-year-plan.txt');
    const table = chunks.find((chunk) => chunk.text.startsWith('表2 '));
    expect(table?.kind).toBe('table');
    expect(table!.text).toContain('| 指标名称 | 2015年 | 2020年 | 年均增长（%） |');
    expect(table!.text.split('\n').slice(1).every((line) => line.startsWith('|'))).toBe(true);
  });

  it('never cuts a sentence', () => {
    for (const file of ['bohai-new-area-reform-2019.txt', 'cangzhou-edz-13th-five-year-plan.txt', 'cangzhou-edz-new-concepts-2020.txt']) {
      const { cleaned, chunks } = prepare(file);
      for (const chunk of chunks) {
        const next = cleaned[chunk.end];
        // A chunk ends at the end of a line or right after a sentence-ending mark.
        expect(next === undefined || next === '\n' || /[。！？；!?;”’）)]$/.test(chunk.text)).toBe(true);
      }
    }
  });

  it('keeps one-line articles of an unseen regulation, named by their number', () => {
    const text = readFileSync(path.join(UNSEEN_DIR, 'zhejiang-zuiduo-paoyici-guiding.txt'), 'utf8');
    const { chunks } = prepare('zhejiang.txt', text);
    const last = chunks.find((chunk) => chunk.text.includes('本规定自2019年1月1日起施行'));
    expect(last).toBeDefined();
    expect(sectionPath(last!.headings)).toBe('第八章 附则 › 第四十九条');
    const articles = new Set(chunks.flatMap((chunk) => chunk.headings.filter((heading) => /^第.+条$/.test(heading))));
    expect(articles.size).toBe(49);
  });
});
