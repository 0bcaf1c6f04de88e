/**
 * @module The ingest run: knowledge folder → versioned index directory → pointer switch.
 *
 * Incremental by content: a document whose bytes and metadata are unchanged keeps its chunks and
 * vectors from the live index; only added or changed documents are embedded. A document that
 * fails to load is reported and, if an older version of it was indexed, that version keeps
 * serving. Nothing is switched unless at least one document is usable. A live version whose files
 * no longer match its manifest is rebuilt (./previous-index.ts), and the summary says what was damaged.
 */
import { mkdir } from 'node:fs/promises';
import { AppError, currentIndexDir, describeError, switchCurrentIndex } from '../../core/index.ts';
import { listKnowledgeFiles } from '../files.ts';
import { readKnowledgeManifest } from '../knowledge-manifest.ts';
import { acquireIngestLock } from '../lock.ts';
import { embedMissing } from './embed.ts';
import { prepareAll } from './prepare-all.ts';
import { openPrevious, type PreviousIndex } from './previous-index.ts';
import type { DocumentReport, IngestOptions, IngestSummary } from './types.ts';
import { newVersion, pruneVersions, writeIndex } from './write.ts';

export async function ingestKnowledge(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { knowledgeDir, indexDir, embedder } = options;
  const progress = options.onProgress ?? (() => {});
  await mkdir(indexDir, { recursive: true });
  const release = await acquireIngestLock(indexDir);
  try {
    const files = await listKnowledgeFiles(knowledgeDir).catch((cause: unknown) => {
      throw new AppError('invalid_argument', `无法读取知识库目录 ${knowledgeDir}：${describeError(cause)}`, { cause });
    });
    const metadata = readKnowledgeManifest(knowledgeDir);
    const { previous, fullRebuildReason, repairReason } = openPrevious(indexDir, embedder.id);
    progress({ phase: 'scan', total: files.length });
    const { prepared, reports } = await prepareAll({ ...options, files, metadata, previous, fullRebuild: fullRebuildReason !== undefined, progress });
    if (prepared.length === 0) {
      throw new AppError('nothing_to_ingest', `${knowledgeDir} 中没有可用的文档${previous ? '，继续使用现有索引' : ''}`, {
        context: { documents: reports },
      });
    }
    const reused = prepared.filter((document) => document.vectors).reduce((sum, document) => sum + document.chunks.length, 0);
    // A damaged live version never counts as unchanged: it is rebuilt even when no document moved.
    if (previous && !fullRebuildReason && !repairReason && !hasChanges(reports)) return unchangedSummary(previous, indexDir, reports, reused, started);

    const embedded = await embedMissing(prepared, embedder, options.embedBatchSize ?? 64, progress);
    progress({ phase: 'write' });
    const version = newVersion(new Date());
    const directory = await writeIndex({ indexDir, version, prepared, embedder, started });
    await switchCurrentIndex(indexDir, version);
    await pruneVersions(indexDir, version, previous?.manifest.version, options.keepPrevious ?? 1);
    return {
      version,
      switched: true,
      indexDir: directory,
      documents: reports,
      embedded,
      reused,
      ms: Math.round(performance.now() - started),
      ...(fullRebuildReason ? { fullRebuildReason } : {}),
      ...(repairReason ? { repairReason } : {}),
    };
  } finally {
    await release();
  }
}

function hasChanges(reports: DocumentReport[]): boolean {
  return reports.some((report) => report.status === 'added' || report.status === 'changed' || report.status === 'removed');
}

/** The live index already is what this run would build: it stays, nothing is written. */
function unchangedSummary(previous: PreviousIndex, indexDir: string, reports: DocumentReport[], reused: number, started: number): IngestSummary {
  return {
    version: previous.manifest.version,
    switched: false,
    indexDir: currentIndexDir(indexDir)!,
    documents: reports,
    embedded: 0,
    reused,
    ms: Math.round(performance.now() - started),
  };
}
