// Unit tests of the answer verifier on small hand-made passages.
import { describe, expect, it } from 'vitest';
import { normalizeMarkers, numbersStated, parseChineseNumber, verifyAnswer } from '../../../../bot/answer/index.ts';
import type { RetrievedChunk } from '../../../../bot/retrieval/index.ts';

function passage(text: string, title = '测试文件', extra: { headings?: string[]; docNumber?: string; date?: string } = {}): RetrievedChunk {
  const docId = `${title}.txt`;
  return {
    ordinal: 0,
    score: 1,
    keywordScore: 1,
    vectorSimilarity: 0,
    chunk: { id: `${docId}#0`, docId, headings: extra.headings ?? [], text, kind: 'text', start: 0, end: text.length },
    document: {
      docId,
      file: docId,
      hash: 'x',
      title,
      chunkCount: 1,
      firstChunk: 0,
      ...(extra.docNumber ? { docNumber: extra.docNumber } : {}),
      ...(extra.date ? { date: extra.date } : {}),
    },
  };
}

const P1 = passage('全年市场主体总量增长15%,净增市场主体1800户。推行“最多跑一次”改革，办理事项比例不低于40%。', '双创双服', {
  headings: ['一、目标'],
  docNumber: '渤新管字[2018]168号',
  date: '2018-04-20',
});
const P2 = passage('设立“一窗通办”窗口，创造了平均2.5小时办结的“渤海新区速度”。培育三个一工程，建设十五个重点项目。');
const P3 = passage('到2020年，研发投入占比达到百分之二点五以上。');

describe('numbers', () => {
  it('parses Chinese numerals', () => {
    expect(parseChineseNumber('十五')).toBe(15);
    expect(parseChineseNumber('二十')).toBe(20);
    expect(parseChineseNumber('一百二十')).toBe(120);
    expect(parseChineseNumber('三千五百万')).toBe(35_000_000);
    expect(parseChineseNumber('二〇一九')).toBe(2019);
    expect(parseChineseNumber('两')).toBe(2);
    expect(parseChineseNumber('万')).toBeUndefined();
  });

  it('finds stated quantities but not numerals inside words', () => {
    const values = (text: string) => numbersStated(text).map((number) => number.value);
    expect(values('增长15%，净增1,800户，投资46.98亿元')).toEqual([15, 1800, 4_698_000_000]);
    expect(values('建设十五个项目，办理时限为三个工作日，占百分之四十')).toEqual([15, 3, 40]);
    expect(values('统一设立一窗通办窗口，进一步优化')).toEqual([]);
    expect(values('二〇一九年')).toEqual([2019]);
  });
});

describe('markers', () => {
  it('normalises full-width, grouped and ranged markers, leaving document numbers alone', () => {
    expect(normalizeMarkers('甲［1］乙【2，3】丙[1-3]丁[1、2]')).toBe('甲[1]乙[2][3]丙[1][2][3]丁[1][2]');
    expect(normalizeMarkers('渤新管字[2018]168号')).toBe('渤新管字[2018]168号');
  });
});

describe('verifyAnswer', () => {
  it('keeps supported sentences, renumbers to the passages cited and quotes verbatim', () => {
    const result = verifyAnswer('根据文件：\n平均2.5小时办结[2]。\n全年市场主体总量增长15%[1]。', [P1, P2, P3]);
    expect(result.ok).toBe(true);
    expect(result.dropped).toEqual([]);
    expect(result.text).toBe('根据文件：\n平均2.5小时办结[1]。\n全年市场主体总量增长15%[2]。');
    expect(result.citations.map((citation) => [citation.n, citation.title])).toEqual([
      [1, P2.document.title],
      [2, '双创双服'],
    ]);
    expect(result.citations[0]!.quote).toBe('设立“一窗通办”窗口，创造了平均2.5小时办结的“渤海新区速度”。');
    expect(result.citations[1]).toMatchObject({
      quote: '全年市场主体总量增长15%,净增市场主体1800户。',
      section: '一、目标',
      docNumber: '渤新管字[2018]168号',
      date: '2018-04-20',
      passage: P1.chunk.text,
    });
  });

  it('drops a changed number, and accepts the same number written in Chinese', () => {
    const result = verifyAnswer('市场主体增长25%[1]。建设十五个重点项目[2]。研发投入占比达到百分之二点五以上[3]。', [P1, P2, P3]);
    expect(result.dropped).toEqual([{ sentence: '市场主体增长25%。', reason: '数字“25%”不在所引段落中' }]);
    expect(result.text).toBe('建设十五个重点项目[1]。研发投入占比达到百分之二点五以上[2]。');
  });

  it('checks a number against the passages the sentence cites, not any passage', () => {
    const result = verifyAnswer('平均2.5小时办结[1]。', [P1, P2]);
    expect(result.ok).toBe(false);
    expect(result.dropped[0]?.reason).toBe('数字“2.5”不在所引段落中');
  });

  it('accepts numbers from the title, date and document number the passage was shown with', () => {
    const result = verifyAnswer('该文件文号为渤新管字[2018]168号，2018年4月20日印发[1]。', [P1]);
    expect(result.ok).toBe(true);
    expect(result.text).toContain('渤新管字[2018]168号');
  });

  it('requires quotations to be verbatim', () => {
    const good = verifyAnswer('新区推行“最多跑一次”改革[1]。', [P1]);
    expect(good.ok).toBe(true);
    const bad = verifyAnswer('新区推行“最多跑一趟”改革[1]。', [P1]);
    expect(bad.ok).toBe(false);
    expect(bad.dropped[0]?.reason).toContain('引文');
  });

  it('drops markers outside 1..N and sentences left without a valid one', () => {
    const result = verifyAnswer('净增市场主体1800户[1][7]。另有补贴100万元[9]。', [P1, P2, P3]);
    expect(result.text).toBe('净增市场主体1800户[1]。');
    expect(result.dropped).toEqual([{ sentence: '另有补贴100万元。', reason: '引用了不存在的段落 [9]' }]);
  });

  it('drops unmarked factual sentences but keeps lead-ins and statements of absence', () => {
    const result = verifyAnswer('根据《双创双服》的规定：\n净增市场主体1800户[1]。\n新区还将减免全部税费。\n文件中没有规定具体的申请流程。', [P1]);
    expect(result.text).toBe('根据《双创双服》的规定：\n净增市场主体1800户[1]。\n文件中没有规定具体的申请流程。');
    expect(result.dropped).toEqual([{ sentence: '新区还将减免全部税费。', reason: '未标注出处' }]);
  });

  it('lets a sentence take the marker that follows it on the same line, and checks it', () => {
    const ok = verifyAnswer('全年市场主体总量增长15%。净增市场主体1800户。[1]', [P1]);
    expect(ok.dropped).toEqual([]);
    expect(ok.text).toBe('全年市场主体总量增长15%。净增市场主体1800户。[1]');
    const bad = verifyAnswer('全年增长35%。净增市场主体1800户[1]。', [P1]);
    expect(bad.dropped.map((entry) => entry.reason)).toEqual(['数字“35%”不在所引段落中']);
  });

  it('drops a cited sentence that has little to do with its passage', () => {
    const result = verifyAnswer('企业可以申请高新技术认定并享受所得税优惠[1]。', [P1]);
    expect(result.ok).toBe(false);
    expect(result.dropped[0]?.reason).toMatch(/内容与所引段落不符/);
  });

  it('fails an answer with no citation at all', () => {
    const result = verifyAnswer('文档中没有相关规定。', [P1]);
    expect(result).toMatchObject({ ok: false, failure: '回答没有标注出处', dropped: [] });
  });

  it('handles list formatting and markdown emphasis', () => {
    const result = verifyAnswer('1. **净增市场主体1800户**[1]；\n2. 办理事项比例不低于40%[1]。', [P1]);
    expect(result.ok).toBe(true);
    expect(result.dropped).toEqual([]);
    expect(result.citations).toHaveLength(1);
  });
});

describe('verifyAnswer layout', () => {
  it('keeps the model’s blank lines but leaves none where a sentence was dropped', () => {
    const result = verifyAnswer('净增市场主体1800户[1]。\n\n办理事项比例不低于40%[1]。\n另有补贴100万元[9]。\n全年市场主体总量增长15%[1]。', [P1]);
    expect(result.text).toBe('净增市场主体1800户[1]。\n\n办理事项比例不低于40%[1]。\n全年市场主体总量增长15%[1]。');
  });
});

describe('verifyAnswer lead-ins', () => {
  const plan = passage('到2020年，地区生产总值年均增长8%。', '沧州经济开发区国民经济和社会发展第十三个五年规划纲要');
  it('keeps a lead-in naming a given document, even when its title holds a number', () => {
    const result = verifyAnswer('根据《沧州经济开发区国民经济和社会发展第十三个五年规划纲要》：\n地区生产总值年均增长8%[1]。', [plan]);
    expect(result.dropped).toEqual([]);
    expect(result.text.startsWith('根据《沧州经济开发区国民经济和社会发展第十三个五年规划纲要》：\n')).toBe(true);
  });
  it('drops a lead-in naming a document that was not given', () => {
    const result = verifyAnswer('根据《关于加快发展的若干意见》：\n地区生产总值年均增长8%[1]。', [plan]);
    expect(result.dropped.map((entry) => entry.reason)).toEqual(['未标注出处']);
  });
});
