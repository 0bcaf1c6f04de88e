// 答案含要点: the answer text itself must state the key fact, not only cite a passage holding it.
import { describe, expect, it } from 'vitest';
import { keyFactStated } from '../../../bot/eval/index.ts';

describe('key fact in the answer', () => {
  it('counts an answer that quotes the evidence, markers and spacing aside', () => {
    expect(keyFactStated('根据《细则》：\n人才租赁补贴发放期限最长不超过 3 年。[2]', ['人才租赁补贴发放期限最长不超过3年'])).toBe(true);
  });

  it('counts an excerpt that keeps every figure of the evidence', () => {
    expect(keyFactStated('……住房公积金最高贷款额度由35万元调整为45万元……[1]', ['二、加大住房公积金使用支持力度。住房公积金最高贷款额度由35万元调整为45万元'])).toBe(true);
  });

  it('does not count a topical answer without the fact, nor a figure inside another number', () => {
    expect(keyFactStated('公示期为5个工作日。[1]', ['期限一般不少于三十日'])).toBe(false);
    expect(keyFactStated('补贴150万元。[1]', ['5型保障对象10万元'])).toBe(false);
    expect(keyFactStated('补贴15万元。[1]', ['补贴5万元'])).toBe(false);
  });
});
