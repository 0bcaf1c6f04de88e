// Two lookups that word overlap alone gets wrong, on an index of the real documents of
// tests/fixtures/unseen/ (安阳市政务服务条例, 浙江省保障“最多跑一次”改革规定, 国办发〔2019〕6号):
// a clause named by number goes straight to that clause, and a question about a place no
// document is about is not answered from another place's document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessEvidence } from '../../../bot/answer/index.ts';
import { analyzeQuery, loadDefaultLexicon, placesElsewhere } from '../../../bot/retrieval/index.ts';
import { UNSEEN_DIR } from '../../helpers/paths.ts';
import { buildQa } from '../../helpers/qa.ts';
import { passagesOf } from '../answer/fixtures.ts';

let unseen: Awaited<ReturnType<typeof buildQa>>;
beforeAll(async () => {
  unseen = await buildQa(UNSEEN_DIR);
});
afterAll(() => unseen?.cleanup());

const analyze = (question: string) => analyzeQuery(question, loadDefaultLexicon());

describe('clause lookups', () => {
  it('parses the unit and its number, Chinese or Arabic, traditional or simplified', () => {
    expect(analyze('北京优化营商环境条例第28条讲的什么？').clauses).toMatchObject([{ unit: '条', number: 28 }]);
    expect(analyze('直連衛星規定第10條講的是什麼？').clauses).toMatchObject([{ unit: '条', number: 10 }]);
    expect(analyze('第三章第二节讲什么').clauses).toMatchObject([
      { unit: '章', number: 3 },
      { unit: '节', number: 2 },
    ]);
    expect(analyze('第一百零五条和第二十六项').clauses).toMatchObject([
      { unit: '条', number: 105 },
      { unit: '项', number: 26 },
    ]);
    expect(analyze('渤海新区重点帮扶多少家服务业企业？').clauses).toEqual([]);
  });

  it('leaves the number out of the topic: 28 and 条 are where to look, not what about', () => {
    const surfaces = analyze('安阳政务服务条例第28条讲的什么？').concepts.map((concept) => concept.surface);
    expect(surfaces).not.toContain('28');
    expect(surfaces).toContain('安阳');
  });

  it.each(['安阳政务服务条例第二十八条讲的什么？', '安阳政务服务条例第28条讲的什么？'])('answers %s with that article', async (question) => {
    const { retrieved, answer } = await unseen.qa.ask(question);
    expect(retrieved[0]?.chunk.headings).toContain('第二十八条');
    expect(retrieved[0]?.document.docId).toContain('anyang');
    expect(answer.refused).toBe(false);
    expect(answer.citations[0]?.quote).toMatch(/^第二十八条 市、县（市、区）人民政府及其有关部门应当编制并公布证明事项清单/);
    // The article's items follow it, in the document's order.
    expect(answer.text).toContain('（一）没有法律、法规、国务院决定依据的');
  });

  it('takes the document the rest of the question names: 浙江’s 第三章, not 安阳’s', async () => {
    const { retrieved, answer } = await unseen.qa.ask('浙江“最多跑一次”规定第三章讲什么？');
    expect(retrieved[0]?.document.docId).toContain('zhejiang');
    expect(retrieved[0]?.chunk.headings[0]).toMatch(/^第三章/);
    expect(answer.citations[0]?.quote).toMatch(/^第十六条/);
  });

  it('reads 第九条 of a document numbered by items as its item （九）', async () => {
    const { retrieved, answer } = await unseen.qa.ask('政府性融资担保的指导意见第九条讲的什么？');
    expect(retrieved[0]?.chunk.headings).toContain('（九）实行差别费率');
    expect(answer.refused).toBe(false);
  });

  it('refuses a clause the document does not have', async () => {
    const { answer } = await unseen.qa.ask('安阳政务服务条例第二百条讲的什么？');
    expect(answer.refused).toBe(true);
  });

  it('does not take the unit of another place’s document: 浙江 stops at 第四十九条, 安阳 has a 第五十五条', async () => {
    const { retrieved, answer } = await unseen.qa.ask('浙江最多跑一次规定第五十五条讲的是什么？');
    expect(retrieved.filter((hit) => hit.clause)).toEqual([]);
    expect(answer.refused).toBe(true);
    expect(answer.citations.map((citation) => citation.quote).join('')).not.toContain('第五十五条');
  });
});

describe('places', () => {
  it('knows a place the dictionary lists as a city or province, and not a word jieba merely tags as one', () => {
    const abouts = ['安阳市政务服务条例', '浙江省保障“最多跑一次”改革规定'];
    expect(placesElsewhere(analyze('郑州的政务服务条例是哪一年开始施行的？'), abouts)).toEqual(['郑州']);
    expect(placesElsewhere(analyze('江苏省的“不见面审批”是怎么规定的？'), abouts)).toEqual(['江苏']);
    expect(placesElsewhere(analyze('浙江执法的能不能随便上门来查企业？'), abouts)).toEqual([]);
    expect(placesElsewhere(analyze('开发区新建的中学能收多少学生？'), abouts)).toEqual([]);
    // A place some document is about decides; another one named beside it is left to coverage.
    expect(placesElsewhere(analyze('安阳的企业去郑州办事要带什么材料？'), abouts)).toEqual([]);
  });

  it('answers nothing about 郑州 from the documents of 安阳 and 浙江', async () => {
    const { retrieved, answer } = await unseen.qa.ask('郑州的政务服务条例是哪一年开始施行的？');
    const local = retrieved.filter((hit) => !hit.document.docId.startsWith('guobanfa'));
    expect(local.length).toBeGreaterThan(0);
    expect(local.every((hit) => hit.offPlace)).toBe(true);
    expect(answer.refused).toBe(true);
  });

  it('lets a national document answer a question about any place', async () => {
    const { retrieved, answer } = await unseen.qa.ask('在郑州，政府性融资担保的担保费一般收多少？');
    expect(retrieved[0]?.document.docId).toContain('guobanfa');
    expect(retrieved[0]?.offPlace).toBeUndefined();
    expect(answer.refused).toBe(false);
  });

  it('counts a place as covered by a passage of a document that names it, though the passage does not', () => {
    // Real text of the dev corpus' 安徽 促消费若干措施, whose title does not say 安徽.
    const excerpt = { docId: 'anhui-cujin-xiaofei', title: '关于印发进一步做好近期促进消费工作若干措施的通知', text: '五、促进文旅体育休闲消费。鼓励旅游景区和文化体育场馆春节期间免费或低收费开放。' };
    const query = analyze('安徽春节期间旅游景区免费开放吗？');
    const { retrieved, stats } = passagesOf([excerpt]);
    expect(assessEvidence(query, retrieved, stats).answerable).toBe(false);
    const named = retrieved.map((hit) => ({ ...hit, places: ['安徽'] }));
    expect(assessEvidence(query, named, stats).answerable).toBe(true);
  });
});
