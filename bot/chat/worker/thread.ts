/**
 * @module Worker-thread side of question answering. It owns the index, the answerer and the
 * follow-up resolver; the main thread (Lark SDK, acks, replies) only passes questions in and
 * answers out, so one chat's answer never blocks another chat's ack.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig, serializeError } from '../../../core/index.ts';
import { createRuntime } from '../../qa/index.ts';
import { LocalChatQa } from '../chat-qa.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

const port = parentPort!;
const post = (message: WorkerReply) => port.postMessage(message);

try {
  // An ingest run from the CLI moves the pointer without telling us: the runtime watches it.
  const runtime = await createRuntime(loadConfig(workerData.env as Record<string, string>), { watchIndexMs: 2_000 });
  const qa = new LocalChatQa(runtime);
  port.on('message', (request: WorkerRequest) => {
    const work =
      request.type === 'answer'
        ? qa.answer(request.input, request.stream ? { onPartial: (text) => post({ id: request.id, type: 'partial', text }) } : {})
        : qa.refresh().then(() => undefined);
    work.then(
      (value) => post({ id: request.id, type: 'result', value }),
      (error: unknown) => post({ id: request.id, type: 'error', error: serializeError(error) }),
    );
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', error: serializeError(error) });
}
