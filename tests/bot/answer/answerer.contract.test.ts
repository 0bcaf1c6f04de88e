/**
 * Both answerers against one contract (tests/helpers/contracts/answerer.ts), on the same
 * retrievals of the bundled index: the extractive one, and the generative one made by
 * `createGenerativeAnswerer` with a well-behaved fake model (and the extractive one to fall back to).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { createGenerativeAnswerer, ExtractiveAnswerer } from '../../../bot/answer/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/index.ts';
import { runAnswererContract } from '../../helpers/contracts/answerer.ts';
import { chatRequests, llmOptions, wellBehaved } from '../../helpers/fake-model.ts';

/** Requests for this model get a 503. */
const FAILING_MODEL = 'failing-model';

describe('ExtractiveAnswerer', () => {
  runAnswererContract({
    make: async () => new ExtractiveAnswerer(),
    skip: [
      {
        reason: 'it has no model to fail and nothing to fall back to: it is what the generative answerer falls back to',
        cases: ['answers in its fallback’s mode, with a note, when its model fails'],
      },
    ],
  });
});

describe('GenerativeAnswerer', () => {
  let fake: FakeOpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAI({ chat: (request) => (request.model === FAILING_MODEL ? { status: 503 } : wellBehaved(request)) });
  });

  afterAll(async () => {
    await fake?.close();
  });

  runAnswererContract({
    make: () => createGenerativeAnswerer(llmOptions(fake), new ExtractiveAnswerer()),
    makeFailing: () => createGenerativeAnswerer(llmOptions(fake, { model: FAILING_MODEL, maxRetries: 0 }), new ExtractiveAnswerer()),
    // Refusals and fall-backs are the extractive answerer's.
    fallbackKind: 'extractive',
    modelRequests: () => chatRequests(fake).length,
  });
});
