/**
 * @module The keyword side of the index: an SQLite FTS5 table over jieba tokens (title, section,
 * text) and character bigrams of the text (`grams`), ranked by FTS5's bm25(), plus the document
 * frequency of every token in a plain table. It lives in the version's database file and is
 * updated chunk by chunk, so a changed document costs only its own rows.
 *
 * Text is tokenized here, in JavaScript, and stored space-joined: FTS5's `ascii` tokenizer then
 * only has to split on spaces. It treats every non-ASCII character as part of a token, so CJK
 * words stay whole, and `tokenchars` adds the ASCII punctuation jieba keeps inside tokens (2.5,
 * covid-19) and the bigram mark `~`. Quotes are left out: a token holding one is split the same
 * way when indexed and when searched, so it still matches as a phrase.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { charBigrams, tokenize } from './text/index.ts';

export interface KeywordDocument {
  /** The chunk's ordinal: its label in the vector index and its row in the chunks table. */
  n: number;
  title: string;
  section: string;
  text: string;
}

/** Column weights for bm25(), as field boosts: how much a match in each column counts. */
export interface KeywordColumnWeights {
  title: number;
  section: number;
  text: number;
  grams: number;
}

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface KeywordHit {
  /** The chunk's ordinal. */
  id: number;
  /** BM25, higher is better. */
  score: number;
}

const TOKEN_CHARS = "!#$%&()*+,-./:;<=>?@[\\]^_`{|}~";

export const KEYWORD_SCHEMA = `
CREATE VIRTUAL TABLE keyword USING fts5(title, section, text, grams, content='', tokenize="ascii tokenchars '${TOKEN_CHARS}'");
CREATE TABLE terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE passages (n INTEGER PRIMARY KEY, passage INTEGER NOT NULL);
`;

/**
 * The most a term's weight counts, relative to the lightest term. bm25() has column weights but
 * no term weights, so weights become whole multiples of the lightest (own words 1, lexicon
 * expansions 0.5 → 2 and 1).
 */
const MAX_REPEAT = 4;

function quoted(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

interface Columns {
  title: string[];
  section: string[];
  text: string[];
  grams: string[];
}

function columnsOf(document: KeywordDocument): Columns {
  return { title: tokenize(document.title), section: tokenize(document.section), text: tokenize(document.text), grams: charBigrams(document.text) };
}

/**
 * Chunks that say the same with another district's name and figures (a policy every district
 * adopted, or the benchmark's copies of one document) are one passage: their words other than
 * those of their document's title (and words holding one), figures aside. A search returns the
 * best-scoring chunk of each passage, so that a hundred copies of one passage cannot take every
 * candidate place from the passages that differ; the copy whose title names what the question
 * names scores best. Exact keys, not similarity: a copy that jieba cuts differently around the
 * other name stays a passage of its own (the 1,000× bench still shows a few).
 */
function passageKey(columns: Columns): number {
  const figuresAside = (tokens: string[]) => tokens.map((token) => token.replace(/\d+/g, '#'));
  const own = figuresAside(columns.title);
  // 唐山市委 in the text of 唐山临港新区's document is a title word too: any word holding one of two or more characters.
  const longer = own.filter((word) => word.length >= 2);
  const titleWord = (token: string) => own.includes(token) || longer.some((word) => token.includes(word));
  const words = figuresAside([...columns.section, '\n', ...columns.text]).filter((token) => !titleWord(token));
  return createHash('sha256').update(words.join(' ')).digest().readUIntBE(0, 6);
}

export class KeywordIndex {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * The best `limit` passages for any of `terms` (an OR query), by BM25 with the given column
   * weights; each passage by its best-scoring chunk.
   */
  search(terms: readonly WeightedTerm[], columns: KeywordColumnWeights, limit: number): KeywordHit[] {
    const usable = terms.filter((entry) => entry.term !== '' && entry.weight > 0);
    if (usable.length === 0 || limit <= 0) return [];
    const lightest = Math.min(...usable.map((entry) => entry.weight));
    const byRepeat = new Map<number, WeightedTerm[]>();
    for (const entry of usable) {
      const repeat = Math.min(MAX_REPEAT, Math.max(1, Math.round(entry.weight / lightest)));
      byRepeat.set(repeat, [...(byRepeat.get(repeat) ?? []), entry]);
    }
    const groups = [...byRepeat].sort(([a], [b]) => a - b);
    // One MATCH per weight, its bm25() scaled, summed per chunk: bm25() is a sum over the query's
    // phrases, so this ranks exactly as one query naming each phrase `repeat` times would, without
    // scoring every matching row once per repetition (a third of a large index's query time).
    // Materialized: bm25() works only in a query on the FTS table itself, not once flattened.
    const scored = groups.map(
      ([repeat], group) => `g${group} AS MATERIALIZED (SELECT rowid AS n, ${repeat} * bm25(keyword, ?, ?, ?, ?) AS score FROM keyword WHERE keyword MATCH ?)`,
    );
    const union = groups.map((_, group) => `SELECT n, score FROM g${group}`).join(' UNION ALL ');
    // SQLite takes a bare column of a min() aggregate from the row holding the minimum.
    const rows = this.#statement(
      `WITH ${scored.join(', ')}, hits AS (SELECT n, sum(score) AS score FROM (${union}) GROUP BY n) ` +
        'SELECT n AS id, min(score) AS score FROM hits JOIN passages USING (n) GROUP BY passage ORDER BY score LIMIT ?',
    ).all(
      ...groups.flatMap(([, entries]) => [columns.title, columns.section, columns.text, columns.grams, entries.map((entry) => quoted(entry.term)).join(' OR ')]),
      limit,
    ) as KeywordHit[];
    // FTS5's bm25() is negative, lower is better.
    return rows.map((row) => ({ id: row.id, score: -row.score }));
  }

  /** The passage a chunk belongs to (see `passageKey`): chunks of one passage say the same. */
  passageOf(n: number): number | undefined {
    const row = this.#statement('SELECT passage FROM passages WHERE n = ?').get(n) as { passage: number } | undefined;
    return row?.passage;
  }

  /** How many chunks hold `term` in any column. */
  documentFrequency(term: string): number {
    const row = this.#statement('SELECT df FROM terms WHERE term = ?').get(term) as { df: number } | undefined;
    return row?.df ?? 0;
  }

  /**
   * Indexes and unindexes chunks; document frequencies are summed in memory and written once by
   * `flush`, since a chunk holds hundreds of distinct tokens.
   */
  writer(): KeywordWriter {
    const insert = this.#statement('INSERT INTO keyword (rowid, title, section, text, grams) VALUES (?, ?, ?, ?, ?)');
    const insertPassage = this.#statement('INSERT INTO passages (n, passage) VALUES (?, ?)');
    // FTS5's 'delete' command with the values the row was added with: only then does a
    // contentless table take the row out of its BM25 statistics (row count, average lengths).
    const remove = this.#statement("INSERT INTO keyword (keyword, rowid, title, section, text, grams) VALUES ('delete', ?, ?, ?, ?, ?)");
    const removePassage = this.#statement('DELETE FROM passages WHERE n = ?');
    const upsert = this.#statement('INSERT INTO terms (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = df + excluded.df');
    const prune = this.#statement('DELETE FROM terms WHERE df <= 0');
    const delta = new Map<string, number>();
    const count = (columns: Columns, change: number) => {
      for (const token of new Set([...columns.title, ...columns.section, ...columns.text, ...columns.grams])) delta.set(token, (delta.get(token) ?? 0) + change);
    };
    return {
      add: (document) => {
        const columns = columnsOf(document);
        insert.run(document.n, columns.title.join(' '), columns.section.join(' '), columns.text.join(' '), columns.grams.join(' '));
        insertPassage.run(document.n, passageKey(columns));
        count(columns, 1);
      },
      remove: (document) => {
        const columns = columnsOf(document);
        remove.run(document.n, columns.title.join(' '), columns.section.join(' '), columns.text.join(' '), columns.grams.join(' '));
        removePassage.run(document.n);
        count(columns, -1);
      },
      flush: () => {
        for (const [term, change] of delta) if (change !== 0) upsert.run(term, change);
        prune.run();
        delta.clear();
      },
    };
  }
}

export interface KeywordWriter {
  add(document: KeywordDocument): void;
  /** `document` must be what was added under its ordinal: its tokens are counted out of the frequencies. */
  remove(document: KeywordDocument): void;
  flush(): void;
}
