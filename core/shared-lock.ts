/**
 * @module The lock that serializes ingests across every process sharing one PostgreSQL database
 * (`DATABASE_URL`): the bot's replicas and the `npm run ingest` CLI. A session-level advisory lock
 * on a connection of its own, which the server releases by itself when the holder dies.
 */
import type pg from 'pg';

/** Advisory locks take a number; each name gets its own, stable across versions. */
export const advisoryLockKey = (name: string): string => `zhengwu-qa-bot:${name}`;

/**
 * Runs `work` holding the advisory lock `name` on `client`; `onWait` is told once when another
 * process holds it and this one waits. A failed unlock is reported as `false` by `released`, so
 * that the caller destroys the connection, which releases the lock too.
 */
export async function holdingAdvisoryLock<T>(
  client: Pick<pg.ClientBase, 'query'>,
  name: string,
  work: () => Promise<T>,
  options: { onWait?: () => void; released?: (unlocked: boolean) => void } = {},
): Promise<T> {
  const key = advisoryLockKey(name);
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
  if (!rows[0]?.locked) {
    options.onWait?.();
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
  }
  try {
    return await work();
  } finally {
    const unlocked = await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).then(
      () => true,
      () => false,
    );
    options.released?.(unlocked);
  }
}

/** `work` under the shared ingest lock of the database at `url`, on a connection opened for it. */
export async function withSharedIngestLock<T>(url: string, work: () => Promise<T>, onWait?: () => void): Promise<T> {
  // pg is loaded only when a database is configured: the embedded default should not carry it.
  const { default: postgres } = await import('pg');
  const client = new postgres.Client({ connectionString: url });
  await client.connect();
  try {
    return await holdingAdvisoryLock(client, 'ingest', work, onWait ? { onWait } : {});
  } finally {
    await client.end().catch(() => {});
  }
}
