/** @module How an answer cites a retrieved passage. */
import { sectionPath } from '../../core/index.ts';
import type { RetrievedChunk } from '../retrieval/index.ts';
import type { Citation } from './types.ts';

/** Marker `n` for `hit`, quoting `quote` from it. */
export function citationOf(hit: RetrievedChunk, n: number, quote: string): Citation {
  const { document, chunk } = hit;
  return {
    n,
    docId: document.docId,
    title: document.title,
    section: sectionPath(chunk.headings),
    quote,
    passage: chunk.text,
    ...(document.date ? { date: document.date } : {}),
    ...(document.docNumber ? { docNumber: document.docNumber } : {}),
  };
}
