/**
 * @module The shared store: a PostgreSQL database (`DATABASE_URL`) that every replica of the bot
 * uses, so a message is answered once whichever replica Lark hands it to, and answers, feedback
 * and conversations are the same everywhere. Migrations and ingests are serialized across
 * replicas with advisory locks, which the server releases by itself when a replica's connection dies.
 */
import pg from 'pg';
import { advisoryLockKey, holdingAdvisoryLock } from '../../../core/index.ts';
import type { Driver } from './driver.ts';
import { storeError } from './errors.ts';
import { MIGRATIONS_TABLE, pendingMigrations, RECORD_MIGRATION } from './migrations.ts';
import { SqlStore, type StoreOptions } from './sql-store.ts';

/** BIGINT (epoch ms, counts) and NUMERIC (sums) come back as numbers, not strings. */
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 || oid === NUMERIC ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/** `?` placeholders (the store's SQL has no other question marks) as PostgreSQL's `$1, $2, …`. */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** The address without its password, fit for logs. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return `${parsed.protocol}//${parsed.username ? `${parsed.username}@` : ''}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

function postgresAdvice(error: unknown): string {
  const code = String((error as { code?: unknown }).code ?? '');
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', '57P01', '57P03'].includes(code) || /timeout|terminated/i.test(String((error as Error)?.message))) {
    return '无法连接数据库服务。请检查 DATABASE_URL 中的主机与端口、数据库服务是否在运行，以及网络与防火墙';
  }
  if (code === '28P01' || code === '28000') return '用户名或密码不对，或该用户无权从本机连接。请检查 DATABASE_URL 与数据库的 pg_hba.conf';
  if (code === '3D000') return '数据库不存在。请先创建它（如 createdb），或改正 DATABASE_URL 中的库名';
  if (code === '42501') return '数据库用户权限不足。请授予它在该库中建表与读写的权限';
  if (code === '53100') return '数据库服务器磁盘已满。请清理其磁盘空间';
  return '请检查数据库服务的状态与日志，以及 DATABASE_URL';
}

class PostgresDriver implements Driver {
  readonly dialect = 'postgres';
  readonly location: string;
  readonly #pool: pg.Pool;

  constructor(url: string, onIdleError: (error: Error) => void) {
    this.location = redacted(url);
    this.#pool = new pg.Pool({ connectionString: url, types, max: 10, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, application_name: 'zhengwu-qa-bot' });
    // A pooled connection that the server drops while idle must not end the process; the next query reconnects.
    this.#pool.on('error', onIdleError);
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.#pool.query(numbered(sql), params)).rows as T[];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.#pool.query(numbered(sql), params)).rowCount ?? 0;
  }

  /** In one transaction; replicas starting together wait for each other here, and the later one finds the work done. */
  async migrate(): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [advisoryLockKey('migrations')]);
      await client.query(MIGRATIONS_TABLE);
      const done = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version);
      for (const migration of pendingMigrations(done)) {
        await client.query(migration.sql('postgres'));
        await client.query(numbered(RECORD_MIGRATION), [migration.version, migration.name, Date.now()]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * A session lock on a connection of its own, held for the whole of `work`; a replica that dies
   * releases it with its connection. The ingest CLI takes the same lock (core/shared-lock.ts).
   */
  async exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw storeError('加锁于', this, error);
    }
    let locked = false;
    try {
      return await holdingAdvisoryLock(
        client,
        name,
        () => {
          locked = true;
          return work();
        },
        // A failed unlock leaves the lock on a connection we then destroy, which releases it too.
        { released: (unlocked) => client.release(!unlocked) },
      );
    } catch (error) {
      if (locked) throw error;
      client.release(true);
      throw storeError('加锁于', this, error);
    }
  }

  advice(error: unknown): string {
    return postgresAdvice(error);
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

/** Opens the PostgreSQL store and brings its schema up to date; fails with `store_failed` naming the server and what to do. */
export async function openPostgresStore(url: string, options: StoreOptions = {}): Promise<SqlStore> {
  const driver = new PostgresDriver(url, (error) => options.logger?.warn('idle database connection lost', { store: driver.location, error: error.message }));
  try {
    await driver.migrate();
  } catch (error) {
    await driver.close().catch(() => {});
    throw storeError('打开', driver, error);
  }
  return new SqlStore(driver, options);
}
