/**
 * @module What the last ingest run said about each file, kept in the version it left live
 * (core's INDEX_REPORT_FILE), so the console shows it after a restart and after runs of the CLI
 * or the start-up build as well as its own.
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { INDEX_REPORT_FILE } from '../../core/index.ts';
import type { DocumentReport } from './types.ts';

export interface IngestReport {
  /** When the run ended, ISO 8601. */
  finishedAt: string;
  documents: DocumentReport[];
}

/** Writes the report of a run that ends with `directory` live; replaced whole, so a reader never sees half of it. */
export async function writeIngestReport(directory: string, documents: DocumentReport[]): Promise<void> {
  const report: IngestReport = { finishedAt: new Date().toISOString(), documents };
  const temporary = path.join(directory, `${INDEX_REPORT_FILE}.${process.pid}.tmp`);
  await writeFile(temporary, JSON.stringify(report, null, 2));
  await rename(temporary, path.join(directory, INDEX_REPORT_FILE));
}

/** The report kept in the version `directory`, or `undefined` when it has none (built before reports were kept) or it is unreadable. */
export function readIngestReport(directory: string): IngestReport | undefined {
  try {
    const report = JSON.parse(readFileSync(path.join(directory, INDEX_REPORT_FILE), 'utf8')) as IngestReport;
    return Array.isArray(report?.documents) && typeof report.finishedAt === 'string' ? report : undefined;
  } catch {
    return undefined;
  }
}
