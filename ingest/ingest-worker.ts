/**
 * @module Worker-thread side of `ingestInWorker`: one ingest run, then the thread ends. The embedder
 * is created here from the configuration, since functions cannot cross threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../core/config.ts';
import { createEmbedder } from '../core/embeddings/index.ts';
import { describeError, isAppError } from '../core/errors.ts';
import { ingestKnowledge } from './build.ts';

const { env, knowledgeDir, indexDir, maxFileBytes } = workerData as { env: Record<string, string>; knowledgeDir: string; indexDir: string; maxFileBytes: number };
try {
  const embedder = await createEmbedder(loadConfig(env));
  parentPort!.postMessage({ ok: true, summary: await ingestKnowledge({ knowledgeDir, indexDir, embedder, maxFileBytes }) });
} catch (error) {
  parentPort!.postMessage({
    ok: false,
    error: { code: isAppError(error) ? error.code : 'unknown', message: describeError(error), context: isAppError(error) ? error.context : undefined },
  });
}
