/**
 * @module The keyword side of the index: a MiniSearch inverted index (BM25+) over jieba tokens,
 * plus a `grams` field of character bigrams of the text for partial and colloquial matches.
 * Writer and reader must agree on fields and tokenizer, so both take the options from here.
 */
import MiniSearch, { type Options } from 'minisearch';
import { charBigrams, tokenize } from './text/index.ts';

export interface KeywordDocument {
  /** Ordinal of the chunk in chunks.json. */
  n: number;
  title: string;
  section: string;
  text: string;
}

export const KEYWORD_FIELDS = ['title', 'section', 'text', 'grams'] as const;

const options: Options<KeywordDocument> = {
  idField: 'n',
  fields: [...KEYWORD_FIELDS],
  storeFields: [],
  // `grams` is derived from the text, not stored separately in the document.
  extractField: (document, field) => (field === 'grams' ? document.text : document[field as keyof KeywordDocument]),
  tokenize: (text, field) => (field === 'grams' ? charBigrams(text) : tokenize(text)),
  // Tokens are already lower-cased and filtered by the tokenizer.
  processTerm: (term) => term,
};

export function createKeywordIndex(): MiniSearch<KeywordDocument> {
  return new MiniSearch(options);
}

export function loadKeywordIndex(json: string): MiniSearch<KeywordDocument> {
  return MiniSearch.loadJSON(json, options);
}
