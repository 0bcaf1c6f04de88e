// The synonym lexicon (bot/retrieval/lexicon.json) is data: it must parse, and its general 政务
// vocabulary (people, businesses, housing, money, time, approval, listing tiers, eligibility) must
// carry the everyday word to the documents' formal terms, in the direction the file says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeQuery, loadDefaultLexicon } from '../../../bot/retrieval/index.ts';

const raw = JSON.parse(readFileSync(new URL('../../../bot/retrieval/lexicon.json', import.meta.url), 'utf8')) as {
  groups: string[][];
  expand: Record<string, string[]>;
};
const lexicon = loadDefaultLexicon();
const formsOf = (word: string) => lexicon.get(word) ?? [];

describe('lexicon data', () => {
  it('parses: groups of at least two non-empty terms, expansions to non-empty terms', () => {
    expect(raw.groups.length).toBeGreaterThan(0);
    for (const group of raw.groups) {
      expect(group.length, group.join('/')).toBeGreaterThanOrEqual(2);
      for (const term of group) expect(term.trim().length, group.join('/')).toBeGreaterThan(0);
    }
    for (const [key, values] of Object.entries(raw.expand)) {
      expect(values.length, key).toBeGreaterThan(0);
      for (const value of values) expect(value.trim().length, key).toBeGreaterThan(0);
    }
    expect(lexicon.size).toBeGreaterThan(raw.groups.length);
  });

  it('never lists a term as its own expansion', () => {
    for (const [key, values] of lexicon) expect(values, key).not.toContain(key);
  });
});

describe('general 政务 vocabulary', () => {
  it.each([
    ['老百姓', ['群众', '居民']],
    ['员工', ['职工', '劳动者']],
    ['外地人', ['非本地户籍']],
    ['老板', ['法定代表人']],
    ['买房', ['购房', '购买住房']],
    ['二手房', ['存量房']],
    ['租房', ['租赁住房']],
    ['经费', ['资金']],
    ['减税', ['税收优惠']],
    ['到什么时候', ['有效期至']],
    ['办证', ['许可证']],
    ['北交所', ['北京证券交易所']],
    ['新三板', ['全国中小企业股份转让系统']],
    ['门槛', ['申请条件', '资格']],
  ])('%s → %j', (word, formal) => {
    expect(formsOf(word)).toEqual(expect.arrayContaining(formal));
  });

  it('keeps formal equivalents symmetric (groups) and colloquial words one-way (expand)', () => {
    expect(formsOf('存量房')).toContain('二手房');
    expect(formsOf('购房')).not.toContain('买房');
  });

  it('does not collapse listing tiers into a generic 上市: the tier decides the answer', () => {
    for (const tier of ['主板', '科创板', '创业板', '北交所']) expect(formsOf(tier), tier).not.toContain('上市');
  });

  it('reads a colloquial question through the vocabulary', () => {
    const { concepts, expansions } = analyzeQuery('农民工在县城买房有补贴吗？', lexicon);
    expect(concepts.some((concept) => concept.forms.includes('购买住房'))).toBe(true);
    expect(expansions).toEqual(expect.arrayContaining(['进城务工人员', '购房']));
  });
});
