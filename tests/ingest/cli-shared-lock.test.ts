/**
 * `npm run ingest` beside replicas on one PostgreSQL: it waits while a replica ingests (the store's
 * ingest lock) and runs once the lock is free, instead of writing the shared INDEX_DIR at the same time.
 * Real PostgreSQL server (tests/helpers/postgres-setup.ts), real CLI process.
 */
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openStore } from '../../bot/chat/index.ts';
import { currentIndexDir } from '../../core/index.ts';
import { DOC_ALPHA, tempDirs, writeFiles } from '../helpers/ingest.ts';
import { runCli } from '../helpers/cli.ts';
import { createDatabase } from '../helpers/postgres.ts';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('npm run ingest with DATABASE_URL', () => {
  it('waits for the ingest lock a replica holds, then ingests', async () => {
    const url = inject('postgresUrl');
    expect(url, 'PostgreSQL server binaries are needed: apt-get install postgresql').not.toBe('');
    const databaseUrl = await createDatabase(url);
    const root = await temp.make('ingest-lock-');
    const knowledge = path.join(root, 'knowledge');
    const index = path.join(root, 'index');
    await writeFiles(knowledge, { '企业开办.txt': DOC_ALPHA });
    const replica = await openStore({ databaseUrl, file: 'unused' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let lockTaken!: () => void;
    const taken = new Promise<void>((resolve) => (lockTaken = resolve));
    const replicaIngest = replica.withIngestLock(async () => {
      lockTaken();
      await held;
    });
    await taken;

    let finished = false;
    let waiting!: () => void;
    const waits = new Promise<void>((resolve) => (waiting = resolve));
    const cli = runCli('ingest/cli.ts', ['--knowledge', knowledge, '--index', index], { DATABASE_URL: databaseUrl, KNOWLEDGE_DIR: '', INDEX_DIR: '', EMBEDDINGS: '' }, (stderr) => {
      if (stderr.includes('等待其完成')) waiting();
    }).finally(() => (finished = true));
    // An exit before it says it waits is a failure, with the CLI's own words.
    await Promise.race([waits, cli.then((run) => Promise.reject(new Error(`the CLI exited ${run.code} without waiting: ${run.stderr}`)))]);
    // Still waiting a moment later: nothing written while the replica holds the lock.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(finished).toBe(false);
    expect(currentIndexDir(index)).toBeUndefined();

    release();
    await replicaIngest;
    const run = await cli;
    expect(run.code, run.stderr).toBe(0);
    expect(currentIndexDir(index)).toBeDefined();
    await replica.close();
  }, 60_000);
});
