// Administrative levels are a closed class: a passage stating figures for 国家级 and 省级 does not
// answer a question about 市级, on the real text of the 恩阳 dev document.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assessEvidence } from '../../../bot/answer/index.ts';
import { analyzeQuery, loadDefaultLexicon } from '../../../bot/retrieval/index.ts';
import { cleanText, extractText } from '../../../ingest/index.ts';
import { passagesOf } from './fixtures.ts';

const FILE = path.resolve(import.meta.dirname, '../../fixtures/dev-corpus/dev/bazhong-enyang-qu-wenzhu-jingji-zengzhang-zhengce-cuoshi-2022.html');
const TITLE = '巴中市恩阳区进一步扎实稳住经济增长若干政策措施';

let award = '';
let startups = '';

beforeAll(async () => {
  const lines = cleanText((await extractText(readFileSync(FILE), FILE)).text).split('\n');
  award = lines.find((line) => line.includes('首次评为国家级、省级')) ?? '';
  startups = lines.find((line) => line.startsWith('17.')) ?? '';
  expect(award).toContain('10万元、5万元');
});

const answerable = (question: string, text: string) => {
  const { retrieved, stats } = passagesOf([{ docId: 'bazhong-enyang', title: TITLE, text }]);
  return assessEvidence(analyzeQuery(question, loadDefaultLexicon()), retrieved, stats).answerable;
};

describe('administrative levels', () => {
  it('refuses a level the passage does not state when it states others', () => {
    expect(answerable('恩阳对首次评为市级专精特新的企业奖励多少钱？', award)).toBe(false);
    expect(answerable('恩阳对首次评为县级专精特新的企业奖励多少钱？', award)).toBe(false);
  });

  it('answers a level the passage states', () => {
    expect(answerable('恩阳对首次评为国家级专精特新的企业奖励多少钱？', award)).toBe(true);
    expect(answerable('恩阳对首次评为省级专精特新的企业奖励多少钱？', award)).toBe(true);
    // 省级以上 reaches 国家级.
    expect(answerable('恩阳对首次评为省级以上专精特新的企业奖励多少钱？', award)).toBe(true);
  });

  it('judges a question naming no level as before', () => {
    expect(answerable('恩阳对首次评为专精特新的企业奖励多少钱？', award)).toBe(true);
  });

  it('does not take 省、市 without 级 for a level', () => {
    // Passage 17 names 省级 (培育1家省级“专精特新”企业) and 省、市 (推介项目清单, no level).
    expect(answerable('恩阳力争培育几家省级专精特新企业？', startups)).toBe(true);
    expect(answerable('恩阳力争培育几家市级专精特新企业？', startups)).toBe(false);
  });
});
