/**
 * @module Human output for ingest runs: a progress bar on a terminal (plain lines otherwise, so
 * logs stay readable) and a summary table at the end.
 */
import cliProgress from 'cli-progress';
import { isAppError } from '../core/index.ts';
import type { DocumentStatus, IngestProgress, IngestSummary } from './run/index.ts';

export const STATUS_LABEL: Record<DocumentStatus, string> = {
  added: '新增',
  changed: '已更新',
  unchanged: '未变',
  removed: '已移除',
  failed: '失败',
  duplicate: '重复',
};

/** Display width: CJK characters take two terminal columns. */
function width(text: string): number {
  let columns = 0;
  for (const character of text) columns += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(character) ? 2 : 1;
  return columns;
}

function pad(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - width(text)));
}

export function formatIngestSummary(summary: IngestSummary): string {
  const rows = summary.documents.map((document) => [document.path, STATUS_LABEL[document.status], String(document.chunks), document.error ?? '']);
  const header = ['文档', '状态', '片段', '说明'];
  const widths = header.map((title, column) => Math.max(width(title), ...rows.map((row) => width(row[column] ?? ''))));
  const line = (cells: string[]) => cells.map((cell, column) => pad(cell, widths[column] ?? 0)).join('  ').trimEnd();
  const counts = (status: DocumentStatus) => summary.documents.filter((document) => document.status === status).length;
  const lines = [
    line(header),
    line(widths.map((columns) => '-'.repeat(columns))),
    ...rows.map(line),
    '',
    summary.switched
      ? `索引版本 ${summary.version} 已启用：新增 ${counts('added')}，更新 ${counts('changed')}，未变 ${counts('unchanged')}，移除 ${counts('removed')}，失败 ${counts('failed')}${counts('duplicate') > 0 ? `，重复 ${counts('duplicate')}` : ''}；嵌入 ${summary.embedded} 个片段，复用 ${summary.reused} 个，用时 ${summary.ms} ms`
      : `没有变化，继续使用索引版本 ${summary.version}（失败 ${counts('failed')}，用时 ${summary.ms} ms）`,
  ];
  if (summary.fullRebuildReason) lines.push(`注意：${summary.fullRebuildReason}`);
  if (summary.repairReason) lines.push(`注意：${summary.repairReason}`);
  return lines.join('\n');
}

/** Why each file failed in a run that was refused (`nothing_to_ingest` carries them as `documents`), one line per file. */
export function ingestProblemLines(error: unknown): string[] {
  const documents = isAppError(error) ? error.context?.['documents'] : undefined;
  if (!Array.isArray(documents)) return [];
  return (documents as { path: string; error?: string }[]).filter((document) => document.error).map((document) => `  - ${document.path}: ${document.error}`);
}

export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): {
  onProgress: (event: IngestProgress) => void;
  stop: () => void;
} {
  if (!stream.isTTY) {
    let lastPercent = -1;
    return {
      onProgress(event) {
        if (event.phase === 'scan') stream.write(`发现 ${event.total} 个文件\n`);
        if (event.phase === 'embed' && event.total > 0) {
          const percent = Math.floor((event.done / event.total) * 10) * 10;
          if (percent !== lastPercent) stream.write(`嵌入 ${event.done}/${event.total}\n`);
          lastPercent = percent;
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: '{phase} [{bar}] {value}/{total} {file}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(event) {
      if (event.phase === 'load') {
        if (!started) bar.start(event.total, event.done, { phase: '读取', file: event.file });
        started = true;
        bar.update(event.done, { phase: '读取', file: event.file });
      } else if (event.phase === 'embed') {
        bar.setTotal(Math.max(event.total, 1));
        bar.update(event.done, { phase: '嵌入', file: '' });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
