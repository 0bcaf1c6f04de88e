/**
 * @module The keyword side of the index: a MiniSearch inverted index (BM25+) over jieba tokens.
 * Writer and reader must agree on fields and tokenizer, so both take the options from here.
 */
import MiniSearch, { type Options } from 'minisearch';
import { tokenize } from './text/tokenizer.ts';

export interface KeywordDocument {
  /** Ordinal of the chunk in chunks.json. */
  n: number;
  title: string;
  section: string;
  text: string;
}

export const KEYWORD_FIELDS = ['title', 'section', 'text'] as const;

const options: Options<KeywordDocument> = {
  idField: 'n',
  fields: [...KEYWORD_FIELDS],
  storeFields: [],
  tokenize: (text) => tokenize(text),
  // Tokens are already lower-cased and filtered by the tokenizer.
  processTerm: (term) => term,
};

export function createKeywordIndex(): MiniSearch<KeywordDocument> {
  return new MiniSearch(options);
}

export function loadKeywordIndex(json: string): MiniSearch<KeywordDocument> {
  return MiniSearch.loadJSON(json, options);
}
