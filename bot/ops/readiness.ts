/**
 * @module Readiness as a list of named probes, so another store (PostgreSQL) or dependency adds a
 * probe instead of changing the check. A probe throws (or rejects) to say "not ready", with why.
 */
import Database from 'better-sqlite3';
import { AppError, currentIndexDir, readManifest, type IndexManifest } from '../../core/index.ts';

export interface ReadinessProbe {
  name: string;
  check(): void | Promise<void>;
}

export interface ProbeResult {
  name: string;
  ok: boolean;
  /** Why it failed. */
  error?: string;
}

/** Runs every probe at once; one that takes longer than `timeoutMs` fails. */
export async function runProbes(probes: readonly ReadinessProbe[], timeoutMs = 2_000): Promise<ProbeResult[]> {
  return Promise.all(
    probes.map(async ({ name, check }): Promise<ProbeResult> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${timeoutMs} ms 内无响应`)), timeoutMs);
      });
      try {
        await Promise.race([Promise.resolve().then(check), timeout]);
        return { name, ok: true };
      } catch (error) {
        return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

/** The manifest `CURRENT` points at, read from disk (where no index holder lives in this thread). */
export function currentManifest(indexRoot: string): IndexManifest {
  const directory = currentIndexDir(indexRoot);
  if (!directory) throw new AppError('index_missing', `${indexRoot} 下还没有索引；请运行 npm run ingest`);
  return readManifest(directory);
}

export function indexProbe(manifest: () => IndexManifest | undefined): ReadinessProbe {
  return {
    name: 'index',
    check() {
      if (!manifest()) throw new AppError('index_missing', '索引未打开');
    },
  };
}

/** Lark connected; in terminal mode there is nothing to connect, so it is not a probe at all. */
export function larkProbe(connected: () => boolean): ReadinessProbe {
  return {
    name: 'lark',
    check() {
      if (!connected()) throw new Error('未连接飞书/Lark');
    },
  };
}

/**
 * The bot's SQLite file answers a query, on a read-only connection of its own: the store's
 * connection is the store's, and a probe must never write.
 */
export function sqliteProbe(file: string): ReadinessProbe {
  return {
    name: 'database',
    check() {
      const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 1_000 });
      try {
        db.prepare('SELECT count(*) FROM sqlite_master').get();
      } finally {
        db.close();
      }
    },
  };
}
