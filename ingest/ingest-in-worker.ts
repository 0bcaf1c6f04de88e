/**
 * @module Runs an ingest on another thread. Ingesting is seconds to minutes of CPU; the chat bot
 * must keep acking events and answering meanwhile, so it never ingests on its own event loop.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError, type AppErrorCode } from '../core/errors.ts';
import { startModuleWorker } from '../core/worker-thread.ts';
import type { IngestSummary } from './build.ts';

type Reply =
  | { ok: true; summary: IngestSummary }
  | { ok: false; error: { code: AppErrorCode | 'unknown'; message: string; context?: Record<string, unknown> } };

export function ingestInWorker(options: { env: Record<string, string | undefined>; knowledgeDir: string; indexDir: string; maxFileBytes: number }): Promise<IngestSummary> {
  const worker = startModuleWorker(import.meta.url, 'ingest-worker', options);
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: Reply) => {
      if (reply.ok) resolve(reply.summary);
      else if (reply.error.code === 'unknown') reject(new Error(reply.error.message));
      else reject(new AppError(reply.error.code, reply.error.message, reply.error.context ? { context: reply.error.context } : {}));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      // A thread that died mid-run (out of memory) never released the lock it took under our pid.
      void releaseStaleLock(options.indexDir);
      reject(new Error(`ingest worker exited with code ${code}`));
    });
  });
}

async function releaseStaleLock(indexDir: string): Promise<void> {
  const file = path.join(indexDir, 'ingest.lock');
  const owner = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (owner.split('\n')[0] === String(process.pid)) await rm(file, { force: true });
}
