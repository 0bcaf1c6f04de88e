import { describe, expect, it } from 'vitest';
import { charBigrams, dictionaryWords, isAdministrativeDivision } from '../../../core/text/index.ts';

describe('charBigrams', () => {
  it('lets 几个村 meet 七个村 through the shared pair 个村', () => {
    expect(charBigrams('底下管着几个村？')).toContain('~个村');
    expect(charBigrams('开发区下辖七个村')).toContain('~个村');
  });

  it('never pairs across punctuation or Latin text', () => {
    expect(charBigrams('洗城，GDP目标')).toEqual(['~洗城', '~目标']);
  });
});

describe('isAdministrativeDivision', () => {
  it('knows cities, provinces and counties from jieba’s dictionary, with or without their suffix', () => {
    for (const place of ['郑州', '郑州市', '江苏', '江苏省', '安化县', '北京', '沧州']) expect(isAdministrativeDivision(place), place).toBe(true);
  });

  it('does not take words jieba merely tags as places (上市, 新建, 上门) or generic ones', () => {
    for (const word of ['上市', '新建', '上门', '城市', '中国', '开发区']) expect(isAdministrativeDivision(word), word).toBe(false);
  });
});

describe('dictionaryWords', () => {
  it('splits jieba’s guesses into dictionary words with their tags (打能 → 打/能)', () => {
    expect(dictionaryWords('打能').map(({ word }) => word)).toEqual(['打', '能']);
    expect(dictionaryWords('打能')[1]?.tag).toBe('v');
  });
});
