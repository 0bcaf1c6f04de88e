/**
 * Both `ChatQa` implementations against one contract (tests/helpers/contracts/chat-qa.ts): in
 * process, composed by `createRuntime` as the terminal chat does, and on a worker thread, as the
 * Lark bot runs it. Neither skips a case.
 */
import { describe } from 'vitest';
import { LocalChatQa, WorkerChatQa } from '../../../bot/chat/index.ts';
import { createRuntime } from '../../../bot/qa/index.ts';
import { loadConfig } from '../../../core/index.ts';
import { runChatQaContract } from '../../helpers/contracts/chat-qa.ts';

const logger = { info() {}, warn() {}, error() {} };

describe('LocalChatQa', () => {
  runChatQaContract({
    // Without the 2 s index watch the terminal adds, so that only refresh() can switch versions.
    start: async (env) => new LocalChatQa(await createRuntime(loadConfig(env), { logger })),
  });
});

describe('WorkerChatQa', () => {
  runChatQaContract({
    start: (env) => WorkerChatQa.start({ env, logger }),
  });
});
