/**
 * @module One knowledge file read and hashed (the hash decides its reuse), then cleaned and
 * chunked, with the hash of its text that finds the same document saved twice (a .docx and its .txt).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError, describeError, formatSize, type ChunkRecord } from '../../core/index.ts';
import { suspectSentences } from '../../core/text/index.ts';
import { chunkDocument } from '../chunk.ts';
import { cleanText } from '../clean.ts';
import { withDocumentCard } from '../document-card.ts';
import { inferTitle, type DocumentMetadata } from '../knowledge-manifest.ts';
import { extractText } from '../load/index.ts';
import { metadataFromText } from '../metadata/index.ts';
import type { PreparedDocument } from './types.ts';

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Bumped whenever reading, cleaning or chunking changes what a file becomes, so that unchanged
 * files are re-read by the next ingest instead of keeping chunks the old pipeline made.
 */
const TEXT_PIPELINE_VERSION = 4;

function metadataKey(metadata: DocumentMetadata | undefined): string {
  return metadata ? JSON.stringify(metadata) : '';
}

/**
 * The text with everything a format or a conversion may vary removed: spacing, line breaks,
 * full- and half-width forms, Markdown marks. Two files with the same text hash alike.
 */
function textHash(cleaned: string): string {
  return sha256(cleaned.normalize('NFKC').replace(/[\s#*_|>`]/g, ''));
}

/** Marks the sentences that address a model, so answers neither quote nor trust them. */
function flagInstructions(chunk: ChunkRecord): ChunkRecord {
  const suspect = suspectSentences(chunk.text).map((sentence) => sentence.text);
  return suspect.length > 0 ? { ...chunk, suspect } : chunk;
}

/** What the admin is told about a document with flagged sentences; undefined when it has none. */
export function suspectNotice(document: Pick<PreparedDocument, 'record' | 'chunks'>): string | undefined {
  const count = document.chunks.reduce((sum, chunk) => sum + (chunk.suspect?.length ?? 0), 0);
  return count > 0 ? `《${document.record.title}》含疑似指令文本 ${count} 处（已标记，回答不会引用）` : undefined;
}

const FIELDS = ['issuer', 'docNumber', 'date', 'effectiveDate', 'expiryDate', 'validity'] as const;

interface KnowledgeFileInput {
  knowledgeDir: string;
  file: string;
  metadata: DocumentMetadata | undefined;
  maxFileBytes: number;
}

/** A knowledge file's bytes and the hash that decides whether its live version is reused. */
export interface KnowledgeFile {
  bytes: Buffer;
  hash: string;
}

/**
 * Reads a file and hashes it, before anything is extracted: an unchanged file is taken from the
 * live index without being read into text again (most of an ingest's time on a large corpus).
 */
export async function readKnowledgeFile(input: KnowledgeFileInput): Promise<KnowledgeFile> {
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
  return { bytes, hash: sha256(Buffer.concat([bytes, Buffer.from(`${TEXT_PIPELINE_VERSION}\n${metadataKey(input.metadata)}`)])) };
}

export async function prepareDocument(input: KnowledgeFileInput, { bytes, hash }: KnowledgeFile): Promise<Omit<PreparedDocument, 'status'>> {
  const { file } = input;
  const { text, metadata: found } = await extractText(bytes, file);
  const cleaned = cleanText(text);
  const chunks = chunkDocument(file, cleaned).map(flagInstructions);
  if (chunks.length === 0) throw new AppError('document_empty', `${file} 没有可提取的文字内容（可能是扫描件或图片）`);
  // Per field, the admin's manifest entry wins over what the file says about itself, which wins
  // over what the text states, which wins over a guess.
  const stated = { ...found, ...input.metadata };
  const title = stated.title ?? inferTitle(cleaned, file);
  const meta = { ...metadataFromText(cleaned, { title, ...(stated.date ? { date: stated.date } : {}) }), ...stated };
  const record = {
    docId: file,
    file,
    hash,
    textHash: textHash(cleaned),
    title,
    ...Object.fromEntries(FIELDS.flatMap((field) => (meta[field] ? [[field, meta[field]]] : []))),
    ...(input.metadata?.kind ? { kind: input.metadata.kind } : {}),
  };
  // The metadata as a chunk of its own (文件信息), first: the text alone may not state it.
  return { record, chunks: withDocumentCard(record, chunks) };
}
