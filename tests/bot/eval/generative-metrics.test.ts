// `npm run eval -- --llm`: the generative measures on the eval set, scored against the fake
// OpenAI-compatible server on 127.0.0.1 answering as a well-behaved model would.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, isAppError } from '../../../core/index.ts';
import { evaluate, readQuestions, citationsResolve, generativeMetrics, requireLlmConfig } from '../../../bot/eval/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/index.ts';
import { generativeQa, llmOptions, wellBehaved } from '../../helpers/fake-model.ts';
import { EVAL_DIR } from '../../helpers/paths.ts';
import { openBundledQa, type OpenedQa } from '../../helpers/qa.ts';

let index: OpenedQa;
let fake: FakeOpenAI;

beforeAll(async () => {
  index = openBundledQa();
  fake = await startFakeOpenAI({ chat: wellBehaved });
});

afterAll(async () => {
  await fake?.close();
  index?.close();
});

describe('eval --llm measures', () => {
  it('scores the well-behaved fake model on the eval set: every citation resolves', async () => {
    const questions = readQuestions(path.join(EVAL_DIR, 'questions.jsonl')).filter((question) => !question.history);
    const sample = [...questions.filter((question) => question.answerable !== false).slice(0, 20), ...questions.filter((question) => question.answerable === false).slice(0, 5)];
    const report = await evaluate(generativeQa(index, llmOptions(fake)), sample);
    const metrics = generativeMetrics(sample, report.results);
    expect(metrics.answered).toBeGreaterThan(15);
    expect(metrics.generative).toBe(metrics.answered);
    expect(metrics.citationsValid).toBe(1);
    expect(metrics.answerFactsPresent).toBeGreaterThan(0.6);
    expect(report.results.filter((entry) => !entry.result.answer.refused).every((entry) => citationsResolve(entry.result.answer))).toBe(true);
  });

  it('requires LLM settings for --llm', () => {
    expect(() => requireLlmConfig(loadConfig({}))).toThrow(/LLM_BASE_URL/);
    try {
      requireLlmConfig(loadConfig({}));
    } catch (error) {
      expect(isAppError(error, 'config_invalid')).toBe(true);
    }
    expect(() => requireLlmConfig(loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:1/v1', LLM_MODEL: 'm' }))).not.toThrow();
  });
});
