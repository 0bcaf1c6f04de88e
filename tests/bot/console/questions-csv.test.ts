/** The questions log as CSV: Excel-readable UTF-8, one row per question, quoting that survives commas, quotes and line breaks. */
import { describe, expect, it } from 'vitest';
import type { QuestionLogEntry } from '../../../bot/chat/index.ts';
import { questionsCsv } from '../../../bot/console/index.ts';

const entry = (overrides: Partial<QuestionLogEntry>): QuestionLogEntry => ({
  id: 'a1',
  at: Date.UTC(2026, 10, 2, 3, 4, 5),
  chatKind: 'p2p',
  question: '一窗通办怎么办理？',
  outcome: 'answer',
  sources: [{ title: '渤海新区改革方案', section: '第三章' }],
  latencyMs: 812.4,
  up: 1,
  down: 0,
  ...overrides,
});

describe('questions CSV', () => {
  it('has a byte-order mark, a Chinese header and one row per question', () => {
    const csv = questionsCsv([entry({}), entry({ id: 'a2', chatKind: 'group', outcome: 'none', sources: [], latencyMs: undefined, up: 0, down: 2 })]);
    expect(csv.startsWith('\ufeff时间,会话,问题,结果,来源,用时(ms),有帮助,没帮助\n')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\n');
    expect(lines).toEqual([
      '时间,会话,问题,结果,来源,用时(ms),有帮助,没帮助',
      '2026-11-02T03:04:05.000Z,私聊,一窗通办怎么办理？,已回答,《渤海新区改革方案》 第三章,812,1,0',
      '2026-11-02T03:04:05.000Z,群聊,一窗通办怎么办理？,未找到,,,0,2',
    ]);
  });

  it('quotes a question holding commas, quotes or a line break, so it stays one field', () => {
    const csv = questionsCsv([entry({ question: '补贴,多少"钱"\n第二行', sources: [{ title: 'A', section: '' }, { title: 'A', section: '' }, { title: 'B', section: '' }] })]);
    expect(csv).toContain('"补贴,多少""钱""\n第二行"');
    // The same document cited twice is listed once.
    expect(csv).toContain('《A》；《B》');
  });

  it('escapes a question that Excel would run as a formula', () => {
    const csv = questionsCsv([entry({ question: '=HYPERLINK("http://evil.example","点我")' })]);
    expect(csv).not.toMatch(/,=HYPERLINK|,"=HYPERLINK/);
    expect(csv).toContain("'=HYPERLINK");
  });
});
