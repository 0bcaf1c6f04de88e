/** @module The ingest run's public surface. */
export { ingestKnowledge } from './run.ts';
export type { DocumentStatus, IngestSummary, IngestProgress, IngestOptions } from './types.ts';
