/**
 * @module A new index version on disk: written into a staging directory and renamed into place,
 * and the versions no reader needs any more deleted.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IndexEmbedder } from '../../core/embeddings/index.ts';
import { fileRecordOf, INDEX_FILES, INDEX_FORMAT_VERSION, type IndexManifest } from '../../core/index.ts';
import { assembleIndex } from './assemble.ts';
import { writeIngestReport } from './last-report.ts';
import type { PreviousIndex } from './previous-index.ts';
import type { DocumentReport, PreparedDocument } from './types.ts';

/** `v20240501-093000-123-ab12cd`: sorts by build time down to the millisecond. */
export function newVersion(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
  return `v${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Writes version `version` of the index under `indexDir`; returns its directory. */
export async function writeIndex(input: {
  indexDir: string;
  version: string;
  prepared: PreparedDocument[];
  embedder: IndexEmbedder;
  started: number;
  previous: PreviousIndex | undefined;
  /** The live version's files may be copied and changed per document (same embedder, nothing damaged). */
  reusable: boolean;
  /** What this run says about each file, kept with the version it builds. */
  reports: DocumentReport[];
}): Promise<string> {
  const { indexDir, version, prepared, embedder } = input;
  const staging = path.join(indexDir, `.staging-${version}`);
  await mkdir(staging, { recursive: true });
  try {
    const { documents, chunkCount, nextChunk } = await assembleIndex({ staging, prepared, dims: embedder.dimensions, previous: input.previous, reusable: input.reusable });
    // Hashed as written, so a reader can tell any later loss or change of a file (core/index-integrity.ts).
    const files: IndexManifest['files'] = {
      [INDEX_FILES.database]: fileRecordOf(path.join(staging, INDEX_FILES.database)),
      [INDEX_FILES.hnsw]: fileRecordOf(path.join(staging, INDEX_FILES.hnsw)),
    };
    const manifest: IndexManifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      version,
      builtAt: new Date().toISOString(),
      buildMs: Math.round(performance.now() - input.started),
      embedder: { id: embedder.id, dimensions: embedder.dimensions },
      documents,
      chunkCount,
      nextChunk,
      files,
    };
    await writeIngestReport(staging, input.reports);
    // The manifest goes last: a directory without one is never treated as an index.
    await writeFile(path.join(staging, INDEX_FILES.manifest), JSON.stringify(manifest, null, 2));
    const directory = path.join(indexDir, version);
    await rename(staging, directory);
    return directory;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Deletes old versions and abandoned staging directories, keeping `keep` besides `current`: first
 * the version that was live until now (readers may still be on it), then the most recently built.
 */
export async function pruneVersions(indexDir: string, current: string, previous: string | undefined, keep: number): Promise<void> {
  const entries = await readdir(indexDir, { withFileTypes: true });
  const candidates = entries.filter((entry) => entry.isDirectory() && /^v\d{8}-\d{6}-/.test(entry.name) && entry.name !== current);
  const built = await Promise.all(
    candidates.map(async (entry) => {
      const info = await stat(path.join(indexDir, entry.name, INDEX_FILES.manifest)).catch(() => undefined);
      return { name: entry.name, builtMs: info?.mtimeMs ?? 0 };
    }),
  );
  built.sort((a, b) => Number(b.name === previous) - Number(a.name === previous) || b.builtMs - a.builtMs || b.name.localeCompare(a.name));
  const stale = [
    ...built.slice(keep).map((entry) => entry.name),
    ...entries.filter((entry) => entry.isDirectory() && entry.name.startsWith('.staging-')).map((entry) => entry.name),
  ];
  await Promise.all(stale.map((name) => rm(path.join(indexDir, name), { recursive: true, force: true })));
}
