/** @module The shared core's public surface: what ingest and the bot both build on. */
export { configSchema, loadConfig, type Config, type LlmSettings } from './config.ts';
export { AppError, describeError, isAppError, type AppErrorCode } from './errors.ts';
export { formatSize } from './format.ts';
export {
  chunkSearchText,
  currentIndexDir,
  DOCUMENT_INFO_HEADING,
  INDEX_DATA_FILES,
  INDEX_FILES,
  INDEX_FORMAT_VERSION,
  INDEX_REPORT_FILE,
  readManifest,
  sectionPath,
  switchCurrentIndex,
  type ChunkRecord,
  type DocumentRecord,
  type IndexManifest,
  type TermStats,
} from './index-format.ts';
export { checkChunkCount, checkIndexFileSizes, fileRecordOf, verifyIndexFile } from './index-integrity.ts';
export { IndexStore } from './index-store.ts';
export { KeywordIndex, type KeywordColumnWeights, type KeywordDocument, type KeywordHit, type KeywordWriter } from './keyword-index.ts';
export { createLogger, type Logger } from './logger.ts';
export { deserializeError, serializeError, startModuleWorker, type SerializedError } from './worker-thread.ts';
export { advisoryLockKey, holdingAdvisoryLock, withSharedIngestLock } from './shared-lock.ts';
