/**
 * @module A version's chunk records, read from its database when a query needs them. Holding all
 * of them would cost about 1.4 KB of heap per chunk (230 MB for a 170,000-chunk index) though a
 * query reads only its candidates; the recently read ones stay cached, since a follow-up or a
 * repeated question reads the same.
 */
import { LRUCache } from 'lru-cache';
import type { ChunkRecord, DocumentRecord, IndexStore } from '../../core/index.ts';

/** Chunks kept parsed: a query reads about a hundred candidates and their neighbours. */
const CACHED_CHUNKS = 1024;

export class ChunkReader {
  readonly #store: IndexStore;
  readonly #cache: LRUCache<number, ChunkRecord>;

  constructor(store: IndexStore, capacity = CACHED_CHUNKS) {
    this.#store = store;
    this.#cache = new LRUCache({ max: capacity });
  }

  /** Chunk `ordinal`, or undefined for one of a removed document (or past the last). */
  get(ordinal: number): ChunkRecord | undefined {
    let chunk = this.#cache.get(ordinal);
    if (!chunk) {
      chunk = this.#store.chunk(ordinal);
      if (chunk) this.#cache.set(ordinal, chunk);
    }
    return chunk;
  }

  /** A document's chunks in order, read whole and not cached: one document must not evict every query's candidates. */
  ofDocument(document: Pick<DocumentRecord, 'firstChunk' | 'chunkCount'>): ChunkRecord[] {
    return this.#store.chunks(document.firstChunk, document.chunkCount);
  }

  /** The first heading and text of a document's chunks, each text cut to `chars` (at least: cut it again to count UTF-16 units). */
  openings(document: Pick<DocumentRecord, 'firstChunk' | 'chunkCount'>, chars: number): { heading: string | null; text: string }[] {
    return this.#store.openings(document.firstChunk, document.chunkCount, chars);
  }

  /** Every chunk's heading path, by ordinal, read in one pass and not cached. */
  headings(): Iterable<{ n: number; headings: string[] }> {
    return this.#store.headings();
  }
}
