/** @module The ingest stage's public surface. */
export { formatSize, ingestKnowledge } from './build.ts';
export type { IngestSummary, IngestProgress, DocumentReport, DocumentStatus, IngestOptions } from './build.ts';
export { chunkDocument, DEFAULT_CHUNK_OPTIONS } from './chunk.ts';
export { cleanText } from './clean.ts';
export { extractText, isSupportedFile, SUPPORTED_EXTENSIONS } from './load/loaders.ts';
export { listKnowledgeFiles } from './files.ts';
export { formatIngestSummary, createProgressReporter, STATUS_LABEL } from './report.ts';
