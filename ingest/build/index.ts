/** @module The ingest run's public surface. */
export { ingestKnowledge } from './run.ts';
export type { IngestSummary, IngestProgress, DocumentReport, DocumentStatus, IngestOptions } from './types.ts';
