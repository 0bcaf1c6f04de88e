/**
 * Answer quality as a regression guard: the evaluation that the README reports, run on the
 * bundled documents and on documents the system was not built around, with floors a little
 * below the measured figures (so a real regression fails CI, noise does not).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalLexicalEmbeddings } from '../../core/embeddings/index.ts';
import { ExtractiveAnswerer } from '../../bot/answer/index.ts';
import { evaluate, readQuestions } from '../../bot/eval/index.ts';
import { QaService } from '../../bot/qa/index.ts';
import { IndexHolder } from '../../bot/retrieval/index.ts';
import { ingestKnowledge } from '../../ingest/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const temporary: string[] = [];

async function qaOver(knowledgeDir: string): Promise<QaService> {
  const indexDir = mkdtempSync(path.join(os.tmpdir(), 'qa-quality-'));
  temporary.push(indexDir);
  const embedder = new LocalLexicalEmbeddings();
  await ingestKnowledge({ knowledgeDir, indexDir, embedder, maxFileBytes: 20 * 1024 * 1024 });
  return new QaService({ index: new IndexHolder(indexDir, embedder), embedder, answerer: new ExtractiveAnswerer() });
}

afterAll(() => temporary.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

describe('answer quality', () => {
  it('on the bundled documents (tests/eval/questions.jsonl)', async () => {
    const { metrics } = await evaluate(await qaOver(path.join(ROOT, 'knowledge')), readQuestions(path.join(ROOT, 'tests/eval/questions.jsonl')));
    expect(metrics['hit@5']).toBeGreaterThanOrEqual(0.95);
    expect(metrics['hit@1']).toBeGreaterThanOrEqual(0.8);
    expect(metrics.refusalAccuracy).toBeGreaterThanOrEqual(0.75);
    expect(metrics.falseRefusalRate).toBeLessThanOrEqual(0.05);
    expect(metrics.citedEvidenceRate).toBeGreaterThanOrEqual(0.85);
  });

  it('on unseen documents (tests/eval/unseen.jsonl over tests/fixtures/unseen)', async () => {
    const { metrics } = await evaluate(await qaOver(path.join(ROOT, 'tests/fixtures/unseen')), readQuestions(path.join(ROOT, 'tests/eval/unseen.jsonl')));
    expect(metrics['hit@5']).toBeGreaterThanOrEqual(0.9);
    expect(metrics['hit@1']).toBeGreaterThanOrEqual(0.65);
    expect(metrics.refusalAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(metrics.falseRefusalRate).toBeLessThanOrEqual(0.15);
  });
});
