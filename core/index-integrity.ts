/**
 * @module Whether an index version's files are still the ones ingest wrote. The manifest records
 * each data file's byte size and SHA-256; a reader checks them before trusting a file, so a
 * deleted, truncated or edited file is reported by name instead of answering wrongly (a
 * database missing chunks still opens, and its answers would quote the wrong passages).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.ts';
import { INDEX_DATA_FILES, type IndexDataFile, type IndexFileRecord, type IndexManifest } from './index-format.ts';

const REBUILD_HINT = '请重新运行 npm run ingest（会自动重建）';

/** Size and SHA-256 of a file, read in pieces: a large version's database need not fit in memory twice. */
export function fileRecordOf(file: string): IndexFileRecord {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(file, 'r');
  let bytes = 0;
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      hash.update(buffer.subarray(0, read));
      bytes += read;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}

function damaged(directory: string, file: IndexDataFile, problem: string): AppError {
  const where = path.join(directory, file);
  return new AppError('index_corrupt', `索引文件 ${where} ${problem}；${REBUILD_HINT}`, { context: { directory, file, problem } });
}

function wrongSize(directory: string, file: IndexDataFile, size: number, record: IndexFileRecord): AppError {
  return damaged(directory, file, `大小为 ${size} 字节，清单记录为 ${record.bytes} 字节，已被截断或改动`);
}

function recordOf(directory: string, manifest: IndexManifest, file: IndexDataFile): IndexFileRecord {
  const record = manifest.files?.[file];
  if (!record || !Number.isInteger(record.bytes) || typeof record.sha256 !== 'string') {
    throw damaged(directory, file, '未记录在索引清单中（清单不完整）');
  }
  return record;
}

/** Every data file is there and has the size the manifest records: cheap (one stat each). */
export function checkIndexFileSizes(directory: string, manifest: IndexManifest): void {
  for (const file of INDEX_DATA_FILES) {
    const record = recordOf(directory, manifest, file);
    let size: number;
    try {
      size = statSync(path.join(directory, file)).size;
    } catch {
      throw damaged(directory, file, '缺失或无法读取');
    }
    if (size !== record.bytes) throw wrongSize(directory, file, size, record);
  }
}

/** Checks the file's size and SHA-256 against the manifest. */
export function verifyIndexFile(directory: string, manifest: IndexManifest, file: IndexDataFile): void {
  const record = recordOf(directory, manifest, file);
  let actual: IndexFileRecord;
  try {
    actual = fileRecordOf(path.join(directory, file));
  } catch {
    throw damaged(directory, file, '缺失或无法读取');
  }
  if (actual.bytes !== record.bytes) throw wrongSize(directory, file, actual.bytes, record);
  if (actual.sha256 !== record.sha256) throw damaged(directory, file, '内容与清单记录的 SHA-256 不符，已被改动');
}

/** What a file holds agrees with the manifest's chunk count (a check on parsed content, after the bytes). */
export function checkChunkCount(directory: string, manifest: IndexManifest, file: IndexDataFile, count: number): void {
  if (count !== manifest.chunkCount) throw damaged(directory, file, `含 ${count} 个片段，清单记录为 ${manifest.chunkCount} 个`);
}
