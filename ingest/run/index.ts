/** @module The ingest run's public surface. */
export { ingestKnowledge } from './ingest.ts';
export type { DocumentStatus, IngestSummary, IngestProgress, IngestOptions } from './types.ts';
export { readIngestReport } from './last-report.ts';
