// An article that ends by announcing a list (应当采取下列缴纳税费便利措施：) has its items as
// passages of their own; the answer gives all of them, not only those that ranked.
// Real documents: the dev half of tests/fixtures/dev-corpus/ (北京市优化营商环境条例 among them).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQa, type OpenedQa } from '../../helpers/qa.ts';

let opened: OpenedQa & { cleanup(): void };
beforeAll(async () => {
  opened = await buildQa(path.join(import.meta.dirname, '../../fixtures/dev-corpus/dev'));
}, 60_000);
afterAll(() => opened?.cleanup());

describe('a list question answered by an article that introduces its items', () => {
  it('quotes every item of 第四十八条, in the order of the article', async () => {
    const { answer } = await opened.qa.ask('北京为方便缴税，税务等部门要采取哪些便利措施？');
    expect(answer.refused).toBe(false);
    const items = ['（一）推动纳税事项全市通办', '（二）推行使用财税辅助申报系统', '（三）对经营主体进行纳税提醒', '（四）推行社会保险、医疗保险', '（五）推广使用电子发票'];
    const at = items.map((item) => answer.text.indexOf(item));
    expect(at.every((index) => index >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('ranks the items after the passages the search found, leaving the top ten as ranked', async () => {
    const { retrieved } = await opened.qa.retrieve('北京哪些情形下市场监督管理部门应当给企业办理注销登记？');
    expect(retrieved.length).toBeGreaterThan(10);
    expect(retrieved.slice(10).every((hit) => hit.score === 0 && hit.chunk.headings.some((heading) => heading.startsWith('第二十八条')))).toBe(true);
  });
});
