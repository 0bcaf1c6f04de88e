/**
 * @module The embedded store: one SQLite file in DATA_DIR, for a bot that runs as one process.
 * better-sqlite3 is synchronous; the driver only wraps its answers in promises so the store has
 * one interface for both databases.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Driver } from './driver.ts';
import { storeError } from './errors.ts';
import { LATEST_VERSION, MIGRATIONS_TABLE, pendingMigrations, RECORD_MIGRATION } from './migrations.ts';
import { SqlStore, type StoreOptions } from './sql-store.ts';

/** What an operator can do about a store that cannot be opened or written, by SQLite's error code. */
function sqliteAdvice(error: unknown, file: string): string {
  const code = String((error as { code?: unknown }).code ?? '');
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return `文件已损坏。请停止机器人，把它（连同同名的 -wal、-shm 文件）移走或改名后重启，机器人会新建空的数据文件（已处理消息与反馈记录将丢失，可从备份恢复）`;
  }
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') return `磁盘已满。请清理 ${path.dirname(file)} 所在磁盘的空间`;
  if (code.startsWith('SQLITE_IOERR')) return `磁盘读写出错。请检查 ${path.dirname(file)} 所在磁盘的空间、权限与健康状况`;
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return `文件或所在目录不可写。请检查 DATA_DIR（${path.dirname(file)}）的权限，并确认磁盘未以只读方式挂载`;
  }
  return '请检查该文件与所在目录的权限和磁盘空间';
}

class SqliteDriver implements Driver {
  readonly dialect = 'sqlite';
  readonly location: string;
  readonly #db: Database.Database;

  constructor(file: string) {
    this.location = file;
    let opened: Database.Database | undefined;
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
      opened = new Database(file);
      this.#db = opened;
      this.#prepare();
    } catch (error) {
      opened?.close();
      throw storeError('打开', this, error);
    }
  }

  #prepare(): void {
    this.#db.pragma('journal_mode = WAL');
    // WAL with NORMAL survives a crash of this process (not a power cut) without an fsync per
    // message; better-sqlite3 is synchronous, so an fsync here would stall every chat's acks.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    // SQLite opens a write-protected file read-only without a word; this write fails there at
    // start instead of on the first message.
    this.#db.pragma(`user_version = ${LATEST_VERSION}`);
    // A damaged page would otherwise surface later, on some message, as a failure far from its cause.
    const check = this.#db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    // Synchronously, so the file is ready the moment the store exists; IMMEDIATE keeps out a second process opening it at the same time.
    this.#db.transaction(() => this.#migrate()).immediate();
  }

  #migrate(): void {
    this.#db.exec(MIGRATIONS_TABLE);
    const done = (this.#db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version);
    for (const migration of pendingMigrations(done)) {
      this.#db.exec(migration.sql('sqlite'));
      for (const [table, wanted] of Object.entries(migration.legacyColumns ?? {})) {
        const columns = new Set((this.#db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name));
        for (const column of wanted) if (!columns.has(column)) this.#db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`);
      }
      this.#db.prepare(RECORD_MIGRATION).run(migration.version, migration.name, Date.now());
    }
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.#db.prepare(sql).all(...params) as T[];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    return this.#db.prepare(sql).run(...params).changes;
  }

  /** Nothing to add: processes sharing a SQLite file share a machine, where the index folder's lock file already serializes ingests. */
  exclusive<T>(_name: string, work: () => Promise<T>): Promise<T> {
    return work();
  }

  advice(error: unknown): string {
    return sqliteAdvice(error, this.location);
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}

/**
 * The SQLite store. Opening fails at once with `store_failed` naming the file and what to do when
 * it is corrupt, read-only or on a full disk, and brings the schema up to date.
 */
export class BotStore extends SqlStore {
  constructor(file: string, options: StoreOptions = {}) {
    super(new SqliteDriver(file), options);
  }
}
