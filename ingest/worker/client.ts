/**
 * @module Runs an ingest on another thread. Ingesting is seconds to minutes of CPU; the chat bot
 * must keep acking events and answering meanwhile, so it never ingests on its own event loop.
 * The thread runs under a heap limit and a deadline: a document that would take gigabytes or
 * hours (a decompression bomb the loaders missed, a pathological PDF) ends that run with a
 * Chinese reason, instead of taking the bot's memory or holding every later admin command.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { AppError, deserializeError, startModuleWorker, type SerializedError } from '../../core/index.ts';
import type { IngestProgress, IngestSummary } from '../run/index.ts';

type IngestWorkerReply = { ok: true; summary: IngestSummary } | { ok: false; error: SerializedError };

/** What the thread posts: any number of progress events, then one reply. */
export type IngestWorkerMessage = { progress: IngestProgress } | IngestWorkerReply;

export interface IngestWorkerInput {
  env: Record<string, string | undefined>;
  knowledgeDir: string;
  indexDir: string;
  maxFileBytes: number;
}

interface IngestWorkerOptions extends IngestWorkerInput {
  /** Called on this thread with each of the run's progress events, as an in-process run would. */
  onProgress?: (event: IngestProgress) => void;
}

export interface IngestLimits {
  /** The thread's V8 heap (old generation) in MB; buffers outside the heap are bounded by the loaders. */
  maxOldGenerationMb: number;
  /** A run still going after this long is stopped. */
  timeoutMs: number;
}

/** Far above what the bundled knowledge needs (under 200 MB, seconds), far below a bomb's appetite. */
const DEFAULT_LIMITS: IngestLimits = { maxOldGenerationMb: 1024, timeoutMs: 10 * 60 * 1000 };

type Outcome = { ok: true; summary: IngestSummary } | { ok: false; error: Error };

export function ingestInWorker(options: IngestWorkerOptions, limits: Partial<IngestLimits> = {}): Promise<IngestSummary> {
  const { maxOldGenerationMb, timeoutMs } = { ...DEFAULT_LIMITS, ...limits };
  const { onProgress, ...input } = options;
  const worker = startModuleWorker(import.meta.url, 'thread', input, { maxOldGenerationSizeMb: maxOldGenerationMb });
  // The first word on how the run went wins; the promise settles only once the thread has exited,
  // so the next run never finds this one's lock still held.
  let outcome: Outcome | undefined;
  const settle = (next: Outcome) => {
    outcome ??= next;
  };
  const timer = setTimeout(() => {
    settle({ ok: false, error: new AppError('ingest_limit', `导入用时超过上限（${formatDuration(timeoutMs)}），已中止；文档可能过大或异常`) });
    void worker.terminate();
  }, timeoutMs);
  worker.on('message', (message: IngestWorkerMessage) => {
    if ('progress' in message) {
      // A run already stopped (past its deadline) reports nothing more.
      if (!outcome) onProgress?.(message.progress);
      return;
    }
    settle(message.ok ? message : { ok: false, error: deserializeError(message.error) });
    // Its work is done; an HTTP keep-alive socket of the embedder must not keep the thread alive.
    void worker.terminate();
  });
  worker.once('error', (error: Error & { code?: string }) => {
    const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
    settle({ ok: false, error: outOfMemory ? new AppError('ingest_limit', `导入所需内存超过上限（${maxOldGenerationMb} MB），已中止；文档可能过大或异常`, { cause: error }) : error });
  });
  return exited(worker).then(async (code) => {
    clearTimeout(timer);
    // A thread that was stopped or died mid-run never released the lock it took under our pid.
    await releaseStaleLock(options.indexDir);
    const result = outcome ?? { ok: false, error: new Error(`ingest worker exited with code ${code}`) };
    if (!result.ok) throw result.error;
    return result.summary;
  });
}

function exited(worker: Worker): Promise<number> {
  return new Promise((resolve) => worker.once('exit', resolve));
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} 分钟` : `${Math.max(1, Math.round(ms / 1000))} 秒`;
}

async function releaseStaleLock(indexDir: string): Promise<void> {
  const file = path.join(indexDir, 'ingest.lock');
  const owner = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (owner.split('\n')[0] === String(process.pid)) await rm(file, { force: true });
}
