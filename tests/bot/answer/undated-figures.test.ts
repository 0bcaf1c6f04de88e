// A figure whose sentence names no year is of the year named before it in the passage, else of
// its document's: a 2022 measure's rate does not answer a question about 2024.
import { describe, expect, it } from 'vitest';
import { assessEvidence } from '../../../bot/answer/index.ts';
import { analyzeQuery, loadDefaultLexicon } from '../../../bot/retrieval/index.ts';
import { passagesOf, type Excerpt } from './fixtures.ts';

// From tests/fixtures/dev-corpus/dev/bazhong-enyang-qu-wenzhu-jingji-zengzhang-zhengce-cuoshi-2022.html.
const ENYANG: Excerpt = {
  docId: 'bazhong-enyang-qu-wenzhu-jingji-zengzhang-zhengce-cuoshi-2022.html',
  title: '巴中市恩阳区进一步扎实稳住经济增长若干政策措施',
  date: '2022-06-10',
  text: '5.落实阶段性降低、缓缴社保费政策。对恩阳区各类企业继续降低社保费率，养老保险单位费率从19%降低到16%，失业保险单位费率从1.2%降低到0.6%。其中：失业保险、工伤保险缓缴期限执行到2023年5月。',
};

const PLAN: Excerpt = {
  docId: 'plan.txt',
  title: '某区发展规划',
  date: '2016-03-01',
  text: '到2020年主要目标\n\n城镇登记失业率控制在4%以内。',
};

const answerable = (question: string, excerpt: Excerpt) => {
  const { retrieved, stats } = passagesOf([excerpt]);
  return assessEvidence(analyzeQuery(question, loadDefaultLexicon()), retrieved, stats).answerable;
};

describe('an undated figure', () => {
  it('answers for its document’s year', () => {
    expect(answerable('恩阳区2022年养老保险单位费率降到多少？', ENYANG)).toBe(true);
  });

  it('does not answer for another year that the passage names elsewhere', () => {
    expect(answerable('恩阳区2023年养老保险单位费率降到多少？', ENYANG)).toBe(false);
  });

  it('is of the year a heading before it names', () => {
    expect(answerable('某区2020年城镇登记失业率控制在多少？', PLAN)).toBe(true);
  });
});
