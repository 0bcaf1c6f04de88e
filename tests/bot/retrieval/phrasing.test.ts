// How spoken phrasings reach the documents' words: aspect particles, places the tagger takes for
// people's names, and everyday words for units, family and dealings (lexicon.json).
import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../../core/index.ts';
import { analyzeQuery, loadDefaultLexicon, passageText } from '../../../bot/retrieval/index.ts';

const analyze = (question: string) => analyzeQuery(question, loadDefaultLexicon());
const formsOf = (question: string, surface: string) => analyze(question).concepts.find((concept) => concept.surface === surface)?.forms ?? [];

describe('spoken phrasing', () => {
  it('reads 离过婚 as 离婚 (experiential 过 like 了), but keeps 通过 and 超过', () => {
    expect(analyze('离过婚的人能申请长乐人才买房补贴吗').normalized).toContain('离婚');
    expect(formsOf('离过婚的人能申请长乐人才买房补贴吗', '离婚')).toContain('离异');
    expect(analyze('通过审核后多久发钱').normalized).toContain('通过审核');
    expect(analyze('补贴不超过多少').normalized).toContain('超过');
  });

  it('reads 开了个小饭馆 as 开小饭馆 and 带了一台手机 as 带手机: no topic word is the verb with its count', () => {
    expect(analyze('我在恩阳开了个小饭馆，房租能免几个月？').normalized).toContain('开小饭馆');
    expect(analyze('我从国外回来带了一台能直连卫星的手机').normalized).toContain('带能直连卫星的手机');
    expect(analyze('我从国外回来带了一台能直连卫星的手机').concepts.map((concept) => concept.surface)).not.toContain('带了一台');
    // Two characters on each side: 为了个人 keeps its 了 (为了 is a word, not a verb with its count).
    expect(analyze('为了个人创业能申请什么').normalized).toContain('为了个人');
  });

  it('reads a second place after a verb and 在/到 as where something would go, not as the place asked about', () => {
    const places = (question: string) =>
      analyze(question)
        .concepts.filter((concept) => concept.place)
        .map((concept) => concept.surface);
    expect(places('私募基金管理人在平潭申请重点监测，办公室能不能租在福州？')).toEqual(['平潭']);
    expect(places('我想在安阳开公司，能不能注册在郑州？')).toEqual(['安阳']);
    // One place named is the question's place however it is said; a modal before 在 is no verb of going.
    expect(places('注册在平潭的企业能享受什么')).toEqual(['平潭']);
    expect(places('想在安阳还是郑州开公司')).toEqual(['安阳', '郑州']);
  });

  it('takes a division the dictionary lists for a place though jieba tags it a name (余姚)', () => {
    expect(analyze('余姚的保障性租赁住房运营补贴标准是多少').concepts.find((concept) => concept.surface === '余姚')?.place).toBe(true);
  });

  it('maps everyday words to the documents’ own (平米 → 平方米, 二胎 → 二孩, 开发商 → 开发企业)', () => {
    expect(formsOf('一平米一年补多少', '平米')).toContain('平方米');
    expect(formsOf('生了二胎的家庭买房补多少', '二胎')).toContain('二孩');
    expect(formsOf('开发商拿地的钱能分期交吗', '开发商')).toContain('房地产开发企业');
  });
});

describe('a list of one-character items', () => {
  // 第四十条 of tests/fixtures/unseen/anyang-zhengwu-fuwu-tiaoli.txt.
  const document = { docId: 'anyang', title: '安阳市政务服务条例' } as DocumentRecord;
  const passage = (text: string) => passageText(document, { headings: ['第四十条'], text });

  it('is read as written apart and as users write it together (水电气, 省市县)', () => {
    const text = passage('申请人办理不动产登记时，可以申请水、电、气、暖过户等关联业务同步办理。');
    expect(text).toContain('水、电、气');
    expect(text).toContain('水电气暖');
  });

  it('takes three items at least, one of them alone between two 、: a list of words is no such list', () => {
    expect(passage('企业登记、公章刻制、首次发票申领实行一窗受理。')).not.toContain('记公');
    expect(passage('保障水、电供应。')).not.toContain('水电');
  });
});
