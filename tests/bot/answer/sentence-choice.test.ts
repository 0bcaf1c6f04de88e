// Which sentence of the right passage is quoted: the one defining the asked term, not a sibling
// definition that repeats the title's words; no sentence only for a word the title already names.
import { describe, expect, it } from 'vitest';
import { assessEvidence, ExtractiveAnswerer } from '../../../bot/answer/index.ts';
import { analyzeQuery, loadDefaultLexicon } from '../../../bot/retrieval/index.ts';
import { passagesOf, type Excerpt } from './fixtures.ts';

// From tests/fixtures/dev-corpus/dev/guoxinban-zhongduan-shebei-zhilian-weixing-fuwu-guanli-guiding-2025.md.
const DEFINITIONS: Excerpt = {
  docId: 'guoxinban-zhongduan-shebei-zhilian-weixing-fuwu-guanli-guiding-2025.md',
  title: '终端设备直连卫星服务管理规定',
  text: [
    '第三十九条 本规定下列用语的含义：',
    '（一）终端设备，是指能够接入卫星通信系统进行语音互通、文字收发或数据交换的民用手持终端、便携式终端、固定终端和航空器、船舶、车辆等载具上搭载的终端。',
    '（二）终端设备直连卫星服务，是指利用终端设备通过无线通信方式，不经过中转设备，直接连接通信卫星提供语音互通、文字收发或数据交换服务的活动。',
    '（四）地球站，是指设置在地球表面或者地球大气层主要部分以内，与卫星通信或者通过卫星与同样具有无线电收发功能的设施、设备通信的设施、设备。',
    '（五）配套通信平台，是指用于终端设备直连卫星服务，以实现卫星通信功能的综合性通信设施、软件系统和运营平台，包括关口站和地球站控制系统、信号处理系统、数据管理系统、通信协议管理系统、用户管理系统等。',
  ].join('\n\n'),
};

async function answerOf(question: string, excerpts: Excerpt[]) {
  const query = analyzeQuery(question, loadDefaultLexicon());
  const { retrieved, stats } = passagesOf(excerpts);
  const evidence = assessEvidence(query, retrieved, stats);
  return new ExtractiveAnswerer().answer({ query, retrieved, evidence });
}

describe('a definition question', () => {
  it('quotes the definition of the asked term, not a sibling one naming it among the title words', async () => {
    const answer = await answerOf('卫星直连规定里说的地球站指的是什么？', [DEFINITIONS]);
    expect(answer.refused).toBe(false);
    expect(answer.citations[0]?.quote).toMatch(/^（四）地球站，是指/);
  });

  it('quotes the term defined as the question words it, when the title names that term too', async () => {
    const answer = await answerOf('直连卫星服务规定里终端设备指的是什么？', [DEFINITIONS]);
    expect(answer.citations[0]?.quote).toMatch(/^（一）终端设备，是指/);
  });
});

describe('an answer', () => {
  it('adds no sentence whose only new word is one the source title names', async () => {
    const answer = await answerOf('卫星直连规定里说的地球站指的是什么？', [DEFINITIONS]);
    expect(answer.citations).toHaveLength(1);
  });
});
