import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../core/text/index.ts';

const texts = (input: string) => splitSentences(input).map((sentence) => sentence.text);

describe('splitSentences', () => {
  it('keeps a bracketed 责任单位 note after the full stop with the task it belongs to', () => {
    const input = '大力提高城乡低保标准,2018年城乡低保标准不低于7440元/人/年和4200元/人/年;2018年特困供养人员救助标准不低于城乡低保标准的1.3倍,确保应救尽救、应养尽养。(责任单位:中捷产业园区、南大港产业园区管委会,新村乡政府)';
    expect(texts(input)).toEqual([
      '大力提高城乡低保标准,2018年城乡低保标准不低于7440元/人/年和4200元/人/年;',
      '2018年特困供养人员救助标准不低于城乡低保标准的1.3倍,确保应救尽救、应养尽养。(责任单位:中捷产业园区、南大港产业园区管委会,新村乡政府)',
    ]);
  });

  it('keeps an unbracketed owner note too, and the next task starts a new sentence', () => {
    const input = '年内拥有众创空间(孵化器)4家以上。责任单位:中捷产业园区、南大港产业园区、临港经济技术开发区管委会,渤海新区科技局)\n4.创业就业孵化基地培育。';
    expect(texts(input)).toEqual([
      '年内拥有众创空间(孵化器)4家以上。责任单位:中捷产业园区、南大港产业园区、临港经济技术开发区管委会,渤海新区科技局)',
      '4.创业就业孵化基地培育。',
    ]);
  });

  it('does not glue an ordinary bracket that opens the next sentence', () => {
    expect(texts('建成后及时组织竣工验收。(一)健全领导机构。')).toEqual(['建成后及时组织竣工验收。', '(一)健全领导机构。']);
  });

  it('offsets still point into the input', () => {
    const input = '确保质量安全。(责任单位:中捷产业园区管委会)\n下一项。';
    for (const span of splitSentences(input)) expect(input.slice(span.start, span.end)).toBe(span.text);
  });
});
