/** @module One knowledge file read, cleaned and chunked, with the hash that decides its reuse. */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError, describeError, formatSize } from '../../core/index.ts';
import { chunkDocument } from '../chunk.ts';
import { cleanText } from '../clean.ts';
import { inferTitle, type DocumentMetadata } from '../knowledge-manifest.ts';
import { extractText } from '../load/index.ts';
import type { PreparedDocument } from './types.ts';

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function metadataKey(metadata: DocumentMetadata | undefined): string {
  return metadata ? JSON.stringify(metadata) : '';
}

export async function prepareDocument(input: {
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
  const { text, metadata: found } = await extractText(bytes, file);
  const cleaned = cleanText(text);
  const chunks = chunkDocument(file, cleaned);
  if (chunks.length === 0) throw new AppError('document_empty', `${file} 没有可提取的文字内容（可能是扫描件或图片）`);
  // The admin's manifest entry wins over what the file says about itself, which wins over a guess.
  const meta = { ...found, ...input.metadata };
  return {
    record: {
      docId: file,
      file,
      hash: sha256(Buffer.concat([bytes, Buffer.from(metadataKey(input.metadata))])),
      title: meta.title ?? inferTitle(cleaned, file),
      ...(meta.issuer ? { issuer: meta.issuer } : {}),
      ...(meta.docNumber ? { docNumber: meta.docNumber } : {}),
      ...(meta.date ? { date: meta.date } : {}),
      ...(input.metadata?.kind ? { kind: input.metadata.kind } : {}),
    },
    chunks,
  };
}
