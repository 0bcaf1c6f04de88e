// A figure answers only as a figure of what was asked, of the year asked, and a which-question
// only with what it asks about. Real text of tests/fixtures/dev-corpus/dev/.
import { describe, expect, it } from 'vitest';
import { assessEvidence } from '../../../bot/answer/index.ts';
import { analyzeQuery, loadDefaultLexicon } from '../../../bot/retrieval/index.ts';
import { passagesOf, type Excerpt } from './fixtures.ts';

const ANHUA: Excerpt = {
  docId: 'anhua',
  title: '关于促进安化县房地产市场平稳健康发展的若干政策措施',
  text: [
    '二、加大住房公积金使用支持力度。住房公积金最高贷款额度由35万元调整为45万元。提高纯公积金贷款比例，贷款额由不高于房价的70%，提高到不高于房价的80%。',
    '十、加大金融支持力度。鼓励和引导各金融机构加大对房地产开发项目的信贷支持，合理确定个人住房贷款的最低首付款比例、最低贷款利率要求，支持房地产开发企业合理融资需求。',
  ].join('\n\n'),
};
const SHANGHAI: Excerpt = {
  docId: 'shanghai',
  title: '问答实录：《新时代新征程促进民营经济高质量发展的若干措施》相关情况',
  text: '根据上海金融监管局统计，截至2024年末，辖内银行业金融机构民营企业贷款余额3.2万亿元，同比增长近10%；全年累计发放贷款平均利率3.48%，较年初下降0.47个百分点。',
};
const CIXI: Excerpt = {
  docId: 'cixi',
  title: '慈溪市保障性租赁住房运营奖补实施细则（试行）',
  text: '（二）保障性租赁住房运营奖补资金按年度申请、审核、发放。保障性租赁住房运营奖补资金每年度发放一次，直接发放给核准奖补的保障性租赁住房运营单位。',
};

function answerable(question: string, excerpts: Excerpt[]): boolean {
  const { retrieved, stats } = passagesOf(excerpts);
  return assessEvidence(analyzeQuery(question, loadDefaultLexicon()), retrieved, stats).answerable;
}

describe('figures', () => {
  it('wants the figure beside what it is asked of: a loan ceiling is there, a loan rate is not', () => {
    expect(answerable('安化县住房公积金最高贷款额度是多少？', [ANHUA])).toBe(true);
    expect(answerable('安化县住房公积金贷款利率现在是多少？', [ANHUA])).toBe(false);
  });

  it('does not take a figure dated to another year for the year asked', () => {
    expect(answerable('2024年末上海民营企业贷款余额是多少？', [SHANGHAI])).toBe(true);
    expect(answerable('2025年一季度上海民营企业贷款余额是多少？', [SHANGHAI])).toBe(false);
  });
});

describe('which-questions', () => {
  it('want what they ask which of: 哪些税收优惠 is not answered by a passage on 奖补资金', () => {
    expect(answerable('慈溪保障性租赁住房运营单位能享受哪些税收优惠？', [CIXI])).toBe(false);
    expect(answerable('慈溪保障性租赁住房运营奖补资金发放给哪些单位？', [CIXI])).toBe(true);
  });
});
