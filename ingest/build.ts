/**
 * @module The ingest run: knowledge folder → versioned index directory → pointer switch.
 *
 * Incremental by content: a document whose bytes and metadata are unchanged keeps its chunks and
 * vectors from the live index; only added or changed documents are embedded. A document that
 * fails to load is reported and, if an older version of it was indexed, that version keeps
 * serving. Nothing is switched unless at least one document is usable.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import type MiniSearch from 'minisearch';
import type SearchableMap from 'minisearch/SearchableMap';
import type { IndexEmbedder } from '../core/embeddings/index.ts';
import {
  AppError,
  describeError,
  formatSize,
  isAppError,
  createKeywordIndex,
  type KeywordDocument,
  chunkSearchText,
  INDEX_FILES,
  INDEX_FORMAT_VERSION,
  currentIndexDir,
  readManifest,
  sectionPath,
  switchCurrentIndex,
  type ChunkRecord,
  type DocumentRecord,
  type IndexManifest,
  type TermStats,
} from '../core/index.ts';
import { charBigrams, tokenize } from '../core/text/index.ts';
import { chunkDocument } from './chunk.ts';
import { cleanText } from './clean.ts';
import { listKnowledgeFiles } from './files.ts';
import { inferTitle, readKnowledgeManifest, type DocumentMetadata } from './knowledge-manifest.ts';
import { extractText } from './load/index.ts';
import { acquireIngestLock } from './lock.ts';

export type DocumentStatus = 'added' | 'changed' | 'unchanged' | 'removed' | 'failed';

export interface DocumentReport {
  path: string;
  status: DocumentStatus;
  chunks: number;
  error?: string;
  errorCode?: string;
}

export interface IngestSummary {
  version: string;
  /** False when nothing changed or nothing usable was found: the live index was left as it was. */
  switched: boolean;
  indexDir: string;
  documents: DocumentReport[];
  embedded: number;
  reused: number;
  ms: number;
  /** Why every document was re-embedded, when it was (e.g. another embedder). */
  fullRebuildReason?: string;
}

export type IngestProgress =
  | { phase: 'scan'; total: number }
  | { phase: 'load'; file: string; done: number; total: number }
  | { phase: 'embed'; done: number; total: number }
  | { phase: 'write' };

export interface IngestOptions {
  knowledgeDir: string;
  indexDir: string;
  embedder: IndexEmbedder;
  maxFileBytes: number;
  onProgress?: (event: IngestProgress) => void;
  /** Versions kept besides the new one, so a reader that opened the previous index can finish. */
  keepPrevious?: number;
  embedBatchSize?: number;
}

interface PreviousIndex {
  manifest: IndexManifest;
  chunks: ChunkRecord[];
  vectors: Float32Array;
}

interface PreparedDocument {
  record: Omit<DocumentRecord, 'firstChunk' | 'chunkCount'>;
  chunks: ChunkRecord[];
  /** Reused vectors, or undefined when the chunks still need embedding. */
  vectors?: Float32Array;
  status: 'added' | 'changed' | 'unchanged';
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function metadataKey(metadata: DocumentMetadata | undefined): string {
  return metadata ? JSON.stringify(metadata) : '';
}

/** The live index, `undefined` when there is none, or why it cannot be reused. */
function loadPrevious(indexDir: string): PreviousIndex | { problem: string } | undefined {
  let directory: string | undefined;
  try {
    directory = currentIndexDir(indexDir);
    if (!directory) return undefined;
    const manifest = readManifest(directory);
    const chunks = JSON.parse(readFileSync(path.join(directory, INDEX_FILES.chunks), 'utf8')) as ChunkRecord[];
    const bytes = readFileSync(path.join(directory, INDEX_FILES.vectors));
    // Copied: a Float32Array view needs a 4-byte-aligned offset, which a pooled Buffer need not have.
    const vectors = new Float32Array(new Uint8Array(bytes).buffer);
    const expected = manifest.chunkCount * manifest.embedder.dimensions;
    if (chunks.length !== manifest.chunkCount || vectors.length !== expected) {
      return { problem: `现有索引 ${directory} 的片段或向量数与清单不符` };
    }
    return { manifest, chunks, vectors };
  } catch (error) {
    // A broken or unreadable previous index only costs a full rebuild; it must not block a fresh one.
    return { problem: `现有索引无法读取（${describeError(error)}）` };
  }
}

/** A document's chunks and vectors as the previous index holds them. */
function reuse(previous: PreviousIndex, old: DocumentRecord): { chunks: ChunkRecord[]; vectors: Float32Array } {
  const dims = previous.manifest.embedder.dimensions;
  return {
    chunks: previous.chunks.slice(old.firstChunk, old.firstChunk + old.chunkCount),
    vectors: previous.vectors.slice(old.firstChunk * dims, (old.firstChunk + old.chunkCount) * dims),
  };
}

/** `v20240501-093000-123-ab12cd`: sorts by build time down to the millisecond. */
function newVersion(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
  return `v${stamp}-${randomBytes(3).toString('hex')}`;
}

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
    const loaded = loadPrevious(indexDir);
    let previous = loaded && 'manifest' in loaded ? loaded : undefined;
    let fullRebuildReason: string | undefined;
    if (loaded && 'problem' in loaded) {
      fullRebuildReason = `${loaded.problem}，全部文档重新嵌入`;
    } else if (previous && previous.manifest.embedder.id !== embedder.id) {
      fullRebuildReason = `嵌入模型由 ${previous.manifest.embedder.id} 变为 ${embedder.id}，全部文档重新嵌入`;
    }
    const previousVersion = previous?.manifest.version;
    const previousDocs = new Map(previous?.manifest.documents.map((document) => [document.file, document]));
    progress({ phase: 'scan', total: files.length });

    const prepared: PreparedDocument[] = [];
    const reports: DocumentReport[] = [];
    for (const [index, file] of files.entries()) {
      progress({ phase: 'load', file, done: index, total: files.length });
      const old = previousDocs.get(file);
      try {
        const document = await prepareDocument({ knowledgeDir, file, metadata: metadata.get(file), maxFileBytes: options.maxFileBytes });
        const reusable = previous && !fullRebuildReason && old && old.hash === document.record.hash;
        if (reusable) {
          prepared.push({ ...document, ...reuse(previous!, old), status: 'unchanged' });
        } else {
          // Under a full rebuild a document with the same bytes is re-embedded but did not change.
          const status = !old ? 'added' : old.hash === document.record.hash ? 'unchanged' : 'changed';
          prepared.push({ ...document, status });
        }
      } catch (error) {
        if (!isAppError(error)) throw error;
        const keptOld = previous && !fullRebuildReason && old;
        if (keptOld) {
          const { firstChunk: _first, chunkCount: _count, ...record } = old;
          prepared.push({ record, ...reuse(previous!, old), status: 'unchanged' });
        }
        reports.push({
          path: file,
          status: 'failed',
          chunks: keptOld ? old.chunkCount : 0,
          error: keptOld ? `${error.message}（继续使用上一版本）` : error.message,
          errorCode: error.code,
        });
      }
    }
    for (const file of previousDocs.keys()) {
      if (!files.includes(file)) reports.push({ path: file, status: 'removed', chunks: 0 });
    }
    for (const document of prepared) {
      if (!reports.some((report) => report.path === document.record.file)) {
        reports.push({ path: document.record.file, status: document.status, chunks: document.chunks.length });
      }
    }
    reports.sort((a, b) => a.path.localeCompare(b.path));

    if (prepared.length === 0) {
      throw new AppError('nothing_to_ingest', `${knowledgeDir} 中没有可用的文档${previous ? '，继续使用现有索引' : ''}`, {
        context: { documents: reports },
      });
    }

    const reused = prepared.filter((document) => document.vectors).reduce((sum, document) => sum + document.chunks.length, 0);
    const changed = reports.some((report) => report.status === 'added' || report.status === 'changed' || report.status === 'removed');
    if (previous && !changed && !fullRebuildReason) {
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

    const embedded = await embedMissing(prepared, embedder, options.embedBatchSize ?? 64, progress);
    progress({ phase: 'write' });
    const version = newVersion(new Date());
    const directory = await writeIndex({ indexDir, version, prepared, embedder, started });
    previous = undefined;
    await switchCurrentIndex(indexDir, version);
    await pruneVersions(indexDir, version, previousVersion, options.keepPrevious ?? 1);
    return {
      version,
      switched: true,
      indexDir: directory,
      documents: reports,
      embedded,
      reused,
      ms: Math.round(performance.now() - started),
      ...(fullRebuildReason ? { fullRebuildReason } : {}),
    };
  } finally {
    await release();
  }
}

async function prepareDocument(input: {
  knowledgeDir: string;
  file: string;
  metadata: DocumentMetadata | undefined;
  maxFileBytes: number;
}): Promise<Omit<PreparedDocument, 'status'>> {
  const { file } = input;
  const absolute = path.join(input.knowledgeDir, file);
  const info = await stat(absolute).catch((cause: unknown) => {
    throw new AppError('document_unreadable', `${file} 无法读取：${describeError(cause)}`, { cause });
  });
  if (info.size > input.maxFileBytes) {
    throw new AppError('document_too_large', `${file} 大小 ${formatSize(info.size)}，超过上限 ${formatSize(input.maxFileBytes)}（MAX_FILE_MB）`);
  }
  const bytes = await readFile(absolute).catch((cause: unknown) => {
    throw new AppError('document_unreadable', `${file} 无法读取：${describeError(cause)}`, { cause });
  });
  if (bytes.length === 0) throw new AppError('document_empty', `${file} 是空文件`);
  const { text } = await extractText(bytes, file);
  const cleaned = cleanText(text);
  const chunks = chunkDocument(file, cleaned);
  if (chunks.length === 0) throw new AppError('document_empty', `${file} 没有可提取的文字内容（可能是扫描件或图片）`);
  const meta = input.metadata;
  return {
    record: {
      docId: file,
      file,
      hash: sha256(Buffer.concat([bytes, Buffer.from(metadataKey(meta))])),
      title: meta?.title ?? inferTitle(cleaned, file),
      ...(meta?.issuer ? { issuer: meta.issuer } : {}),
      ...(meta?.docNumber ? { docNumber: meta.docNumber } : {}),
      ...(meta?.date ? { date: meta.date } : {}),
      ...(meta?.kind ? { kind: meta.kind } : {}),
    },
    chunks,
  };
}

async function embedMissing(
  prepared: PreparedDocument[],
  embedder: IndexEmbedder,
  batchSize: number,
  progress: (event: IngestProgress) => void,
): Promise<number> {
  const pending = prepared.filter((document) => !document.vectors);
  const total = pending.reduce((sum, document) => sum + document.chunks.length, 0);
  let done = 0;
  progress({ phase: 'embed', done, total });
  for (const document of pending) {
    const vectors = new Float32Array(document.chunks.length * embedder.dimensions);
    for (let offset = 0; offset < document.chunks.length; offset += batchSize) {
      const batch = document.chunks.slice(offset, offset + batchSize);
      let embedded: number[][];
      try {
        embedded = await embedder.embedDocuments(batch.map((chunk) => chunkSearchText(document.record.title, chunk)));
      } catch (cause) {
        throw new AppError('embed_failed', `嵌入 ${document.record.file} 失败（${embedder.id}）：${describeError(cause)}`, { cause });
      }
      if (embedded.length !== batch.length) {
        throw new AppError('embed_failed', `嵌入模型为 ${batch.length} 个片段返回了 ${embedded.length} 个向量（${embedder.id}）`);
      }
      embedded.forEach((vector, index) => {
        if (vector.length !== embedder.dimensions) {
          throw new AppError('embed_failed', `嵌入模型返回 ${vector.length} 维向量，预期 ${embedder.dimensions} 维`);
        }
        vectors.set(vector, (offset + index) * embedder.dimensions);
      });
      done += batch.length;
      progress({ phase: 'embed', done, total });
    }
    document.vectors = vectors;
  }
  return total;
}

async function writeIndex(input: {
  indexDir: string;
  version: string;
  prepared: PreparedDocument[];
  embedder: IndexEmbedder;
  started: number;
}): Promise<string> {
  const { indexDir, version, prepared, embedder } = input;
  const staging = path.join(indexDir, `.staging-${version}`);
  await mkdir(staging, { recursive: true });
  try {
    const chunks: ChunkRecord[] = [];
    const documents: DocumentRecord[] = [];
    const dims = embedder.dimensions;
    const total = prepared.reduce((sum, document) => sum + document.chunks.length, 0);
    const vectors = new Float32Array(total * dims);
    const hnsw = new hnswlib.HierarchicalNSW('cosine', dims);
    hnsw.initIndex({ maxElements: Math.max(total, 1), m: 16, efConstruction: 100, randomSeed: 42 });
    const keywordDocuments: KeywordDocument[] = [];
    const df = new Map<string, number>();
    for (const document of prepared) {
      const firstChunk = chunks.length;
      documents.push({ ...document.record, firstChunk, chunkCount: document.chunks.length });
      document.chunks.forEach((chunk, index) => {
        const ordinal = firstChunk + index;
        const vector = document.vectors!.subarray(index * dims, (index + 1) * dims);
        vectors.set(vector, ordinal * dims);
        hnsw.addPoint(Array.from(vector), ordinal);
        keywordDocuments.push({ n: ordinal, title: document.record.title, section: sectionPath(chunk.headings), text: chunk.text });
        const tokens = new Set([...tokenize(chunkSearchText(document.record.title, chunk)), ...charBigrams(chunk.text)]);
        for (const token of tokens) df.set(token, (df.get(token) ?? 0) + 1);
        chunks.push(chunk);
      });
    }
    const keyword = createKeywordIndex();
    addInBulk(keyword, keywordDocuments);
    const manifest: IndexManifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      version,
      builtAt: new Date().toISOString(),
      buildMs: Math.round(performance.now() - input.started),
      embedder: { id: embedder.id, dimensions: dims },
      documents,
      chunkCount: chunks.length,
    };
    await writeFile(path.join(staging, INDEX_FILES.chunks), JSON.stringify(chunks));
    await writeFile(path.join(staging, INDEX_FILES.vectors), new Uint8Array(vectors.buffer));
    await hnsw.writeIndex(path.join(staging, INDEX_FILES.hnsw));
    await writeFile(path.join(staging, INDEX_FILES.keyword), JSON.stringify(keyword));
    const termStats: TermStats = { chunkCount: chunks.length, df: Object.fromEntries(df) };
    await writeFile(path.join(staging, INDEX_FILES.termStats), JSON.stringify(termStats));
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

type TermData = Map<number, Map<number, number>>;

/**
 * `keyword.add` for every document, faster. MiniSearch keeps its terms in a radix tree whose
 * lookups scan a node's children one by one, and `add` looks up every token occurrence: with
 * thousands of distinct CJK characters (and the bigram field) that scan took over half the ingest
 * time of a 100× corpus. Here the adds see a plain Map instead, and the tree is built afterwards
 * once per distinct term, in first-seen order (the order `add` would have created them), so the
 * tree and keyword.json come out byte for byte the same. Relies on MiniSearch 7 internals
 * (`_index`, which `add` touches only through `fetch`); without them it simply adds one by one.
 */
function addInBulk(keyword: MiniSearch<KeywordDocument>, documents: KeywordDocument[]): void {
  const internals = keyword as unknown as { _index?: SearchableMap<TermData> };
  const tree = internals._index;
  if (!tree || typeof tree.fetch !== 'function' || typeof tree.set !== 'function' || tree.size !== 0) {
    keyword.addAll(documents);
    return;
  }
  const terms = new Map<string, TermData>();
  const fetch = (term: string, initial: () => TermData): TermData => {
    let data = terms.get(term);
    if (data === undefined) terms.set(term, (data = initial()));
    return data;
  };
  internals._index = { fetch } as unknown as SearchableMap<TermData>;
  try {
    keyword.addAll(documents);
  } finally {
    internals._index = tree;
  }
  for (const [term, data] of terms) tree.set(term, data);
}

/**
 * Deletes old versions and abandoned staging directories, keeping `keep` besides `current`: first
 * the version that was live until now (readers may still be on it), then the most recently built.
 */
async function pruneVersions(indexDir: string, current: string, previous: string | undefined, keep: number): Promise<void> {
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
