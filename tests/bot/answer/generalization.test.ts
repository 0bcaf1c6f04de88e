// Behaviours that let the bot answer documents it was not tuned on: places, Chinese-numeral
// amounts, dates, definitions, list intros, and colloquial words mapped to the documents' terms.
// Excerpts are real text of tests/fixtures/unseen/*.txt.
import { describe, expect, it } from 'vitest';
import { assessEvidence, ExtractiveAnswerer } from '../../../bot/answer/index.ts';
import { loadDefaultLexicon, analyzeQuery, placesOf } from '../../../bot/retrieval/index.ts';
import { passagesOf, type Excerpt } from './fixtures.ts';

const ANYANG: Excerpt = {
  docId: 'anyang-zhengwu-fuwu-tiaoli',
  title: '安阳市政务服务条例',
  text: '第十五条 劳动就业、社会救助、计划生育、农村村民住宅用地审批、社会福利、医疗保障、涉农补贴、户籍登记等与群众生产生活密切相关的政务服务事项应当集中到乡镇、街道政务服务大厅办理，具备条件的可由村（社区）便民服务站办理；需要上报审批的，可以实行免费代办或者帮办。',
};

const ZHEJIANG = (text: string): Excerpt => ({ docId: 'zhejiang-zuiduo-paoyici-guiding', title: '浙江省保障“最多跑一次”改革规定', text });

const PENALTY = ZHEJIANG(
  '第四十四条 申请人无正当理由不按照本规定第十四条、第十九条、第二十四条规定履行有关承诺的，按照法律、法规规定予以处罚；尚无法律、法规规定的，有关行政机关可以按照各自职责予以警告；造成危害后果的，处一万元以上十万元以下罚款；造成严重危害后果的，处十万元以上三十万元以下罚款。',
);
const EXEMPTION = ZHEJIANG(
  ['第四十六条 开展“最多跑一次”改革过程中出现失误，但同时符合下列条件的，对有关单位和个人不作负面评价，免除相关责任：', '（一）符合国家和省确定的改革方向；', '（二）未违反法律、法规禁止性、义务性规定；'].join('\n\n'),
);
const IN_FORCE = ZHEJIANG('第五十条 本规定自2019年1月1日起施行。');

const ALL = [ANYANG, PENALTY, EXEMPTION, IN_FORCE];

/** The excerpts given rank first; the others follow, so term statistics see a small real corpus. */
async function ask(question: string, excerpts: Excerpt[]) {
  const query = analyzeQuery(question, loadDefaultLexicon());
  const { retrieved, stats } = passagesOf([...excerpts, ...ALL.filter((excerpt) => !excerpts.includes(excerpt))]);
  const evidence = assessEvidence(query, retrieved, stats);
  return { query, retrieved, evidence, answer: await new ExtractiveAnswerer().answer({ query, retrieved, evidence }) };
}

describe('places', () => {
  const abouts = [ANYANG, PENALTY].map((excerpt) => excerpt.title);

  it('takes a place some document title names (安阳 from 安阳市政务服务条例)', () => {
    expect(placesOf(analyzeQuery('安阳办居住证需要住满多久？', loadDefaultLexicon()), abouts)).toEqual(['安阳']);
    expect(placesOf(analyzeQuery('浙江省注册公司要多久？', loadDefaultLexicon()), abouts)).toEqual(['浙江']);
  });

  it('ignores words jieba merely tags as places (上门来) and places no title names', () => {
    expect(placesOf(analyzeQuery('执法的能不能随便上门来查企业？', loadDefaultLexicon()), abouts)).toEqual([]);
    expect(placesOf(analyzeQuery('郑州的政务服务条例是哪一年开始施行的？', loadDefaultLexicon()), abouts)).toEqual([]);
  });

  it('never accepts a passage of a document about another place as evidence', async () => {
    const query = analyzeQuery('浙江不履行承诺的，最多罚多少钱？', loadDefaultLexicon());
    const { retrieved, stats } = passagesOf([PENALTY, ANYANG, EXEMPTION, IN_FORCE]);
    expect(assessEvidence(query, retrieved, stats).answerable).toBe(true);
    const elsewhere = retrieved.map((hit) => (hit.document.title.includes('浙江') ? { ...hit, offPlace: true } : hit));
    expect(assessEvidence(query, elsewhere, stats).answerable).toBe(false);
  });
});

describe('answering paraphrases', () => {
  it('finds an amount written in Chinese numerals (十万元以上三十万元以下罚款)', async () => {
    const { answer } = await ask('浙江不履行承诺的，最多罚多少钱？', [PENALTY]);
    expect(answer.refused).toBe(false);
    expect(answer.citations.map((citation) => citation.passage).join('')).toContain('三十万元以下罚款');
  });

  it('maps 宅基地/低保 to the statute’s 农村村民住宅用地/社会救助', async () => {
    const { answer } = await ask('安阳农村办低保、宅基地审批这种事去哪儿办？', [ANYANG]);
    expect(answer.refused).toBe(false);
    expect(answer.citations[0]?.quote).toContain('乡镇、街道政务服务大厅办理');
  });

  it('reads 生效 as 施行 and wants a day for 哪天', async () => {
    const { query, answer } = await ask('浙江这个最多跑一次的规定哪天生效的？', [IN_FORCE]);
    expect(query.asks).toEqual(['day']);
    expect(query.concepts.find((concept) => concept.surface === '生效')?.forms).toContain('施行');
    expect(answer.refused).toBe(false);
    expect(answer.citations[0]?.quote).toContain('2019年1月1日起施行');
  });

  it('quotes a list intro ending in a colon instead of refusing', async () => {
    const { answer } = await ask('浙江改革出了差错，什么情况下可以免责？', [EXEMPTION]);
    expect(answer.refused).toBe(false);
    expect(answer.citations[0]?.quote).toContain('免除相关责任');
  });

  it('recognises a question about what a term means', () => {
    expect(analyzeQuery('浙江讲的“最多跑一次”到底是啥意思？', loadDefaultLexicon()).definition).toBe(true);
    expect(analyzeQuery('最多跑一次改革是哪个部门负责的？', loadDefaultLexicon()).definition).toBeUndefined();
  });
});
