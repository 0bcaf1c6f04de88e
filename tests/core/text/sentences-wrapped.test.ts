// A PDF's lines are the page's: a sentence wrapped at the page edge is read whole, while lines
// that start an item of their own (a heading, a numbered item, a table row) stay lines. Text as
// ingest reads tests/fixtures/dev-corpus/dev/fuzhou-changle-rencai-goufang-butie-xize-2024.pdf.
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../core/text/index.ts';

const PAGE = [
  '4.公示。区人社部门对符合人员名单在政府门户网站进行 5',
  '个工作日的公示，公示无异议后，向符合条件人员发放资格证。',
  '附表 3',
  '（6）“好年华 聚福州”长乐区人才购房补贴资格承诺和授',
  '权书原件 1 份（附表 2）；',
  '（7）单位营业执照复印件 1 份（附表 3）',
  '第十条 本细则自印发之日起施行。',
].join('\n');

describe('sentences across wrapped lines', () => {
  it('keeps lines as they are unless asked', () => {
    expect(splitSentences(PAGE).map((sentence) => sentence.text)).toContain('个工作日的公示，公示无异议后，向符合条件人员发放资格证。');
  });

  it('joins a wrapped sentence, a space between a figure and its unit, nothing between two characters', () => {
    const texts = splitSentences(PAGE, { joinWrapped: true }).map((sentence) => sentence.text);
    expect(texts).toContain('区人社部门对符合人员名单在政府门户网站进行 5 个工作日的公示，公示无异议后，向符合条件人员发放资格证。');
    expect(texts).toContain('（6）“好年华 聚福州”长乐区人才购房补贴资格承诺和授权书原件 1 份（附表 2）；');
    expect(texts).toContain('附表 3');
    expect(texts).toContain('第十条 本细则自印发之日起施行。');
  });

  it('keeps offsets into the input', () => {
    const joined = splitSentences(PAGE, { joinWrapped: true }).find((sentence) => sentence.text.startsWith('区人社部门'));
    expect(PAGE.slice(joined?.start, joined?.end)).toBe('区人社部门对符合人员名单在政府门户网站进行 5\n个工作日的公示，公示无异议后，向符合条件人员发放资格证。');
  });
});
