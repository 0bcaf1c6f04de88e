/**
 * @module Worker-thread side of `ingestInWorker`: one ingest run, then the thread ends. The embedder
 * is created here from the configuration, since functions cannot cross threads; for the same
 * reason each progress event is posted to the caller rather than handed to a callback.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEmbedder } from '../../core/embeddings/index.ts';
import { loadConfig, serializeError } from '../../core/index.ts';
import { ingestKnowledge } from '../run/index.ts';
import type { IngestWorkerInput, IngestWorkerMessage } from './client.ts';

const { env, knowledgeDir, indexDir, maxFileBytes } = workerData as IngestWorkerInput;
const post = (message: IngestWorkerMessage) => parentPort!.postMessage(message);
try {
  const embedder = await createEmbedder(loadConfig(env));
  const summary = await ingestKnowledge({ knowledgeDir, indexDir, embedder, maxFileBytes, onProgress: (progress) => post({ progress }) });
  post({ ok: true, summary });
} catch (error) {
  post({ ok: false, error: serializeError(error) });
}
