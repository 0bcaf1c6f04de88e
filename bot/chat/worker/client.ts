/**
 * @module Main-thread side of the question-answering worker: a `ChatQa` whose answers are computed
 * on another thread (and, on this 2-core class of machine, another core).
 */
import type { Worker } from 'node:worker_threads';
import { deserializeError, startModuleWorker, type Logger } from '../../../core/index.ts';
import type { ChatAnswer, ChatQa, ChatQuestion } from '../chat-qa.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

interface Pending {
  resolve: (value: ChatAnswer | undefined) => void;
  reject: (error: Error) => void;
  onPartial: ((text: string) => void) | undefined;
}

/** `Omit` that keeps a union a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The question worker's young generation. A question allocates a few megabytes that die at once
 * (candidate passages, sentences); V8's default lets that space grow to 48 MB and keeps it
 * resident while idle, which on a large index is the margin between fitting a budget or not.
 * Scavenges of a smaller space stay well under a millisecond.
 */
const YOUNG_GENERATION_MB = 8;

export class WorkerChatQa implements ChatQa {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #ready: Promise<void>;
  #nextId = 0;
  #stopped: Error | undefined;

  private constructor(worker: Worker, logger: Logger, onStop: (error: Error) => void) {
    this.#worker = worker;
    let started: { resolve: () => void; reject: (error: Error) => void } | undefined;
    this.#ready = new Promise((resolve, reject) => (started = { resolve, reject }));
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') return started?.resolve();
      if (reply.type === 'failed') return started?.reject(deserializeError(reply.error));
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      if (reply.type === 'partial') {
        pending.onPartial?.(reply.text);
        return;
      }
      this.#pending.delete(reply.id);
      if (reply.type === 'result') pending.resolve(reply.value);
      else pending.reject(deserializeError(reply.error));
    });
    worker.on('error', (error) => {
      logger.error('question worker crashed', { error: error.message });
      started?.reject(error);
    });
    worker.on('exit', (code) => {
      this.#stopped = new Error(`question worker exited with code ${code}`);
      started?.reject(this.#stopped);
      logger.error('question worker stopped', { code, pending: this.#pending.size });
      for (const pending of this.#pending.values()) pending.reject(this.#stopped);
      this.#pending.clear();
      onStop(this.#stopped);
    });
  }

  /** Starts the worker and waits until its index is open; start-up errors (e.g. index_incompatible) surface here. */
  static async start(options: { env: Record<string, string | undefined>; logger: Logger; onStop?: (error: Error) => void }): Promise<WorkerChatQa> {
    const worker = startModuleWorker(import.meta.url, 'thread', { env: options.env }, { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB });
    const client = new WorkerChatQa(worker, options.logger, options.onStop ?? (() => {}));
    await client.#ready;
    return client;
  }

  #request(request: WithoutId<WorkerRequest>, onPartial?: (text: string) => void): Promise<ChatAnswer | undefined> {
    // A dead worker answers nothing: fail at once instead of leaving the chat waiting.
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onPartial });
      this.#worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  /** Requests sent to the worker and not yet answered: its backlog, since answering is mostly CPU on one thread. */
  get queueDepth(): number {
    return this.#pending.size;
  }

  async answer(input: ChatQuestion, options: { onPartial?: (text: string) => void } = {}): Promise<ChatAnswer> {
    return (await this.#request({ type: 'answer', input, stream: Boolean(options.onPartial) }, options.onPartial))!;
  }

  async refresh(): Promise<void> {
    await this.#request({ type: 'refresh' });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
