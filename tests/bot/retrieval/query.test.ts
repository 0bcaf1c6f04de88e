import { describe, expect, it } from 'vitest';
import { loadDefaultLexicon, analyzeQuery } from '../../../bot/retrieval/index.ts';

const analyze = (question: string) => analyzeQuery(question, loadDefaultLexicon());
const concept = (question: string, surface: string) => analyze(question).concepts.find((entry) => entry.surface === surface);

describe('analyzeQuery', () => {
  it('sees through a verb glued to a particle: 签了 counts as 签, with a verb’s salience', () => {
    const signed = concept('2020年1到10月开发区签了多少项目？', '签');
    expect(signed?.forms).toEqual(expect.arrayContaining(['签', '签订']));
    expect(signed?.salience).toBeLessThan(1);
  });

  it('reads a name the dictionary knows only character by character (恩阳) as one term, not as any 恩 or 阳', () => {
    expect(concept('恩阳这些稳经济政策有效期到什么时候？', '恩阳')?.forms).toEqual(['恩阳']);
    // Glued phrasing stays what it is: 恩阳开 (恩阳 + 开) is no name.
    expect(concept('我在恩阳开了个小饭馆，是个体户，租的国有门面，2022年房租能免几个月？', '恩阳开')?.forms).not.toEqual(['恩阳开']);
  });

  it('reads a one-character verb of everyday speech through its lexicon forms, where it stands as a word', () => {
    expect(concept('拿了长乐人才购房补贴买的房子，多少年内不能卖？', '卖')?.forms).toEqual(expect.arrayContaining(['转让', '上市交易']));
    expect(concept('在浙江企业承诺了没做到，最多罚多少钱？', '罚')?.forms).toContain('罚款');
    // Inside a word it means nothing of its own: 买卖 is no 卖, 报告 no 报.
    expect(concept('长乐区范围内有商品住房买卖行为的能申请吗？', '卖')).toBeUndefined();
    expect(concept('申请时要附哪些审计报告？', '报')).toBeUndefined();
  });

  it('treats framing words (一共, 政策) as generic', () => {
    expect(concept('渤海新区2019年一共定了多少项改革任务？', '一共')?.generic).toBe(true);
    expect(concept('安阳的惠企政策是不是不用申请就能拿到？', '政策')?.generic).toBe(true);
  });

  it('marks years and plan periods as specific', () => {
    expect(concept('2022年渤海新区城乡低保标准是多少？', '2022')?.specific).toBe(true);
    expect(concept('沧州经济开发区“十四五”规划定的GDP目标是多少？', '十四五')?.specific).toBe(true);
    expect(concept('渤海新区城乡低保标准是多少？', '渤海新区')?.specific).toBe(false);
  });

  it('recognises the kind of figure asked for', () => {
    expect(analyze('开发区招商引资奖励最多能拿多少钱？').asks).toEqual(['money']);
    // 多少 before what is paid asks its amount.
    expect(analyze('渤海新区新认定的高新技术企业能拿多少奖励？').asks).toEqual(['money']);
    expect(analyze('引进的北大博士后在渤海新区有多少安家补贴？').asks).toEqual(['money']);
    expect(analyze('技改事后奖补按设备投资额的百分之几给？').asks).toEqual(['percentage']);
    expect(analyze('上海算力补贴按多大比例补？').asks).toEqual(['percentage']);
    // A bare 多少 asks for some figure: a number with what it measures must answer it.
    expect(analyze('开发区2020年进出口和利用外资目标是多少？').asks).toEqual(['quantity']);
  });

  it('writes small counts both ways: 6个 finds 六个, 七天 finds 7日', () => {
    expect(concept('优化营商环境的6个专项行动都是啥？', '6')?.forms).toEqual(['6', '六']);
    expect(concept('网上买的年货能七天无理由退吗？', '七天')?.forms).toEqual(expect.arrayContaining(['七日', '7日', '7天']));
  });

  it('collects quoted terms', () => {
    expect(analyze('开发区招商的“三个一”是哪三个？').quoted).toEqual(['三个一']);
  });

  it('counts two colloquial words for the same formal term once (哪个部门 … 负责 → 责任单位)', () => {
    const concepts = analyze('开发区拆违建由哪个部门负责？').concepts.filter((entry) => entry.forms.includes('责任单位'));
    expect(concepts).toHaveLength(1);
  });

  it('keeps synonyms the user wrote side by side as two concepts', () => {
    const { concepts } = analyze('中小企业去新三板挂牌，开发区支持有什么门槛？');
    expect(concepts.map((entry) => entry.surface)).toEqual(expect.arrayContaining(['新三板', '挂牌']));
  });
});

describe('spoken measure words', () => {
  it('reads 注册个公司 and 开个公司 as the lexicon terms 注册公司 and 开公司', () => {
    for (const question of ['注册个公司要多久？', '想开个公司要跑几次']) {
      const concept = analyzeQuery(question, loadDefaultLexicon()).concepts.find((candidate) => candidate.forms.includes('企业开办'));
      expect(concept, question).toBeDefined();
    }
  });
});
