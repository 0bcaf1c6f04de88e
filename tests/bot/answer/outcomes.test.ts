/**
 * The three outcomes of a question: a cited answer; no answer, but the clauses closest to the
 * question, cited verbatim and presented as only that; nothing relevant. On the bundled index,
 * then on excerpts for the rule that tells `related` from `none`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessEvidence, ExtractiveAnswerer, type Answer } from '../../../bot/answer/index.ts';
import type { AskResult } from '../../../bot/qa/index.ts';
import { analyzeQuery, loadDefaultLexicon } from '../../../bot/retrieval/index.ts';
import { openBundledQa, type OpenedQa } from '../../helpers/qa.ts';
import { passagesOf, type Excerpt } from './fixtures.ts';

const RELATED_LEAD = '文件中没有直接回答这个问题。以下条款与您的问题最相关：';

/**
 * A `related` reply the user can check and cannot mistake for an answer: the lead says it is not
 * one; then one line per cited clause holding nothing but its quote, which stands verbatim in a
 * retrieved passage; then where to ask. Nothing else, so nothing is invented.
 */
function expectRelated(result: Pick<AskResult, 'answer' | 'retrieved'>): void {
  const { answer, retrieved } = result;
  expect(answer.outcome).toBe('related');
  expect(answer.refused).toBe(true);
  expect(answer.citations.length).toBeGreaterThanOrEqual(1);
  expect(answer.citations.length).toBeLessThanOrEqual(3);
  expect(answer.citations.map((citation) => citation.n)).toEqual(answer.citations.map((_, index) => index + 1));
  for (const citation of answer.citations) {
    const hit = retrieved.find((candidate) => candidate.chunk.text === citation.passage);
    expect(hit, `[${citation.n}] cites a passage that was not retrieved`).toBeDefined();
    expect(citation.title).toBe(hit?.document.title);
    expect(citation.passage).toContain(citation.quote);
  }
  const lines = answer.text.split('\n');
  expect(lines[0]).toBe(RELATED_LEAD);
  expect(lines.slice(1, -1)).toEqual(answer.citations.map((citation) => `“${citation.quote}”[${citation.n}]`));
  expect(lines.at(-1)).toContain('咨询相关主管部门');
  expect(answer.text).not.toContain('根据《');
}

function expectNone(answer: Answer): void {
  expect(answer.outcome).toBe('none');
  expect(answer.refused).toBe(true);
  expect(answer.citations).toEqual([]);
  expect(answer.text).not.toMatch(/\[\d+\]/);
}

describe('outcomes on the bundled documents', () => {
  let index: OpenedQa;

  beforeAll(() => {
    index = openBundledQa();
  });

  afterAll(() => index?.close());

  it('answers an answerable question', async () => {
    const { answer } = await index.qa.ask('技术改造有什么奖补政策？');
    expect(answer.outcome).toBe('answer');
    expect(answer.refused).toBe(false);
  });

  it('cites the clause on 技改事后奖补 for the rate it does not give', async () => {
    const result = await index.qa.ask('技改事后奖补按设备投资额的百分之几给？');
    expect(result.evidence.answerable).toBe(false);
    expectRelated(result);
    expect(result.answer.citations[0]?.quote).toContain('技术改造事后奖补');
  });

  it('cites the 2018 standard for a question about 2022', async () => {
    const result = await index.qa.ask('2022年渤海新区城乡低保标准是多少？');
    expectRelated(result);
    expect(result.answer.citations.some((citation) => citation.quote.includes('2018年城乡低保标准'))).toBe(true);
  });

  it('finds nothing for a topic the documents never treat, naming what is missing and where it looked', async () => {
    for (const [question, missing] of [
      ['住房公积金怎么提取？', '公积金'],
      // The documents do treat 社保 (社会保险): what they lack is 断缴.
      ['社保断缴了几个月怎么补缴？', '断缴'],
    ] as const) {
      const { answer } = await index.qa.ask(question);
      expectNone(answer);
      expect(answer.text).toContain('知识库中没有找到与「');
      expect(answer.text).toContain(missing);
      expect(answer.closestDocuments.length).toBeGreaterThan(0);
      expect(answer.text).toContain(`《${answer.closestDocuments[0]!.title}》`);
    }
  });
});

const SHUANGCHUANG: Excerpt = {
  docId: 'bohai-shuangchuang-shuangfu-2018.txt',
  title: '沧州渤海新区2018年开展“双创双服”活动的实施意见',
  date: '2018-04-20',
  text: '13.城乡特困人员救助工程。大力提高城乡低保标准,2018年城乡低保标准不低于7440元/人/年和4200元/人/年;2018年特困供养人员救助标准不低于城乡低保标准的1.3倍,确保应救尽救、应养尽养。(责任单位:中捷产业园区、南大港产业园区管委会,新村乡政府)',
};
const MARKET_ENTITIES: Excerpt = {
  ...SHUANGCHUANG,
  text: '1.市场主体培育。深入推进商事制度改革,大力推进“互联网+”登记服务,统筹推进“多证合一”改革,全年市场主体总量增长15%,净增市场主体1800户。责任单位:渤海新区行政审批渤海新区工商管理局',
};
const ONE_TRIP: Excerpt = {
  ...SHUANGCHUANG,
  text: '开展提升窗口服务专项行动,针对窗口建设不完善、流程不优化等突出问题,采取有针对性措施加以解决;加快电子政务建设步伐,推进不见面审批,实现“最多跑一次”审批,以此为突破,确保所有为企业为群众提供服务的部门改善服务水平。',
};

async function ask(question: string, excerpts: Excerpt[], offPlace = false) {
  const query = analyzeQuery(question, loadDefaultLexicon());
  const passages = passagesOf(excerpts);
  const retrieved = passages.retrieved.map((hit) => (offPlace ? { ...hit, offPlace: true } : hit));
  const evidence = assessEvidence(query, retrieved, passages.stats);
  return { evidence, retrieved, answer: await new ExtractiveAnswerer().answer({ query, retrieved, evidence }) };
}

describe('related or none', () => {
  it('is related when one passage covers most of the question but not the part asked', async () => {
    const result = await ask('2022年渤海新区城乡低保标准是多少？', [SHUANGCHUANG]);
    expect(result.evidence.answerable).toBe(false);
    expect(result.evidence.coverageByChunk[0]).toBeGreaterThanOrEqual(0.5);
    expectRelated(result);
    // The sentence that carries the question, not the run-in heading before it.
    expect(result.answer.citations[0]?.quote).toBe('大力提高城乡低保标准,2018年城乡低保标准不低于7440元/人/年和4200元/人/年;');
  });

  it('is none when the passages share only a sliver of the question', async () => {
    const { evidence, answer } = await ask('开公司要交多少公积金？', [MARKET_ENTITIES, ONE_TRIP]);
    expect(Math.max(...evidence.coverageByChunk)).toBeLessThan(0.5);
    expectNone(answer);
  });

  it('is none when the close passage is from a document about another place', async () => {
    // Control: the same passage, not marked as elsewhere, is related.
    expect((await ask('2022年渤海新区城乡低保标准是多少？', [SHUANGCHUANG])).answer.outcome).toBe('related');
    expectNone((await ask('2022年渤海新区城乡低保标准是多少？', [SHUANGCHUANG], true)).answer);
  });
});
