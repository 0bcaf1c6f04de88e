/** @module Ingest on a worker thread, so a serving bot keeps its event loop free. */
export { ingestInWorker } from './client.ts';
