/**
 * @module Benchmark helper run in its own process (`node --import tsx`): one ingest of
 * `--knowledge` into `--index` with the local embedder. Progress goes to stderr (throttled); the
 * last stdout line is a JSON result with the ingest summary, per-phase times and peak RSS, so
 * the parent sees a cold process (module load included) and a clean memory high-water mark.
 */
import { parseArgs } from 'node:util';
import { createEmbedder } from '../../core/embeddings/index.ts';
import { loadConfig } from '../../core/index.ts';
import { ingestKnowledge, type IngestProgress } from '../../ingest/index.ts';
import { peakRssMb, round } from './util.ts';

export interface IngestChildResult {
  /** Process start (as Node reports it) to just before the ingest call: start-up and module load. */
  startupMs: number;
  /** The ingestKnowledge call itself. */
  ingestMs: number;
  /** Where the ingest time went, from the progress events (load = read + extract + clean + chunk). */
  phasesMs: { load: number; embed: number; write: number };
  switched: boolean;
  embedded: number;
  reused: number;
  chunks: number;
  documents: number;
  statuses: Record<string, number>;
  peakRssMb: number;
  heapUsedMb: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { knowledge: { type: 'string' }, index: { type: 'string' }, label: { type: 'string' } } });
  if (!values.knowledge || !values.index) throw new Error('usage: ingest-child.ts --knowledge DIR --index DIR [--label NAME]');
  const label = values.label ?? 'ingest';
  const startupMs = performance.now();
  const marks: Partial<Record<IngestProgress['phase'], number>> = {};
  let lastPrint = 0;
  const print = (line: string, force = false) => {
    const now = performance.now();
    if (!force && now - lastPrint < 2000) return;
    lastPrint = now;
    console.error(`  [${label} +${((now - startupMs) / 1000).toFixed(1)} s] ${line}`);
  };
  const onProgress = (event: IngestProgress) => {
    if (marks[event.phase] === undefined) marks[event.phase] = performance.now();
    switch (event.phase) {
      case 'scan':
        print(`${event.total} files`, true);
        break;
      case 'load':
        print(`loading ${event.done}/${event.total}`);
        break;
      case 'embed':
        print(`embedding ${event.done}/${event.total} chunks`, event.done === 0);
        break;
      case 'write':
        print('writing index', true);
        break;
    }
  };
  const started = performance.now();
  const summary = await ingestKnowledge({
    knowledgeDir: values.knowledge,
    indexDir: values.index,
    embedder: await createEmbedder(loadConfig()),
    maxFileBytes: 20 * 1024 * 1024,
    onProgress,
  });
  const finished = performance.now();
  const at = (phase: IngestProgress['phase']) => marks[phase];
  const loadStart = at('load') ?? at('scan') ?? started;
  const embedStart = at('embed') ?? finished;
  const writeStart = at('write') ?? finished;
  const statuses: Record<string, number> = {};
  for (const document of summary.documents) statuses[document.status] = (statuses[document.status] ?? 0) + 1;
  const result: IngestChildResult = {
    startupMs: round(startupMs, 1),
    ingestMs: round(finished - started, 1),
    phasesMs: {
      load: round(embedStart - loadStart, 1),
      embed: round(writeStart - embedStart, 1),
      write: round(finished - writeStart, 1),
    },
    switched: summary.switched,
    embedded: summary.embedded,
    reused: summary.reused,
    chunks: summary.documents.reduce((sum, document) => sum + document.chunks, 0),
    documents: summary.documents.length,
    statuses,
    peakRssMb: peakRssMb(),
    heapUsedMb: round(process.memoryUsage().heapUsed / 1024 / 1024, 1),
  };
  print(`done in ${(result.ingestMs / 1000).toFixed(2)} s, peak RSS ${result.peakRssMb} MB`, true);
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
