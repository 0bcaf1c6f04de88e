/** @module What a loader returns: the document's text and what the file itself says about it. */

/** Metadata a file states about itself (a page's <meta>, Word's core properties, front matter). */
export interface FoundMetadata {
  title?: string;
  issuer?: string;
  /** 文号, e.g. 国发〔2021〕36号. */
  docNumber?: string;
  /** Publication date, YYYY-MM-DD; YYYY-MM when the file names only the month (as the manifest may give a year). */
  date?: string;
}

export interface LoadedText {
  text: string;
  /** Encoding for text formats, the container format otherwise. */
  format: string;
  metadata?: FoundMetadata;
}

export type Loader = (buffer: Buffer, fileName: string) => Promise<LoadedText>;
