// The composition root picks the answerer from the configuration: the real index of knowledge/,
// and the fake OpenAI-compatible server on 127.0.0.1 as the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/index.ts';
import { createRuntime } from '../../../bot/qa/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/index.ts';
import { chatRequests, recordingLogger, wellBehaved } from '../../helpers/fake-model.ts';
import { bundledIndexDir } from '../../helpers/qa.ts';

const Q_SPEED = '渤海新区的项目审批现在平均多久能办完？';

let indexDir: string;
let fake: FakeOpenAI;

beforeAll(async () => {
  indexDir = bundledIndexDir();
  fake = await startFakeOpenAI({ chat: wellBehaved });
});

afterAll(async () => {
  await fake?.close();
});

describe('createRuntime wiring', () => {
  it('uses the model when LLM_BASE_URL and LLM_MODEL are set, the extractive answerer otherwise', async () => {
    const logger = recordingLogger();
    const withModel = await createRuntime(loadConfig({ LLM_BASE_URL: fake.baseUrl, LLM_MODEL: 'fake-model', LLM_API_KEY: 'test-key' }), { indexDir, logger });
    const generated = await withModel.qa.ask(Q_SPEED);
    withModel.index.close();
    expect(generated.answer.mode).toBe('generative');
    expect(chatRequests(fake)).toHaveLength(1);

    fake.requests.length = 0;
    const withoutModel = await createRuntime(loadConfig({}), { indexDir, logger });
    const extracted = await withoutModel.qa.ask(Q_SPEED);
    withoutModel.index.close();
    expect(extracted.answer.mode).toBe('extractive');
    expect(extracted.answer.note).toBeUndefined();
    expect(fake.requests).toEqual([]);
  });
});
