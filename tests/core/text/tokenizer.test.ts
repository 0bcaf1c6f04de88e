import { describe, expect, it } from 'vitest';
import { charBigrams } from '../../../core/text/index.ts';

describe('charBigrams', () => {
  it('lets 几个村 meet 七个村 through the shared pair 个村', () => {
    expect(charBigrams('底下管着几个村？')).toContain('~个村');
    expect(charBigrams('开发区下辖七个村')).toContain('~个村');
  });

  it('never pairs across punctuation or Latin text', () => {
    expect(charBigrams('洗城，GDP目标')).toEqual(['~洗城', '~目标']);
  });
});
