/**
 * Long tables are split between rows, each part under the table's header row; short ones stay whole.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChunkRecord } from '../../core/index.ts';
import { chunkDocument, cleanText, extractText } from '../../ingest/index.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

const JIANGXI = 'jiangxi-touzi-xiangmu-rongque-shenpi-chengnuozhi-qingdan-2020.pdf';
const MAX_CHARS = 600;
const HEADER = '| 序号 | 事项名称 | 事项类别 | 事项办理项目范围 | 材料序号 | 申请材料 | 材料提供适用情形 | 材料类型 |';

const isRow = (line: string) => line.startsWith('|');
const firstCell = (row: string) => row.split('|')[1]?.trim() ?? '';

describe('chunkDocument on a long table (jiangxi 事项清单, a 24-page PDF)', () => {
  let cleaned: string;
  let chunks: ChunkRecord[];
  let tableChunks: ChunkRecord[];
  beforeAll(async () => {
    const file = path.join(REPO_ROOT, 'tests/fixtures/dev-corpus/dev', JIANGXI);
    cleaned = cleanText((await extractText(readFileSync(file), JIANGXI)).text);
    chunks = chunkDocument(JIANGXI, cleaned, { maxChars: MAX_CHARS });
    tableChunks = chunks.filter((chunk) => chunk.kind === 'table');
  });

  it('splits the table into chunks of about the budget, none over twice it', () => {
    expect(tableChunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(2 * MAX_CHARS);
  });

  it('starts every part with the header row, under the same heading path', () => {
    for (const chunk of tableChunks) {
      const lines = chunk.text.split('\n');
      expect(lines[0]).toBe(HEADER);
      expect(lines.slice(1).every(isRow)).toBe(true);
      expect(lines.slice(1)).not.toContain(HEADER);
      expect(chunk.headings).toEqual(tableChunks[0]!.headings);
    }
  });

  it('puts every data row in exactly one chunk, in order', () => {
    const rows = cleaned.split('\n').filter((line) => isRow(line) && line !== HEADER);
    const chunked = tableChunks.flatMap((chunk) => chunk.text.split('\n').slice(1));
    expect(chunked).toEqual(rows);
  });

  it("keeps an item's continuation rows (empty first cells) with its first row", () => {
    const rows = cleaned.split('\n').filter((line) => isRow(line) && line !== HEADER);
    // Rows are in order across the chunks (see above), so the n-th row sits in chunkOf[n].
    const chunkOf = tableChunks.flatMap((chunk, index) => chunk.text.split('\n').slice(1).map(() => index));
    const items: { rows: string[]; at: number[] }[] = [];
    rows.forEach((row, at) => {
      const item = items.at(-1);
      if (firstCell(row) === '' && item) {
        item.rows.push(row);
        item.at.push(at);
      } else items.push({ rows: [row], at: [at] });
    });
    // An item that fits the budget under the header is never cut; a longer one only when it must be.
    const fitting = items.filter((item) => HEADER.length + 1 + item.rows.join('\n').length <= MAX_CHARS && item.rows.length > 1);
    expect(fitting.length).toBeGreaterThan(20);
    for (const item of fitting) expect(new Set(item.at.map((at) => chunkOf[at])).size).toBe(1);
    const item1 = tableChunks.find((chunk) => chunk.text.includes('| 1 | 企业投资项目核准 |'));
    expect(item1!.text).toContain('| 移民安置规划审核 | 涉及移民安置的大中型水利水电项目 |');
    const startsMidItem = tableChunks.filter((chunk) => firstCell(chunk.text.split('\n')[1]!) === '');
    expect(startsMidItem.length).toBeLessThan(tableChunks.length / 4);
  });

  it('gives parts consecutive, non-overlapping offsets covering their rows', () => {
    for (let index = 1; index < tableChunks.length; index++) {
      expect(tableChunks[index]!.start).toBeGreaterThan(tableChunks[index - 1]!.end);
    }
    for (const chunk of tableChunks) {
      const own = chunk.text.split('\n').slice(chunk === tableChunks[0] ? 0 : 1).join('\n');
      expect(cleaned.slice(chunk.start, chunk.end)).toBe(own);
    }
  });
});

describe('chunkDocument on a short table', () => {
  it('keeps it whole with its caption, as one span of the text', () => {
    const cleaned = [
      '第一条 补贴标准',
      '表1 补贴标准',
      '| 类别 | 金额（元） |',
      '| 博士 | 3000 |',
      '|  | 另加 500 |',
      '| 硕士 | 2000 |',
      '其他人员不予补贴。',
    ].join('\n');
    const tables = chunkDocument('short', cleaned).filter((chunk) => chunk.kind === 'table');
    expect(tables).toHaveLength(1);
    expect(tables[0]!.text).toBe(['表1 补贴标准', '| 类别 | 金额（元） |', '| 博士 | 3000 |', '|  | 另加 500 |', '| 硕士 | 2000 |'].join('\n'));
    expect(cleaned.slice(tables[0]!.start, tables[0]!.end)).toBe(tables[0]!.text);
  });

  it('splits a captioned table over twice the budget, repeating caption and header', () => {
    const rows = Array.from({ length: 12 }, (_, index) => `| ${index + 1} | 第${index + 1}项材料 |\n|  | 复印件一份 |`);
    const cleaned = ['表2 材料清单', '| 序号 | 材料 |', ...rows].join('\n');
    const tables = chunkDocument('captioned', cleaned, { maxChars: 120 });
    expect(tables.length).toBeGreaterThan(1);
    for (const chunk of tables) {
      const lines = chunk.text.split('\n');
      expect(lines.slice(0, 2)).toEqual(['表2 材料清单', '| 序号 | 材料 |']);
      expect(lines.length % 2).toBe(0);
      expect(lines.at(-1)).toBe('|  | 复印件一份 |');
    }
  });
});
