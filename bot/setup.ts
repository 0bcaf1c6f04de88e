/**
 * @module Wiring shared by every entry point: config → embedder → index (built on first run) →
 * answerer → QA service.
 */
import type { Config } from '../core/config.ts';
import { createEmbedder, type IndexEmbedder } from '../core/embeddings/index.ts';
import { currentIndexDir } from '../core/index-format.ts';
import { createProgressReporter, formatIngestSummary, ingestKnowledge } from '../ingest/index.ts';
import { ExtractiveAnswerer } from './answer/extractive.ts';
import type { AnswerLogger } from './answer/generative.ts';
import type { Answerer } from './answer/types.ts';
import { QaService } from './qa.ts';
import { IndexHolder } from './retrieval/index-holder.ts';
import { createLogger } from './logger.ts';

export interface Runtime {
  config: Config;
  embedder: IndexEmbedder;
  index: IndexHolder;
  qa: QaService;
}

/** Builds the index from the knowledge folder when none exists yet, with progress on stderr. */
export async function ensureIndex(config: Config, embedder: IndexEmbedder, indexDir = config.INDEX_DIR, log = (line: string) => console.error(line)): Promise<void> {
  if (currentIndexDir(indexDir)) return;
  log(`尚无索引，正在从 ${config.KNOWLEDGE_DIR} 导入……`);
  const reporter = createProgressReporter();
  try {
    const summary = await ingestKnowledge({
      knowledgeDir: config.KNOWLEDGE_DIR,
      indexDir,
      embedder,
      maxFileBytes: config.MAX_FILE_MB * 1024 * 1024,
      onProgress: reporter.onProgress,
    });
    reporter.stop();
    log(formatIngestSummary(summary));
  } finally {
    reporter.stop();
  }
}

export async function createRuntime(config: Config, options: { indexDir?: string; answerer?: Answerer; logger?: AnswerLogger } = {}): Promise<Runtime> {
  const embedder = await createEmbedder(config);
  const indexDir = options.indexDir ?? config.INDEX_DIR;
  await ensureIndex(config, embedder, indexDir);
  const index = new IndexHolder(indexDir, embedder);
  // With LLM_BASE_URL + LLM_MODEL: generative answers, falling back to extractive ones.
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  // The model client is loaded only when configured: it costs ~20 MB of memory otherwise unused.
  const answerer =
    options.answerer ??
    (config.LLM_BASE_URL && config.LLM_MODEL
      ? (await import('./answer/generative.ts')).createConfiguredAnswerer(config, new ExtractiveAnswerer(), logger)
      : new ExtractiveAnswerer());
  const onVectorFailure = (error: unknown) => logger.warn('embedding the question failed; keyword search only', { error: error instanceof Error ? error.message : String(error) });
  return { config, embedder, index, qa: new QaService({ index, embedder, answerer, onVectorFailure }) };
}
