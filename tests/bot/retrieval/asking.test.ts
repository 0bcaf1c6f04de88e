// How a question asks (question words, hedges, modal and light verbs, conditions, the time of
// asking) is no part of what a passage must contain; the attribute it asks for is. The questions
// are real colloquial ones from tests/eval/unseen.jsonl and the bundled set.
import { describe, expect, it } from 'vitest';
import { assessEvidence } from '../../../bot/answer/index.ts';
import { analyzeQuery, loadDefaultLexicon } from '../../../bot/retrieval/index.ts';
import { passagesOf, type Excerpt } from '../answer/fixtures.ts';

const analyze = (question: string) => analyzeQuery(question, loadDefaultLexicon());
/** The words a passage is asked to contain. */
const topic = (question: string) =>
  analyze(question)
    .concepts.filter((concept) => !concept.attributes)
    .map((concept) => concept.surface);

describe('question analysis: what is asked about, apart from how it is asked', () => {
  it.each([
    ['安阳12345半夜打能有人接吗？', ['12345', '半夜', '安阳'], ['打能', '有人', '吗']],
    ['浙江告知承诺先拿了许可证，之后多久会来核查？', ['许可证', '核查'], ['之后', '多久', '拿']],
    ['浙江执法的能不能随便上门来查企业？', ['随便', '执法', '企业'], ['能', '不能']],
    ['安阳哪些证明以后不用再开了？', ['安阳', '证明'], ['哪些', '以后', '不用']],
    ['在安阳开个公司，执照、刻章、开户这些几天能弄完？', ['执照', '刻章', '开户'], ['弄完', '这些', '几天']],
    ['浙江注册公司拿不出房产证，经营地址怎么证明？', ['房产证', '地址', '证明'], ['拿不出', '怎么']],
    ['安阳农村办低保、宅基地审批这种事去哪儿办？', ['低保', '宅基地', '农村'], ['这种', '哪儿', '办']],
    ['担保贷款除了利息和担保费，银行还能收别的钱吗？', ['利息', '担保费', '银行'], ['除了', '别的']],
    ['安阳的惠企政策是不是不用申请就能拿到？', ['不用申请', '惠企'], ['是不是', '拿到']],
  ])('%s', (question, kept, dropped) => {
    const words = topic(question);
    expect(words).toEqual(expect.arrayContaining(kept));
    for (const word of dropped) expect(words).not.toContain(word);
  });

  it('reads an A-not-A question (能不能, 可不可以, 需不需要) as asking about A', () => {
    expect(topic('江西公路项目办施工许可，资金到位的审计意见能不能先不交？')).not.toContain('不能');
    expect(topic('在浙江网上交了电子材料，需不需要补纸质的？')).toEqual(expect.arrayContaining(['电子', '材料', '纸质']));
  });
});

describe('the attribute asked for', () => {
  it.each([
    ['浙江告知承诺先拿了许可证，之后多久会来核查？', ['duration']],
    ['安阳政务服务这块归哪个部门管？谁牵头统筹？', ['department']],
    ['在浙江企业承诺了没做到，最多罚多少钱？', ['money']],
    ['政府性融资担保的担保费一般收多少？', ['money']],
    ['政府性担保机构做小微和三农业务的占比要求是多少？', ['percentage']],
    ['浙江这个最多跑一次的规定哪天生效的？', ['day']],
    ['浙江这个最多跑一次的规定什么时候生效的？', ['date']],
    ['私募基金想在平潭纳入重点监测对象，要准备哪些材料？', ['materials']],
    ['中小企业去新三板挂牌，开发区支持有什么门槛？', ['conditions']],
    ['开发区拆违建由哪个部门负责？要多久？', ['duration', 'department']],
    // 多少学生 counts people: no amount of money is asked.
    ['开发区新建的中学能收多少学生？', []],
  ])('%s', (question, asks) => {
    expect(analyze(question).asks).toEqual(asks);
  });

  it('stands for the words that ask (哪个部门, 多少钱) instead of making them topic words', () => {
    const { concepts } = analyze('开发区拆违建由哪个部门负责？');
    expect(concepts.find((concept) => concept.surface === '哪个部门' && !concept.attributes)).toBeUndefined();
    expect(concepts.find((concept) => concept.attributes)?.attributes).toEqual(['department']);
    expect(analyze('开发区招商引资奖励最多能拿多少钱？').expansions).toEqual(expect.arrayContaining(['万元']));
  });
});

// Real text of tests/fixtures/unseen/zhejiang-zuiduo-paoyici-guiding.txt.
const ZHEJIANG = (text: string): Excerpt => ({ docId: 'zhejiang-zuiduo-paoyici-guiding', title: '浙江省保障“最多跑一次”改革规定', text });
const CHECK_WITHIN = ZHEJIANG(
  [
    '第十四条 除直接涉及公共安全、金融安全、生态环境保护以及直接关系人身健康、生命财产安全的外，能够通过事中事后监管达到行政许可条件且不会产生严重后果的行政许可事项（包括事项的部分许可条件，下同），行政机关可以按照国家规定实行行政许可告知承诺制，申请人按照要求书面承诺达到行政许可条件的，行政机关可以先行作出行政许可决定。',
    '行政机关应当自作出行政许可决定的六十个工作日内或者在省人民政府有关部门确定的期限内，对被许可人是否达到许可条件进行检查和验收；经检查和验收未达到许可条件的，责令限期整改；整改后仍未达到许可条件的，撤销行政许可。',
  ].join('\n\n'),
);
const CHECK_ITEM = ZHEJIANG('第三十六条 行政机关及其工作人员不得随意实施现场检查。\n\n（五）对实施行政许可告知承诺制的被许可人是否达到许可条件进行检查和验收；');
const QUESTION = '浙江告知承诺先拿了行政许可，之后多久会来检查验收？';

describe('evidence', () => {
  it('never asks a passage for the user’s own words, only for the topic and the attribute', () => {
    const query = analyze(QUESTION);
    const { retrieved, stats } = passagesOf([CHECK_WITHIN, CHECK_ITEM]);
    const evidence = assessEvidence(query, retrieved, stats);
    expect(evidence.concepts.map((concept) => concept.surface)).not.toEqual(expect.arrayContaining(['之后']));
    expect(evidence.coverage).toBe(1);
    expect(evidence.answerable).toBe(true);
  });

  it('refuses a passage on the topic that lacks the attribute asked for (多久 → a span of days)', () => {
    const query = analyze(QUESTION);
    const { retrieved, stats } = passagesOf([CHECK_ITEM]);
    expect(assessEvidence(query, retrieved, stats).answerable).toBe(false);
  });
});
