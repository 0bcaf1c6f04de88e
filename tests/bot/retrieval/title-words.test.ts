// Every passage of a document covers the words of its title, so those words cannot tell its
// passages apart: a passage that repeats them must not outrank the one holding what is asked,
// nor a definition of a longer term outrank the definition of the one asked.
// Real documents: the dev half of tests/fixtures/dev-corpus/ (the 卫星直连 rules among the others).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../../../bot/answer/index.ts';
import { QaService } from '../../../bot/qa/index.ts';
import { buildQa, type OpenedQa } from '../../helpers/qa.ts';

const QUESTION = '从国外带一部能直连卫星的手机回国，要怎么办手续？';
const EVIDENCE = '应当主动向海关申报并配合查验';

let opened: OpenedQa & { cleanup(): void };
beforeAll(async () => {
  opened = await buildQa(path.join(import.meta.dirname, '../../fixtures/dev-corpus/dev'));
}, 60_000);
afterAll(() => opened?.cleanup());

const rankOf = async (qa: QaService) =>
  (await qa.retrieve(QUESTION)).retrieved.findIndex((hit) => hit.chunk.text.replace(/\s/g, '').includes(EVIDENCE)) + 1;

describe('question words the document title names', () => {
  it('weigh less, so the article on bringing a device in ranks first, above ones repeating 终端设备直连卫星服务', async () => {
    const flat = new QaService({ index: opened.holder, embedder: opened.embedder, answerer: new ExtractiveAnswerer(), search: { titleWordShare: 1 } });
    expect(await rankOf(flat)).toBeGreaterThan(1);
    expect(await rankOf(opened.qa)).toBe(1);
  });
});

describe('a definition question', () => {
  it('ranks the item defining the asked term first, above the sibling definition that contains it (终端设备直连卫星服务，是指)', async () => {
    const { retrieved } = await opened.qa.retrieve('直连卫星服务规定里终端设备指的是什么？');
    expect(retrieved[0]?.chunk.text).toMatch(/^（一）终端设备，是指/);
  });
});
