// The outcome counts of `npm run eval`: every question counted once, and the refusal measures are
// the related and none counts, so presenting a refusal differently changes none of them.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, readQuestions } from '../../../bot/eval/index.ts';
import { EVAL_DIR } from '../../helpers/paths.ts';
import { openBundledQa, type OpenedQa } from '../../helpers/qa.ts';

let index: OpenedQa;
beforeAll(() => {
  index = openBundledQa();
});
afterAll(() => index?.close());

describe('eval outcome counts', () => {
  it('count each question once, and agree with the refusal measures', async () => {
    const { metrics } = await evaluate(index.qa, readQuestions(path.join(EVAL_DIR, 'questions.jsonl')));
    const { answerable, unanswerable } = metrics.outcomes;
    expect(answerable.answer + answerable.related + answerable.none).toBe(metrics.answerable);
    expect(unanswerable.answer + unanswerable.related + unanswerable.none).toBe(metrics.unanswerable);
    expect(Number(((unanswerable.related + unanswerable.none) / metrics.unanswerable).toFixed(4))).toBe(metrics.refusalAccuracy);
    expect(Number(((answerable.related + answerable.none) / metrics.answerable).toFixed(4))).toBe(metrics.falseRefusalRate);
    // The bundled set's near-misses (a year, a rate the documents do not give) and absent topics
    // (公积金, 社保) are both among its unanswerable questions.
    expect(unanswerable.related).toBeGreaterThan(0);
    expect(unanswerable.none).toBeGreaterThan(0);
  });
});
