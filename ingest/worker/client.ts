/**
 * @module Runs an ingest on another thread. Ingesting is seconds to minutes of CPU; the chat bot
 * must keep acking events and answering meanwhile, so it never ingests on its own event loop.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { deserializeError, startModuleWorker, type SerializedError } from '../../core/index.ts';
import type { IngestSummary } from '../run/index.ts';

export type IngestWorkerReply = { ok: true; summary: IngestSummary } | { ok: false; error: SerializedError };

export interface IngestWorkerInput {
  env: Record<string, string | undefined>;
  knowledgeDir: string;
  indexDir: string;
  maxFileBytes: number;
}

export function ingestInWorker(options: IngestWorkerInput): Promise<IngestSummary> {
  const worker = startModuleWorker(import.meta.url, 'thread', options);
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: IngestWorkerReply) => {
      if (reply.ok) resolve(reply.summary);
      else reject(deserializeError(reply.error));
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
