/**
 * @module A version's database (index.sqlite): every chunk with its vector under its ordinal,
 * and the keyword index over them (./keyword-index.ts). Ingest makes a new version by copying the
 * previous file and applying the changed documents; readers open it read-only and never write.
 */
import Database from 'better-sqlite3';
import { AppError, describeError } from './errors.ts';
import type { ChunkRecord } from './index-format.ts';
import { KEYWORD_SCHEMA, KeywordIndex } from './keyword-index.ts';

const SCHEMA = `
CREATE TABLE chunks (n INTEGER PRIMARY KEY, record TEXT NOT NULL, vector BLOB NOT NULL);
${KEYWORD_SCHEMA}`;

export class IndexStore {
  readonly db: Database.Database;
  readonly keyword: KeywordIndex;
  readonly #statements = new Map<string, Database.Statement>();

  private constructor(db: Database.Database) {
    this.db = db;
    this.keyword = new KeywordIndex(db);
  }

  /** A new, empty database at `file`, for writing. */
  static create(file: string): IndexStore {
    const db = new Database(file);
    IndexStore.#forWriting(db);
    db.exec(SCHEMA);
    return new IndexStore(db);
  }

  /**
   * An existing database. Versions are written only in staging directories, before any reader
   * sees them, so no journal is kept there: a crash leaves a staging directory that is deleted.
   */
  static open(file: string, mode: 'read' | 'write'): IndexStore {
    try {
      const db = new Database(file, { readonly: mode === 'read', fileMustExist: true });
      if (mode === 'write') IndexStore.#forWriting(db);
      return new IndexStore(db);
    } catch (cause) {
      throw new AppError('index_corrupt', `索引数据库 ${file} 无法打开（${describeError(cause)}）；请重新运行 npm run ingest`, { cause });
    }
  }

  static #forWriting(db: Database.Database): void {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` in one transaction: one commit instead of one per row. */
  transaction(work: () => void): void {
    this.db.transaction(work)();
  }

  chunkCount(): number {
    return (this.#statement('SELECT count(*) AS count FROM chunks').get() as { count: number }).count;
  }

  /** Chunks `first` … `first + count - 1`, which are one document's. */
  chunks(first: number, count: number): ChunkRecord[] {
    const rows = this.#statement('SELECT record FROM chunks WHERE n >= ? AND n < ? ORDER BY n').all(first, first + count) as { record: string }[];
    return rows.map((row) => JSON.parse(row.record) as ChunkRecord);
  }

  /** Chunk `n`, or undefined for an ordinal of a removed document. */
  chunk(n: number): ChunkRecord | undefined {
    const row = this.#statement('SELECT record FROM chunks WHERE n = ?').get(n) as { record: string } | undefined;
    return row && (JSON.parse(row.record) as ChunkRecord);
  }

  /**
   * The first heading and the first `chars` characters of the text of chunks `first` …
   * `first + count - 1`: how a document opens, read by SQLite's JSON functions without parsing
   * whole records (every document's is read, a 1,000× corpus's five thousand).
   */
  openings(first: number, count: number, chars: number): { heading: string | null; text: string }[] {
    return this.#statement(
      "SELECT json_extract(record, '$.headings[0]') AS heading, substr(json_extract(record, '$.text'), 1, ?) AS text FROM chunks WHERE n >= ? AND n < ? ORDER BY n",
    ).all(chars, first, first + count) as { heading: string | null; text: string }[];
  }

  /**
   * Every chunk's heading path, by ordinal, without the rest of its record: what a lookup over
   * all chunks needs (clause numbers), read by SQLite's JSON functions so that no record is parsed.
   */
  *headings(): Generator<{ n: number; headings: string[] }> {
    const rows = this.#statement("SELECT n, json_extract(record, '$.headings') AS headings FROM chunks").iterate() as IterableIterator<{ n: number; headings: string }>;
    for (const row of rows) yield { n: row.n, headings: JSON.parse(row.headings) as string[] };
  }

  /** The vectors of chunks `first` … `first + count - 1`, one after another. */
  vectors(first: number, count: number, dimensions: number): Float32Array {
    const rows = this.#statement('SELECT vector FROM chunks WHERE n >= ? AND n < ? ORDER BY n').all(first, first + count) as { vector: Buffer }[];
    const vectors = new Float32Array(count * dimensions);
    rows.forEach((row, index) => {
      // Copied: a Float32Array view needs a 4-byte-aligned offset, which a Buffer from SQLite need not have.
      vectors.set(new Float32Array(new Uint8Array(row.vector).buffer), index * dimensions);
    });
    return vectors;
  }

  insertChunk(n: number, chunk: ChunkRecord, vector: Float32Array): void {
    this.#statement('INSERT INTO chunks (n, record, vector) VALUES (?, ?, ?)').run(n, JSON.stringify(chunk), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
  }

  deleteChunks(first: number, count: number): void {
    this.#statement('DELETE FROM chunks WHERE n >= ? AND n < ?').run(first, first + count);
  }

  close(): void {
    this.db.close();
  }
}
