// What a question asks a figure of, what a which-word asks about, and the user's aspect particle:
// question analysis on real questions of tests/eval/dev-corpus-dev.jsonl and tests/fixtures/unseen.
import { describe, expect, it } from 'vitest';
import { analyzeQuery, holdsAttribute, labelledWith, loadDefaultLexicon } from '../../../bot/retrieval/index.ts';

const analyze = (question: string) => analyzeQuery(question, loadDefaultLexicon());
const marked = (question: string, mark: 'measured' | 'object') =>
  analyze(question)
    .concepts.filter((concept) => concept[mark])
    .map((concept) => concept.surface);

describe('the figure asked of', () => {
  it.each([
    ['安化县住房公积金贷款利率现在是多少？', ['利率']],
    // 补 → 补贴: the figure is the subsidy's (按其所缴纳契税的50%…予以补贴), 契税 still a topic word.
    ['我在安化县城买新房，契税能补多少？', ['补']],
    // 金额, 额度 name the kind of figure: the noun before them is what it is a figure of.
    ['开发区招商引资奖励金额是多少？', ['奖励']],
    // Verbs, counts and degree words are how it is asked: no noun, no head.
    ['長樂區人才租房補貼最長能領幾年？', ['补贴']],
    ['拿了长乐人才购房补贴买的房子，多少年内不能卖？', []],
    ['在安阳开个公司，执照、刻章、开户这些几天能弄完？', ['执照', '刻章', '开户']],
    // An everyday verb whose doing is a thing with an amount (贷 → 贷款) names it, not the noun before it;
    // a verb of handing over (领) does not.
    ['安化现在用公积金买房最多能贷多少钱', ['贷']],
    ['安徽春节消费券每人能领多少钱？', ['消费券']],
  ])('%s', (question, measured) => {
    expect(marked(question, 'measured').sort()).toEqual([...measured].sort());
  });

  it('is nothing when no figure is asked', () => {
    expect(marked('安化县有哪些购房补贴？', 'measured')).toEqual([]);
  });
});

describe('what a which-word asks about', () => {
  it('takes the noun after 哪些/什么 and the nouns that follow it', () => {
    expect(marked('平潭股权投资企业纳入重点监测对象以后能享受哪些税收优惠？', 'object').sort()).toEqual(['优惠', '税收']);
  });

  it('leaves nouns that ask for an attribute to the attribute check (哪几个部门, 什么门槛)', () => {
    expect(marked('慈住建〔2023〕36号是哪几个部门联合发的？', 'object')).toEqual([]);
    expect(marked('中小企业去新三板挂牌，开发区支持有什么门槛？', 'object')).toEqual([]);
  });
});

describe('the user’s phrasing', () => {
  it('reads 离了婚 as 离婚 and so as the documents’ 离异', () => {
    const concept = analyze('离了婚还能申请长乐的人才购房补贴吗？').concepts.find((entry) => entry.surface === '离婚');
    expect(concept?.forms).toContain('离异');
  });

  it('searches for what the documents call the attribute asked for (什么时候 → 申请时间)', () => {
    expect(analyze('长乐区人才购房补贴资格一年什么时候可以申请？').expansions).toEqual(expect.arrayContaining(['时间']));
  });
});

describe('a telephone number asked for', () => {
  const phone = (text: string) => holdsAttribute('phone', text);

  it('is a number shaped like one: hotline, landline with area code, mobile', () => {
    expect(phone('咨询电话：0591-28822345')).toBe(true);
    expect(phone('可拨打12345政务服务便民热线')).toBe(true);
    expect(phone('联系人手机13905910000')).toBe(true);
  });

  it('is not the word 电话 of a form to fill in, nor an ID number', () => {
    // The application form of tests/fixtures/dev-corpus/dev/fuzhou-changle-rencai-goufang-butie-xize-2024.pdf.
    expect(phone('附表 1 “好年华聚福州”长乐区人才购房补贴资格申请表申报单位：企业联系人：联系电话：')).toBe(false);
    expect(phone('| 1 | 张三 | 女 | 350000000000000000 | 6型 | 本科 |')).toBe(false);
  });
});

describe('a section labelled with what is asked', () => {
  it('is a short heading naming the attribute once its enumerator is off', () => {
    // Headings of tests/fixtures/dev-corpus/dev/fuzhou-changle-rencai-goufang-butie-xize-2024.pdf.
    expect(labelledWith('date', '（一）申请时间')).toBe(true);
    expect(labelledWith('steps', '（二）申办程序')).toBe(true);
    expect(labelledWith('materials', '（一）申请时间')).toBe(false);
  });

  it('is not the first sentence of a passage that stands as its heading', () => {
    expect(labelledWith('date', '2.人才购房补贴政策实施期限为 2023 年 6 月 27 日-2026 年 6 月 27 日，在政策有效期内获得购房资格的')).toBe(false);
  });
});

describe('conditions asked for', () => {
  it('are held by a case of a legal list (…的；), as by the words that state a condition', () => {
    // 北京市优化营商环境条例, tests/fixtures/dev-corpus/dev/beijing-youhua-yingshang-huanjing-tiaoli-2024.html.
    expect(holdsAttribute('conditions', '（一）领取营业执照后未开展生产经营活动或者无债权债务，在国家企业信用信息系统发布拟注销公告满二十日，且无异议的；')).toBe(true);
    expect(holdsAttribute('conditions', '本市推行企业登记全程电子化。')).toBe(false);
  });
});
