/**
 * @module The little the store needs from a database, so one body of SQL serves SQLite and
 * PostgreSQL: statements with `?` placeholders and a lock held across processes. A driver is
 * handed to the store with its schema already up to date.
 */

export type Dialect = 'sqlite' | 'postgres';

export interface Driver {
  readonly dialect: Dialect;
  /** See `ChatStore.location`. */
  readonly location: string;
  /** Rows of a query (or of a statement with RETURNING). */
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs `work` while holding the lock `name` across every process using this database. */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** What the operator can do about `error`, in Chinese (a clause, no full stop). */
  advice(error: unknown): string;
  close(): Promise<void>;
}
