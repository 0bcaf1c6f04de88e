/**
 * @module Every knowledge file prepared or taken over from the live index, and the per-document
 * report of what happened to it (removed documents included). A file whose text another file
 * already has (a .docx and its .txt) is indexed once: answers would otherwise cite it twice.
 */
import { isAppError, type DocumentRecord } from '../../core/index.ts';
import type { DocumentMetadata } from '../knowledge-manifest.ts';
import { previousChunks, type PreviousIndex } from './previous-index.ts';
import { prepareDocument, readKnowledgeFile, suspectNotice } from './prepare.ts';
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
  const textHashes = new Map<PreparedDocument, string>();
  const failures: DocumentReport[] = [];
  for (const [index, file] of files.entries()) {
    progress({ phase: 'load', file, done: index, total: files.length });
    const old = previousDocs.get(file);
    try {
      const source = { knowledgeDir: input.knowledgeDir, file, metadata: input.metadata.get(file), maxFileBytes: input.maxFileBytes };
      const read = await readKnowledgeFile(source);
      let entry: PreparedDocument;
      if (reusable && old && old.hash === read.hash) {
        // The same bytes through the same pipeline: the live version's chunks and vectors, not read into text again.
        const { firstChunk: _first, chunkCount: _count, ...record } = old;
        entry = { record, chunks: previousChunks(reusable, old), previous: old, status: 'unchanged' };
      } else {
        const document = await prepareDocument(source, read);
        // Under a full rebuild a document with the same bytes is re-embedded but did not change.
        const status = !old ? 'added' : old.hash === document.record.hash ? 'unchanged' : 'changed';
        entry = { ...document, status };
      }
      prepared.push(entry);
      if (entry.record.textHash) textHashes.set(entry, entry.record.textHash);
    } catch (error) {
      if (!isAppError(error)) throw error;
      const keptOld = reusable && old;
      if (keptOld) {
        const { firstChunk: _first, chunkCount: _count, ...record } = old;
        prepared.push({ record, chunks: previousChunks(reusable, old), previous: old, status: 'unchanged' });
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
  const { kept, duplicates } = dropDuplicates(prepared, textHashes, previousDocs);
  return { prepared: kept, reports: documentReports(files, previousDocs, kept, [...failures, ...duplicates]) };
}

/**
 * Keeps one document of each text: the one the live index already serves unchanged, else the
 * first by path. A dropped one the live index held is reported removed (the index changes);
 * otherwise it is reported as a duplicate.
 */
function dropDuplicates(
  prepared: PreparedDocument[],
  textHashes: Map<PreparedDocument, string>,
  previousDocs: Map<string, DocumentRecord>,
): { kept: PreparedDocument[]; duplicates: DocumentReport[] } {
  const keeper = new Map<string, PreparedDocument>();
  for (const document of prepared) {
    const hash = textHashes.get(document);
    if (hash === undefined) continue;
    const current = keeper.get(hash);
    if (!current || (document.status === 'unchanged' && current.status !== 'unchanged')) keeper.set(hash, document);
  }
  const duplicates: DocumentReport[] = [];
  const kept = prepared.filter((document) => {
    const hash = textHashes.get(document);
    const original = hash === undefined ? undefined : keeper.get(hash);
    if (!original || original === document) return true;
    const file = document.record.file;
    duplicates.push({
      path: file,
      status: previousDocs.has(file) ? 'removed' : 'duplicate',
      chunks: 0,
      error: `与 ${original.record.file} 内容相同，只索引 ${original.record.file}`,
    });
    return false;
  });
  return { kept, duplicates };
}

/**
 * One report per document, by path; a failed one that kept its old version is reported as failed,
 * a duplicate as the duplicate of the one kept.
 */
function documentReports(
  files: string[],
  previousDocs: Map<string, DocumentRecord>,
  prepared: PreparedDocument[],
  reported: DocumentReport[],
): DocumentReport[] {
  const reports = [...reported];
  for (const file of previousDocs.keys()) {
    if (!files.includes(file)) reports.push({ path: file, status: 'removed', chunks: 0 });
  }
  for (const document of prepared) {
    if (!reports.some((report) => report.path === document.record.file)) {
      const notice = suspectNotice(document);
      reports.push({ path: document.record.file, status: document.status, chunks: document.chunks.length, ...(notice ? { error: notice } : {}) });
    }
  }
  return reports.sort((a, b) => a.path.localeCompare(b.path));
}
