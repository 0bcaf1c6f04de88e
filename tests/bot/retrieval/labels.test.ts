// Class labels defined in one place and used in another (5 型保障对象：全日制本科学历毕业生 …
// 5 型保障对象 10 万元), and districts named in a question that a document is not about.
// Real documents: the dev half of tests/fixtures/dev-corpus/ (the 长乐区 人才购房补贴 PDF among them).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definesLabel, withGlosses, type Gloss } from '../../../bot/retrieval/index.ts';
import { buildQa, type OpenedQa } from '../../helpers/qa.ts';

let opened: OpenedQa & { cleanup(): void };
beforeAll(async () => {
  opened = await buildQa(path.join(import.meta.dirname, '../../fixtures/dev-corpus/dev'));
}, 60_000);
afterAll(() => opened?.cleanup());

describe('a figure given for a class label', () => {
  it('answers for whoever the label is defined as, quoting the amount and the definition', async () => {
    const { answer } = await opened.qa.ask('长乐人才买房补贴，全日制本科毕业的能拿多少？');
    expect(answer.refused).toBe(false);
    const quotes = answer.citations.map((citation) => citation.quote.replace(/\s+/g, ''));
    expect(quotes.some((quote) => quote.includes('5型保障对象10万元'))).toBe(true);
    expect(quotes).toContain('5型保障对象：全日制本科学历毕业生；');
    // 3 型 names 全日制 too, but not 本科: only the label that says most of the question is quoted.
    expect(quotes.some((quote) => quote.startsWith('3型保障对象'))).toBe(false);
  });

  it('finds the monthly amount of the rental subsidy the same way', async () => {
    const { answer } = await opened.qa.ask('在长乐租房的全日制硕士每月租房补贴多少？');
    expect(answer.refused).toBe(false);
    expect(answer.text.replace(/\s+/g, '')).toContain('4型保障对象1500元/月');
  });

  it('reads a label with its definition, except where it is defined', () => {
    const gloss: Gloss = { label: '5型保障对象', definition: '全日制本科学历毕业生', ordinal: 0 };
    expect(withGlosses('分别按 5 型保障对象 10 万元', [gloss])).toBe('分别按 5 型保障对象（全日制本科学历毕业生） 10 万元');
    expect(withGlosses('5 型保障对象：全日制本科学历毕业生；', [gloss])).toBe('5 型保障对象：全日制本科学历毕业生；');
    expect(definesLabel('5 型保障对象：全日制本科学历毕业生；', gloss)).toBe(true);
    expect(definesLabel('分别按 5 型保障对象 10 万元', gloss)).toBe(false);
  });
});

describe('a district the question names', () => {
  it('that the document never names is another part of the city: no answer from 长乐区 for 鼓楼区', async () => {
    const { answer } = await opened.qa.ask('福州鼓楼区全日制硕士买房补贴多少钱？');
    expect(answer.refused).toBe(true);
    const { answer: here } = await opened.qa.ask('福州长乐区全日制硕士买房补贴多少钱？');
    expect(here.refused).toBe(false);
  });
});
