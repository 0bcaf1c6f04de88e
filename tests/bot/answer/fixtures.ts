// Builds a tiny real pipeline (clean → chunk → term stats → retrieved passages) from excerpts of
// the knowledge documents, so answer tests run on what ingest would produce, without an index.
import { chunkSearchText, type ChunkRecord, type DocumentRecord, type TermStats } from '../../../core/index.ts';
import { tokenize } from '../../../core/text/index.ts';
import { chunkDocument, cleanText } from '../../../ingest/index.ts';
import type { RetrievedChunk } from '../../../bot/retrieval/index.ts';

export interface Excerpt {
  docId: string;
  title: string;
  text: string;
  date?: string;
}

export function passagesOf(excerpts: Excerpt[]): { retrieved: RetrievedChunk[]; stats: TermStats } {
  const retrieved: RetrievedChunk[] = [];
  const df = new Map<string, number>();
  for (const excerpt of excerpts) {
    const chunks: ChunkRecord[] = chunkDocument(excerpt.docId, cleanText(excerpt.text));
    const document: DocumentRecord = {
      docId: excerpt.docId,
      file: excerpt.docId,
      hash: '',
      textHash: '',
      title: excerpt.title,
      ...(excerpt.date ? { date: excerpt.date } : {}),
      chunkCount: chunks.length,
      firstChunk: retrieved.length,
    };
    for (const chunk of chunks) {
      for (const token of new Set(tokenize(chunkSearchText(document.title, chunk)))) df.set(token, (df.get(token) ?? 0) + 1);
      retrieved.push({ ordinal: retrieved.length, chunk, document, score: 1 - retrieved.length / 100, keywordScore: 1, vectorSimilarity: 0 });
    }
  }
  return { retrieved, stats: { chunkCount: retrieved.length, df: (token) => df.get(token) ?? 0 } };
}
