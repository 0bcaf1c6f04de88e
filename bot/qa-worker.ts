/**
 * @module Worker-thread side of question answering. It owns the index, the answerer and the
 * follow-up resolver; the main thread (Lark SDK, acks, replies) only passes questions in and
 * answers out, so one chat's answer never blocks another chat's ack.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../core/config.ts';
import { describeError, isAppError } from '../core/errors.ts';
import { LocalChatQa } from './chat-qa.ts';
import { createFollowUpResolver } from './conversation.ts';
import { createLogger } from './logger.ts';
import { createRuntime } from './setup.ts';
import type { WorkerReply, WorkerRequest } from './qa-worker-protocol.ts';

const port = parentPort!;
const post = (message: WorkerReply) => port.postMessage(message);
const errorOf = (error: unknown) => ({ code: isAppError(error) ? error.code : 'unknown', message: describeError(error) });

try {
  const config = loadConfig(workerData.env as Record<string, string>);
  const logger = createLogger(config.LOG_LEVEL);
  const runtime = await createRuntime(config, { logger });
  const qa = new LocalChatQa(runtime.qa, await createFollowUpResolver(config, runtime.qa, logger));
  // An ingest run from the CLI moves the pointer without telling us.
  runtime.index.watch(
    2_000,
    (handle) => logger.info('index switched', { version: handle.manifest.version }),
    (error) => logger.error('index refresh failed', { error: describeError(error) }),
  );
  port.on('message', (request: WorkerRequest) => {
    const work =
      request.type === 'answer'
        ? qa.answer(request.input, request.stream ? { onPartial: (text) => post({ id: request.id, type: 'partial', text }) } : {})
        : qa.refresh().then(() => undefined);
    work.then(
      (value) => post({ id: request.id, type: 'result', value }),
      (error: unknown) => post({ id: request.id, type: 'error', error: errorOf(error) }),
    );
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', error: errorOf(error) });
}
