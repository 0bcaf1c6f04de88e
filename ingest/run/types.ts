/** @module What an ingest run takes, reports and passes between its steps. */
import type { IndexEmbedder } from '../../core/embeddings/index.ts';
import type { ChunkRecord, DocumentRecord } from '../../core/index.ts';

/** `duplicate`: the same text as another file, which is indexed instead (a .docx and its .txt). */
export type DocumentStatus = 'added' | 'changed' | 'unchanged' | 'removed' | 'failed' | 'duplicate';

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
  /** What was damaged in the live version, when it was rebuilt from its intact chunks and vectors. */
  repairReason?: string;
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

export interface PreparedDocument {
  record: Omit<DocumentRecord, 'firstChunk' | 'chunkCount'>;
  chunks: ChunkRecord[];
  /** The live version's record of this document, when its chunks and vectors there are reused as they are. */
  previous?: DocumentRecord;
  /** The new embeddings, for a document without `previous`. */
  vectors?: Float32Array;
  status: 'added' | 'changed' | 'unchanged';
}
