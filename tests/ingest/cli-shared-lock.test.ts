/**
 * `npm run ingest` beside replicas on one PostgreSQL: it waits while a replica ingests (the store's
 * ingest lock) and runs once the lock is free, instead of writing the shared INDEX_DIR at the same time.
 * Real PostgreSQL server (tests/helpers/postgres-setup.ts), real CLI process.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openStore } from '../../bot/chat/index.ts';
import { currentIndexDir } from '../../core/index.ts';
import { DOC_ALPHA, tempDirs, writeFiles } from '../helpers/ingest.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
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

    const child = spawn('npx', ['tsx', 'ingest/cli.ts', '--knowledge', knowledge, '--index', index], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, KNOWLEDGE_DIR: '', INDEX_DIR: '', EMBEDDINGS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const waiting = new Promise<void>((resolve) =>
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        if (stderr.includes('等待其完成')) resolve();
      }),
    );
    await waiting;
    // Still waiting a moment later: nothing written while the replica holds the lock.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(child.exitCode).toBeNull();
    expect(currentIndexDir(index)).toBeUndefined();

    release();
    await replicaIngest;
    expect(await exited, stderr).toBe(0);
    expect(currentIndexDir(index)).toBeDefined();
    await replica.close();
  }, 60_000);
});
