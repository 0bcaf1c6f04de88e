// A cover letter (现将…印发给你们) and a list of attachments repeat the document's title, so they
// share every topic word of a question about it: they must not rank above the article that
// answers. Real document: tests/fixtures/dev-corpus/dev/cixi-baozhangxing-zulin-zhufang-yunying-jiangbu-2023.html.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../../../bot/answer/index.ts';
import { QaService } from '../../../bot/qa/index.ts';
import { buildQa, type OpenedQa } from '../../helpers/qa.ts';

const FILE = 'cixi-baozhangxing-zulin-zhufang-yunying-jiangbu-2023.html';
const QUESTION = '慈溪保租房运营奖补每套一年最多给多少？';
const EVIDENCE = '不高于1200元/套（间）·年';

let knowledge: string;
let opened: OpenedQa & { cleanup(): void };
beforeAll(async () => {
  knowledge = mkdtempSync(path.join(os.tmpdir(), 'cover-letter-'));
  copyFileSync(path.join(import.meta.dirname, '../../fixtures/dev-corpus/dev', FILE), path.join(knowledge, FILE));
  opened = await buildQa(knowledge);
});
afterAll(() => {
  opened?.cleanup();
  rmSync(knowledge, { recursive: true, force: true });
});

const rankOf = async (qa: QaService, evidence: string) =>
  (await qa.retrieve(QUESTION)).retrieved.findIndex((hit) => hit.chunk.text.replace(/\s/g, '').includes(evidence)) + 1;

describe('cover letters, attachment lists and the document card', () => {
  it('rank below the article that states the figure, which they would push out of the top 3', async () => {
    const flat = new QaService({ index: opened.holder, embedder: opened.embedder, answerer: new ExtractiveAnswerer(), search: { coverLetterFactor: 1 } });
    const before = await rankOf(flat, EVIDENCE);
    const after = await rankOf(opened.qa, EVIDENCE);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThanOrEqual(3);
    expect(before === 0 || before > after).toBe(true);
  });
});
