/** @module The ingest stage's public surface. */
export { ingestKnowledge, readIngestReport } from './run/index.ts';
export type { IngestSummary, IngestProgress, IngestOptions } from './run/index.ts';
export { chunkDocument } from './chunk.ts';
export { cleanText } from './clean.ts';
export { extractText, isSupportedFile } from './load/index.ts';
export { listKnowledgeFiles } from './files.ts';
export { inferTitle, KNOWLEDGE_MANIFEST, readKnowledgeManifest, type DocumentMetadata } from './knowledge-manifest.ts';
export { KnowledgeAdmin, safeFileName } from './knowledge-admin.ts';
export { acquireIngestLock } from './lock.ts';
export { formatIngestSummary, createProgressReporter, ingestProblemLines, STATUS_LABEL } from './report.ts';
export { ingestInWorker } from './worker/index.ts';
