/**
 * @module The chat's durable store: SQLite in DATA_DIR by default (one process), PostgreSQL with
 * `DATABASE_URL` (any number of replicas of the bot behind one Lark app).
 */
import { BotStore } from './sqlite.ts';
import type { StoreOptions } from './sql-store.ts';
import type { ChatStore } from './types.ts';

export { BotStore } from './sqlite.ts';
export type { ChatStore, StoredAnswer, TurnStore } from './types.ts';

/** The store `DATABASE_URL` names, else the SQLite file; resolves once it is ready to use. */
export async function openStore(where: { databaseUrl?: string | undefined; file: string }, options: StoreOptions = {}): Promise<ChatStore> {
  // pg is loaded only for PostgreSQL: the embedded default should not carry its ~15 MB.
  if (where.databaseUrl) return (await import('./postgres.ts')).openPostgresStore(where.databaseUrl, options);
  return new BotStore(where.file, options);
}
