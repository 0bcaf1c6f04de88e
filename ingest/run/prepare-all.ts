/**
 * @module Every knowledge file prepared or taken over from the live index, and the per-document
 * report of what happened to it (removed documents included).
 */
import { isAppError, type DocumentRecord } from '../../core/index.ts';
import type { DocumentMetadata } from '../knowledge-manifest.ts';
import { reuse, type PreviousIndex } from './previous-index.ts';
import { prepareDocument } from './prepare.ts';
import type { DocumentReport, IngestOptions, IngestProgress, PreparedDocument } from './types.ts';

export async function prepareAll(input: Pick<IngestOptions, 'knowledgeDir' | 'maxFileBytes'> & {
  files: string[];
  metadata: Map<string, DocumentMetadata>;
  previous: PreviousIndex | undefined;
  /** Nothing is reused from `previous`; it still tells an added document from a changed one. */
  fullRebuild: boolean;
  progress: (event: IngestProgress) => void;
}): Promise<{ prepared: PreparedDocument[]; reports: DocumentReport[] }> {
  const { files, previous, progress } = input;
  const reusable = input.fullRebuild ? undefined : previous;
  const previousDocs = new Map(previous?.manifest.documents.map((document) => [document.file, document]));
  const prepared: PreparedDocument[] = [];
  const failures: DocumentReport[] = [];
  for (const [index, file] of files.entries()) {
    progress({ phase: 'load', file, done: index, total: files.length });
    const old = previousDocs.get(file);
    try {
      const document = await prepareDocument({ knowledgeDir: input.knowledgeDir, file, metadata: input.metadata.get(file), maxFileBytes: input.maxFileBytes });
      if (reusable && old && old.hash === document.record.hash) {
        prepared.push({ ...document, ...reuse(reusable, old), status: 'unchanged' });
      } else {
        // Under a full rebuild a document with the same bytes is re-embedded but did not change.
        const status = !old ? 'added' : old.hash === document.record.hash ? 'unchanged' : 'changed';
        prepared.push({ ...document, status });
      }
    } catch (error) {
      if (!isAppError(error)) throw error;
      const keptOld = reusable && old;
      if (keptOld) {
        const { firstChunk: _first, chunkCount: _count, ...record } = old;
        prepared.push({ record, ...reuse(reusable, old), status: 'unchanged' });
      }
      failures.push({
        path: file,
        status: 'failed',
        chunks: keptOld ? old.chunkCount : 0,
        error: keptOld ? `${error.message}（继续使用上一版本）` : error.message,
        errorCode: error.code,
      });
    }
  }
  return { prepared, reports: documentReports(files, previousDocs, prepared, failures) };
}

/** One report per document, by path; a failed one that kept its old version is reported as failed. */
function documentReports(
  files: string[],
  previousDocs: Map<string, DocumentRecord>,
  prepared: PreparedDocument[],
  failures: DocumentReport[],
): DocumentReport[] {
  const reports = [...failures];
  for (const file of previousDocs.keys()) {
    if (!files.includes(file)) reports.push({ path: file, status: 'removed', chunks: 0 });
  }
  for (const document of prepared) {
    if (!reports.some((report) => report.path === document.record.file)) {
      reports.push({ path: document.record.file, status: document.status, chunks: document.chunks.length });
    }
  }
  return reports.sort((a, b) => a.path.localeCompare(b.path));
}
