/**
 * @module The keyword side of the index: a MiniSearch inverted index (BM25+) over jieba tokens,
 * plus a `grams` field of character bigrams of the text for partial and colloquial matches.
 * Writer and reader must agree on fields and tokenizer, so both take the options from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import MiniSearch, { type Options } from 'minisearch';
import type SearchableMap from 'minisearch/SearchableMap';
import { AppError } from './errors.ts';
import { charBigrams, tokenize } from './text/index.ts';

export interface KeywordDocument {
  /** Ordinal of the chunk in chunks.json. */
  n: number;
  title: string;
  section: string;
  text: string;
}

const KEYWORD_FIELDS = ['title', 'section', 'text', 'grams'] as const;

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

type TermData = Map<number, Map<number, number>>;

/**
 * The same index as `createKeywordIndex()` and `addAll(documents)`, built faster. MiniSearch keeps
 * its terms in a radix tree whose lookups scan a node's children one by one, and `add` looks up
 * every token occurrence: with thousands of distinct CJK characters (and the bigram field) that
 * scan took over half the ingest time of a 100× corpus. MiniSearch has no public bulk API that
 * avoids those per-token lookups, so this is the one place that reaches into its internals: the
 * adds, which touch the private `_index` only through `fetch`, see a plain Map instead, and the
 * tree is built afterwards once per distinct term, in first-seen order (the order `add` would have
 * created them), so the tree and keyword.json come out byte for byte the same.
 * tests/core/keyword-index.test.ts fails when a MiniSearch upgrade breaks that.
 */
export function buildKeywordIndex(documents: readonly KeywordDocument[]): MiniSearch<KeywordDocument> {
  const keyword = createKeywordIndex();
  const internals = keyword as unknown as { _index?: SearchableMap<TermData> };
  const tree = termTree(internals._index);
  const terms = new Map<string, TermData>();
  const fetch = (term: string, initial: () => TermData): TermData => {
    let data = terms.get(term);
    if (data === undefined) {
      data = initial();
      terms.set(term, data);
    }
    return data;
  };
  internals._index = { fetch } as unknown as SearchableMap<TermData>;
  try {
    keyword.addAll(documents);
  } finally {
    internals._index = tree;
  }
  for (const [term, data] of terms) tree.set(term, data);
  return keyword;
}

/** A new index's private term tree, if it is still what `buildKeywordIndex` relies on. */
function termTree(tree: SearchableMap<TermData> | undefined): SearchableMap<TermData> {
  if (!tree) throw incompatibleMiniSearch('新建的索引没有 _index 字段');
  if (typeof tree.fetch !== 'function' || typeof tree.set !== 'function') throw incompatibleMiniSearch('_index 没有 fetch 或 set 方法');
  if (tree.size !== 0) throw incompatibleMiniSearch(`新建的索引的 _index.size 是 ${String(tree.size)} 而不是 0`);
  return tree;
}

function incompatibleMiniSearch(change: string): AppError {
  return new AppError(
    'dependency_incompatible',
    `minisearch ${installedMiniSearchVersion()} 与关键词索引的批量构建不兼容：${change}。` +
      'core/keyword-index.ts 的 buildKeywordIndex 依赖 MiniSearch 7 的私有字段 _index（新建时为空，有 fetch、set、size，add 只通过 fetch 访问它）；' +
      '请按新版本调整 buildKeywordIndex，或换回 minisearch 7',
  );
}

/** `minisearch/package.json` is not exported, so it is found upwards from the entry point. */
function installedMiniSearchVersion(): string {
  let directory = path.dirname(createRequire(import.meta.url).resolve('minisearch'));
  while (directory !== path.dirname(directory)) {
    const file = path.join(directory, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'minisearch' && manifest.version) return manifest.version;
    }
    directory = path.dirname(directory);
  }
  return '（版本未知）';
}
