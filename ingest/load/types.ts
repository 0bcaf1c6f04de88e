/** @module What a loader returns: the document's text and what the file itself says about it. */
import type { DocumentRecord } from '../../core/index.ts';

/** Metadata a file states about itself (a page's <meta>, Word's core properties, front matter). */
export type FoundMetadata = Partial<Pick<DocumentRecord, 'title' | 'issuer' | 'docNumber' | 'date'>>;

export interface LoadedText {
  text: string;
  /** Encoding for text formats, the container format otherwise. */
  format: string;
  metadata?: FoundMetadata;
}

export type Loader = (buffer: Buffer, fileName: string) => Promise<LoadedText>;
