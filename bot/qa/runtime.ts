/**
 * @module The composition root of question answering, shared by every entry point (terminal chat,
 * question worker, CLIs): config → embedder → index (built on first run) → answerer → QA service
 * and follow-up resolver.
 */
import { createEmbedder, LocalLexicalEmbeddings, type IndexEmbedder } from '../../core/embeddings/index.ts';
import {
  checkIndexFileSizes,
  createLogger,
  currentIndexDir,
  describeError,
  isAppError,
  readManifest,
  type Config,
  type Logger,
} from '../../core/index.ts';
import { createProgressReporter, formatIngestSummary, ingestKnowledge, ingestProblemLines, type IngestSummary } from '../../ingest/index.ts';
import { createGenerativeAnswerer, ExtractiveAnswerer, type Answerer } from '../answer/index.ts';
import { IndexHolder } from '../retrieval/index.ts';
import { CuratedQaService, CurationStore, curationDir } from './curation/index.ts';
import { createFollowUpResolver, type FollowUpResolver } from './follow-ups.ts';
import type { QaService } from './service.ts';

export interface Runtime {
  config: Config;
  logger: Logger;
  embedder: IndexEmbedder;
  index: IndexHolder;
  qa: QaService;
  followUps: FollowUpResolver;
  /** The admins' decisions the answers follow, shared through the knowledge folder. */
  curation: CurationStore;
}

export interface RuntimeOptions {
  /** Another index folder than `INDEX_DIR` (CLIs' `--index`). */
  indexDir?: string;
  /** Another answerer than the configuration's (the eval CLI measures the extractive one). */
  answerer?: Answerer;
  logger?: Logger;
  /** Polls the index pointer this often, so an ingest run from the CLI is picked up without a restart. */
  watchIndexMs?: number;
}

/** Builds the index from the knowledge folder when none exists yet, with progress on stderr. */
export async function ensureIndex(config: Config, embedder: IndexEmbedder, indexDir = config.INDEX_DIR, log = (line: string) => console.error(line)): Promise<void> {
  const live = currentIndexDir(indexDir);
  const unusable = live ? unusableReason(live, embedder) : undefined;
  if (live && !unusable) return;
  log(unusable ? `现有索引无法使用（${unusable}），正在从 ${config.KNOWLEDGE_DIR} 重新导入……` : `尚无索引，正在从 ${config.KNOWLEDGE_DIR} 导入……`);
  const reporter = createProgressReporter();
  let summary: IngestSummary;
  try {
    summary = await ingestKnowledge({
      knowledgeDir: config.KNOWLEDGE_DIR,
      indexDir,
      embedder,
      maxFileBytes: config.maxFileBytes,
      onProgress: reporter.onProgress,
    });
  } catch (error) {
    // The start-up error says what is wrong with the folder; which file failed and why is only here.
    reporter.stop();
    for (const line of ingestProblemLines(error)) log(line);
    throw error;
  }
  reporter.stop();
  log(formatIngestSummary(summary));
}

/**
 * Why the live version cannot serve — missing or cut files, a format this program no longer
 * reads (after an upgrade), or vectors of another size than the local embedder configured makes
 * (a changed LOCAL_EMBEDDINGS_DIMENSIONS, or its default after an upgrade); ingest then rebuilds
 * it instead of the bot refusing to start until someone runs ingest by hand. A remote embedder
 * is not run over the whole corpus unasked: that mismatch stops start-up (index_incompatible). Only the manifest and file sizes: opening the version right after
 * hashes the vector graph anyway, and hashing it here too would read it twice at every start.
 */
function unusableReason(directory: string, embedder: IndexEmbedder): string | undefined {
  try {
    const manifest = readManifest(directory);
    checkIndexFileSizes(directory, manifest);
    const rebuildable = embedder instanceof LocalLexicalEmbeddings && manifest.embedder.id !== embedder.id;
    return rebuildable ? `它的向量由 ${manifest.embedder.id} 生成，当前配置的是 ${embedder.id}` : undefined;
  } catch (error) {
    if (isAppError(error, 'index_corrupt') || isAppError(error, 'index_incompatible')) return describeError(error);
    throw error;
  }
}

/** With a model configured: generative answers, falling back to extractive ones. */
async function configuredAnswerer(llm: Config['llm'], logger: Logger): Promise<Answerer> {
  const extractive = new ExtractiveAnswerer();
  return llm ? createGenerativeAnswerer({ ...llm, logger }, extractive) : extractive;
}

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const embedder = await createEmbedder(config);
  const indexDir = options.indexDir ?? config.INDEX_DIR;
  await ensureIndex(config, embedder, indexDir);
  const index = new IndexHolder(indexDir, embedder);
  if (options.watchIndexMs) {
    index.watch(
      options.watchIndexMs,
      (handle) => logger.info('index switched', { version: handle.manifest.version }),
      (error) => logger.error('index refresh failed', { error: describeError(error) }),
    );
  }
  const answerer = options.answerer ?? (await configuredAnswerer(config.llm, logger));
  const onVectorFailure = (error: unknown) => logger.warn('embedding the question failed; keyword search only', { error: describeError(error) });
  const curation = new CurationStore(curationDir(config.KNOWLEDGE_DIR));
  const qa = new CuratedQaService({ index, embedder, answerer, onVectorFailure, curation });
  const followUps = await createFollowUpResolver(config.llm, (question) => qa.retrieve(question), logger);
  return { config, logger, embedder, index, qa, followUps, curation };
}
