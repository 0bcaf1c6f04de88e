import { describe, expect, it } from 'vitest';
import { assessEvidence, ExtractiveAnswerer } from '../../../bot/answer/index.ts';
import { loadDefaultLexicon, analyzeQuery } from '../../../bot/retrieval/index.ts';
import { passagesOf, type Excerpt } from './fixtures.ts';

const SHUANGCHUANG: Excerpt = {
  docId: 'bohai-shuangchuang-shuangfu-2018.txt',
  title: '沧州渤海新区2018年开展“双创双服”活动的实施意见',
  date: '2018-04-20',
  text: [
    '三、推进重点和任务分工',
    '(四)盯紧民生关注焦点,实施重点民心工程',
    '13.城乡特困人员救助工程。大力提高城乡低保标准,2018年城乡低保标准不低于7440元/人/年和4200元/人/年;2018年特困供养人员救助标准不低于城乡低保标准的1.3倍,确保应救尽救、应养尽养。(责任单位:中捷产业园区、南大港产业园区管委会,新村乡政府)',
  ].join('\n\n'),
};

const SPECIAL_ACTIONS: Excerpt = {
  ...SHUANGCHUANG,
  text: [
    '(五)以6个专项行动为重点,持续优化营商环境',
    '开展政策完善创新专项行动,全方位宣传贯彻落实优化环境条例,做好政策解读宣讲,开展送政策下基层主题活动。(责任单位:渤海新区经发局)',
  ].join('\n\n'),
};

const NEW_CONCEPTS: Excerpt = {
  docId: 'cangzhou-edz-new-concepts-2020.txt',
  title: '树牢新理念 重构高质量跨越式发展格局',
  date: '2020',
  text: [
    '近年来,开发区运用创新、协调思维,开创性地构建起“三个一”招商引资工作体系,有力地推动经济高质量发展。',
    '明确一个招商引资思路。在招商引资目的地上,明确了向京津冀、长三角、珠三角引资,向北京引智的招商思路。',
    '创新一个招商引资方式。在疫情防控常态化的背景下,综合运用线上招商、会议招商、以商招商等方式。',
    '建设一支招商引资队伍。建立全员招商制度,鼓励各部门工作人员积极提供招商引资项目线索。',
  ].join('\n\n'),
};

async function ask(question: string, excerpts: Excerpt[]) {
  const query = analyzeQuery(question, loadDefaultLexicon());
  const { retrieved, stats } = passagesOf(excerpts);
  const evidence = assessEvidence(query, retrieved, stats);
  return { evidence, answer: await new ExtractiveAnswerer().answer({ query, retrieved, evidence }) };
}

describe('evidence', () => {
  it('answers the low-protection standard for the year the document covers', async () => {
    const { answer } = await ask('渤海新区2018年城乡低保标准是多少？', [SHUANGCHUANG]);
    expect(answer.refused).toBe(false);
    expect(answer.citations[0]?.quote).toContain('7440元/人/年');
  });

  it('refuses the same question about a year no passage mentions', async () => {
    const { answer } = await ask('2022年渤海新区城乡低保标准是多少？', [SHUANGCHUANG]);
    expect(answer.refused).toBe(true);
  });

  it('refuses a percentage question when the passage holds only amounts', async () => {
    const { evidence } = await ask('城乡低保标准每年提高百分之几？', [SHUANGCHUANG]);
    expect(evidence.answerable).toBe(false);
  });
});

describe('extractive answer', () => {
  it('quotes a task with its 责任单位 and never a heading line alone', async () => {
    const { answer } = await ask('优化营商环境有哪6个专项行动，谁负责？', [SPECIAL_ACTIONS]);
    expect(answer.refused).toBe(false);
    const quotes = answer.citations.map((citation) => citation.quote);
    expect(quotes).not.toContain('(五)以6个专项行动为重点,持续优化营商环境');
    expect(quotes.some((quote) => quote.startsWith('开展政策完善创新专项行动') && quote.endsWith('(责任单位:渤海新区经发局)'))).toBe(true);
  });

  it('gathers the items a “三个一” intro announces, in order', async () => {
    const { answer } = await ask('开发区招商的“三个一”是哪三个？', [NEW_CONCEPTS]);
    expect(answer.citations.map((citation) => citation.quote)).toEqual([
      '近年来,开发区运用创新、协调思维,开创性地构建起“三个一”招商引资工作体系,有力地推动经济高质量发展。',
      '明确一个招商引资思路。',
      '创新一个招商引资方式。',
      '建设一支招商引资队伍。',
    ]);
  });
});

describe('questions answered from two places', () => {
  const MARKET_ENTITIES: Excerpt = {
    ...SHUANGCHUANG,
    text: '1.市场主体培育。深入推进商事制度改革,大力推进“互联网+”登记服务,统筹推进“多证合一”改革,全年市场主体总量增长15%,净增市场主体1800户。责任单位:渤海新区行政审批渤海新区工商管理局',
  };
  const ONE_TRIP: Excerpt = {
    ...SHUANGCHUANG,
    text: '开展提升窗口服务专项行动,针对窗口建设不完善、流程不优化等突出问题,采取有针对性措施加以解决;加快电子政务建设步伐,推进不见面审批,实现“最多跑一次”审批,以此为突破,确保所有为企业为群众提供服务的部门改善服务水平。',
  };

  it('answers when two passages together cover the question, quoting both', async () => {
    const { evidence, answer } = await ask('开公司要跑几次？', [MARKET_ENTITIES, ONE_TRIP]);
    expect(evidence.coverage).toBeLessThan(0.6);
    expect(answer.refused).toBe(false);
    expect(answer.citations.map((citation) => citation.quote).join('')).toContain('最多跑一次');
    expect(answer.citations.map((citation) => citation.quote).join('')).toContain('商事制度改革');
  });

  it('still refuses when one passage covers only a sliver of the question', async () => {
    const { answer } = await ask('开公司要交多少公积金？', [MARKET_ENTITIES, ONE_TRIP]);
    expect(answer.refused).toBe(true);
  });
});
