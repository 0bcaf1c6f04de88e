/**
 * Answer quality as a regression guard: the evaluation that the README reports, run on the
 * bundled documents and on documents the system was not built around, with floors a little
 * below the measured figures (so a real regression fails CI, noise does not).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, readQuestions } from '../../bot/eval/index.ts';
import { EVAL_DIR, UNSEEN_DIR } from '../helpers/paths.ts';
import { buildQa, openBundledQa } from '../helpers/qa.ts';

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

describe('answer quality', () => {
  it('on the bundled documents (tests/eval/questions.jsonl)', async () => {
    const bundled = openBundledQa();
    cleanups.push(bundled.close);
    const { metrics } = await evaluate(bundled.qa, readQuestions(path.join(EVAL_DIR, 'questions.jsonl')));
    expect(metrics['hit@5']).toBeGreaterThanOrEqual(0.95);
    expect(metrics['hit@1']).toBeGreaterThanOrEqual(0.8);
    expect(metrics.refusalAccuracy).toBeGreaterThanOrEqual(0.75);
    expect(metrics.falseRefusalRate).toBeLessThanOrEqual(0.05);
    expect(metrics.citedEvidenceRate).toBeGreaterThanOrEqual(0.85);
  });

  it('on unseen documents (tests/eval/unseen.jsonl over tests/fixtures/unseen)', async () => {
    const unseen = await buildQa(UNSEEN_DIR);
    cleanups.push(unseen.cleanup);
    const { metrics } = await evaluate(unseen.qa, readQuestions(path.join(EVAL_DIR, 'unseen.jsonl')));
    expect(metrics['hit@5']).toBeGreaterThanOrEqual(0.9);
    expect(metrics['hit@1']).toBeGreaterThanOrEqual(0.65);
    expect(metrics.refusalAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(metrics.falseRefusalRate).toBeLessThanOrEqual(0.15);
  });
});
