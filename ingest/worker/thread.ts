/**
 * @module Worker-thread side of `ingestInWorker`: one ingest run, then the thread ends. The embedder
 * is created here from the configuration, since functions cannot cross threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEmbedder } from '../../core/embeddings/index.ts';
import { loadConfig, serializeError } from '../../core/index.ts';
import { ingestKnowledge } from '../run/index.ts';
import type { IngestWorkerInput, IngestWorkerReply } from './client.ts';

const { env, knowledgeDir, indexDir, maxFileBytes } = workerData as IngestWorkerInput;
const post = (reply: IngestWorkerReply) => parentPort!.postMessage(reply);
try {
  const embedder = await createEmbedder(loadConfig(env));
  post({ ok: true, summary: await ingestKnowledge({ knowledgeDir, indexDir, embedder, maxFileBytes }) });
} catch (error) {
  post({ ok: false, error: serializeError(error) });
}
