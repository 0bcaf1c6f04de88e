/**
 * @module The ingest run: knowledge folder → versioned index directory → pointer switch.
 *
 * Incremental by content: a document whose bytes and metadata are unchanged keeps its chunks and
 * vectors from the live index; only added or changed documents are embedded, and the new version
 * is the live one's files with just those documents applied (./assemble.ts). A document that
 * fails to load is reported and, if an older version of it was indexed, that version keeps
 * serving. Nothing is switched unless at least one document is usable. A live version whose files
 * no longer match its manifest is rebuilt (./previous-index.ts), and the summary says what was damaged.
 */
import { mkdir } from 'node:fs/promises';
import { AppError, currentIndexDir, describeError, switchCurrentIndex } from '../../core/index.ts';
import { listKnowledgeFiles } from '../files.ts';
import { SUPPORTED_EXTENSIONS } from '../load/index.ts';
import { readKnowledgeManifest } from '../knowledge-manifest.ts';
import { acquireIngestLock } from '../lock.ts';
import { embedMissing } from './embed.ts';
import { writeIngestReport } from './last-report.ts';
import { prepareAll } from './prepare-all.ts';
import { openPrevious, type PreviousIndex } from './previous-index.ts';
import type { DocumentReport, IngestOptions, IngestSummary } from './types.ts';
import { newVersion, pruneVersions, writeIndex } from './write.ts';

/** What an empty or missing knowledge folder needs, said where the operator first meets it (ingest CLI, bot start-up). */
const FORMATS_HINT = `请把政策文件（${SUPPORTED_EXTENSIONS.join(' ')} 格式）放入该目录后再导入`;

export async function ingestKnowledge(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { knowledgeDir, indexDir, embedder } = options;
  const progress = options.onProgress ?? (() => {});
  await mkdir(indexDir, { recursive: true });
  const release = await acquireIngestLock(indexDir);
  let previousIndex: PreviousIndex | undefined;
  try {
    const files = await listKnowledgeFiles(knowledgeDir).catch((cause: unknown) => {
      const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
      throw new AppError('invalid_argument', missing ? `知识库目录 ${knowledgeDir} 不存在：请创建它（或用 KNOWLEDGE_DIR 指向已有的目录）。${FORMATS_HINT}` : `无法读取知识库目录 ${knowledgeDir}：${describeError(cause)}`, { cause });
    });
    const metadata = readKnowledgeManifest(knowledgeDir);
    const { previous, fullRebuildReason, repairReason } = openPrevious(indexDir, embedder.id);
    previousIndex = previous;
    progress({ phase: 'scan', total: files.length });
    const { prepared, reports } = await prepareAll({ ...options, files, metadata, previous, fullRebuild: fullRebuildReason !== undefined, progress });
    if (prepared.length === 0) {
      // The live version stays, and so its report must say why this run changed nothing.
      if (previous) await writeIngestReport(previous.directory, reports);
      const why = files.length === 0 ? '还没有文档' : `没有可用的文档（共 ${files.length} 个文件，均未能导入，原因见各文件的说明）`;
      throw new AppError('nothing_to_ingest', `${knowledgeDir} 中${why}${previous ? '，继续使用现有索引' : ''}。${FORMATS_HINT}`, {
        context: { documents: reports },
      });
    }
    const reused = prepared.filter((document) => document.previous).reduce((sum, document) => sum + document.chunks.length, 0);
    // A damaged live version never counts as unchanged: it is rebuilt even when no document moved.
    if (previous && !fullRebuildReason && !repairReason && !hasChanges(reports)) {
      await writeIngestReport(previous.directory, reports);
      return unchangedSummary(previous, indexDir, reports, reused, started);
    }

    const embedded = await embedMissing(prepared, embedder, options.embedBatchSize ?? 64, progress);
    progress({ phase: 'write' });
    const version = newVersion(new Date());
    const reusable = !fullRebuildReason && !repairReason;
    const directory = await writeIndex({ indexDir, version, prepared, embedder, started, previous, reusable, reports });
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
    previousIndex?.store.close();
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
