/**
 * @module The on-disk index: one directory per build under the index root, plus a `CURRENT`
 * pointer naming the live one. Ingest writes a complete new directory, then swaps the pointer
 * with an atomic rename; readers resolve the pointer once and keep using that directory, so a
 * query never sees half an index. Shared by ingest (writer) and retrieval (reader).
 */
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from './errors.ts';

/**
 * 2: the manifest records each data file's size and SHA-256 (`files`).
 * 3: chunks, vectors, keyword index and term frequencies in one SQLite file (core/index-store.ts),
 * updated per document; chunk ordinals are stable across versions (`nextChunk`).
 */
export const INDEX_FORMAT_VERSION = 3;

export const INDEX_FILES = {
  manifest: 'manifest.json',
  database: 'index.sqlite',
  hnsw: 'vectors.hnsw',
} as const;

/**
 * Optional, beside the manifest: what the last ingest run that left this version live said about
 * each file (status, problem), for the console. Not a data file, so neither in `INDEX_FILES` nor
 * checked by core/index-integrity.ts: a later run that changes nothing rewrites it in place (a
 * hash recorded in the manifest would then call a sound index damaged), and no answer depends
 * on it — a missing or unreadable report loses only the statuses.
 */
export const INDEX_REPORT_FILE = 'ingest-report.json';

export type IndexDataFile = Exclude<(typeof INDEX_FILES)[keyof typeof INDEX_FILES], 'manifest.json'>;

/** The files a version consists of besides its manifest (and report), each recorded in `IndexManifest.files`. */
export const INDEX_DATA_FILES: readonly IndexDataFile[] = [INDEX_FILES.database, INDEX_FILES.hnsw];

/** A data file as ingest wrote it. */
export interface IndexFileRecord {
  bytes: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
}

const POINTER = 'CURRENT';

/** The heading of the chunk ingest makes of a document's metadata (title, 文号, dates …), first in its chunks. */
export const DOCUMENT_INFO_HEADING = '文件信息';

export interface ChunkRecord {
  /** `<docId>#<ordinal>`: stable while the document is unchanged. */
  id: string;
  docId: string;
  /** Heading titles from outermost to innermost; empty for unstructured text. */
  headings: string[];
  text: string;
  kind: 'text' | 'table';
  /**
   * Character offsets in the document's cleaned text of what the chunk quotes from it: all of
   * `text`, except that a part of a long table repeats the table's caption and header row before
   * its own rows, and the document-info chunk (start = end = 0) quotes metadata, not text.
   */
  start: number;
  end: number;
  /** Sentences of `text` addressed to a model (core/text/injection.ts): never quoted, never a source. */
  suspect?: string[];
}

export interface DocumentRecord {
  docId: string;
  /** Path relative to the knowledge folder. */
  file: string;
  /** SHA-256 of the file's bytes. */
  hash: string;
  /**
   * SHA-256 of its text with spacing and marks removed: the same document saved twice hashes
   * alike. Ingest always records it; a document it reuses unread is checked for duplicates by it.
   */
  textHash?: string;
  title: string;
  issuer?: string;
  /** 文号, e.g. 国发〔2021〕36号. */
  docNumber?: string;
  /** The document's own date (成文日期 / 落款 / last revision), YYYY-MM-DD, YYYY-MM or YYYY. */
  date?: string;
  /** 施行日期, YYYY-MM-DD. */
  effectiveDate?: string;
  /** The last day in force, YYYY-MM-DD, when the document states one. */
  expiryDate?: string;
  /** The period in force as the document states it: 有效期至2030年12月31日, 有效期5年. */
  validity?: string;
  kind?: string;
  chunkCount: number;
  /** The ordinal of this document's first chunk; its chunks are numbered on from it. */
  firstChunk: number;
}

export interface IndexManifest {
  formatVersion: number;
  version: string;
  builtAt: string;
  buildMs: number;
  embedder: { id: string; dimensions: number };
  documents: DocumentRecord[];
  chunkCount: number;
  /**
   * The ordinal the next added chunk gets. Ordinals are never reused, so a chunk keeps its
   * ordinal (its label in vectors.hnsw) from version to version; a removed document leaves a gap.
   */
  nextChunk: number;
  /** Every one of {@link INDEX_DATA_FILES}; readers check files against it (core/index-integrity.ts). */
  files: Record<IndexDataFile, IndexFileRecord>;
}

/** The directory the pointer names, or `undefined` when nothing has been built yet. */
export function currentIndexDir(indexRoot: string): string | undefined {
  const pointer = path.join(indexRoot, POINTER);
  if (!existsSync(pointer)) return undefined;
  const version = readFileSync(pointer, 'utf8').trim();
  const directory = path.join(indexRoot, version);
  const plainName = version !== '' && !version.startsWith('.') && !/[\\/]/.test(version);
  if (!plainName || !existsSync(path.join(directory, INDEX_FILES.manifest))) {
    throw new AppError('index_corrupt', `索引指针 ${pointer} 指向不存在的版本「${version}」；请重新运行 npm run ingest`);
  }
  return directory;
}

export function readManifest(directory: string): IndexManifest {
  const file = path.join(directory, INDEX_FILES.manifest);
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as IndexManifest;
  } catch (cause) {
    throw new AppError('index_corrupt', `索引清单 ${file} 无法读取（${cause instanceof Error ? cause.message : String(cause)}）；请重新运行 npm run ingest`, { cause });
  }
  if (typeof manifest !== 'object' || manifest === null) {
    throw new AppError('index_corrupt', `索引清单 ${file} 内容无效；请重新运行 npm run ingest`);
  }
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new AppError('index_incompatible', `索引 ${directory} 的格式版本为 ${manifest.formatVersion}，当前程序需要 ${INDEX_FORMAT_VERSION}；请重新运行 npm run ingest`);
  }
  return manifest;
}

/** Points `CURRENT` at `version`; rename(2) is atomic, so readers see the old or the new, never neither. */
export async function switchCurrentIndex(indexRoot: string, version: string): Promise<void> {
  const temporary = path.join(indexRoot, `${POINTER}.${process.pid}.tmp`);
  await writeFile(temporary, `${version}\n`);
  await rename(temporary, path.join(indexRoot, POINTER));
}

/** Document frequencies of keyword tokens, for weighting query terms by how telling they are. */
export interface TermStats {
  chunkCount: number;
  /** How many chunks hold the token. */
  df(token: string): number;
}

export function sectionPath(headings: string[]): string {
  return headings.join(' › ');
}

/** The text a chunk is embedded and keyword-indexed under: where it sits, then what it says. */
export function chunkSearchText(title: string, chunk: Pick<ChunkRecord, 'headings' | 'text'>): string {
  return `${title}\n${sectionPath(chunk.headings)}\n${chunk.text}`;
}
