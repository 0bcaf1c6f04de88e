/**
 * The store's contract, against both backends: a SQLite file and a real PostgreSQL server (started
 * once per run, tests/helpers/postgres-setup.ts). Two store instances on one database stand for
 * two replicas: claims race and exactly one wins, a lease that is renewed keeps a claim, one that
 * ran out is taken over once, and answers, feedback and conversations are the same from both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BotStore, openStore, type ChatStore, type IncomingMessage } from '../../../bot/chat/index.ts';
import { appErrorOf } from '../../helpers/errors.ts';
import { freePort } from '../../helpers/net.ts';
import { createDatabase } from '../../helpers/postgres.ts';

interface Options {
  now?: () => number;
  leaseMs?: number;
}

interface Backend {
  name: 'sqlite' | 'postgres';
  /** A new, empty database; `open` opens a store (a replica) on it. */
  database(): Promise<{ open(options?: Options): Promise<ChatStore>; migrations(): Promise<number[]> }>;
}

const directories: string[] = [];
const stores: ChatStore[] = [];
afterAll(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close().catch(() => {})));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const backends: Backend[] = [
  {
    name: 'sqlite',
    async database() {
      const directory = mkdtempSync(path.join(os.tmpdir(), 'qa-store-contract-'));
      directories.push(directory);
      const file = path.join(directory, 'bot.sqlite');
      return {
        open: async (options = {}) => remember(new BotStore(file, options)),
        async migrations() {
          const db = new Database(file, { readonly: true });
          try {
            return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((row) => row.version);
          } finally {
            db.close();
          }
        },
      };
    },
  },
  {
    name: 'postgres',
    async database() {
      const databaseUrl = await createDatabase(inject('postgresUrl'));
      return {
        open: async (options = {}) => remember(await openStore({ databaseUrl, file: 'unused' }, options)),
        async migrations() {
          const client = new pg.Client({ connectionString: databaseUrl });
          await client.connect();
          try {
            return (await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((row) => row.version);
          } finally {
            await client.end();
          }
        },
      };
    },
  },
];

function remember(store: ChatStore): ChatStore {
  stores.push(store);
  return store;
}

const message = (messageId: string, text = '孵化器要建多少个？'): IncomingMessage => ({ messageId, chatId: 'oc_1', chatType: 'p2p', senderId: 'ou_1', text, contentType: 'text', resources: [] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('the $name store', (backend) => {
  it('claims a message once, also after reopening, and records its migrations once', async () => {
    const database = await backend.database();
    const first = await database.open();
    expect(await first.claimMessage(message('om_1'))).toBe(true);
    expect(await first.claimMessage(message('om_1'))).toBe(false);
    await first.finishMessage('om_1');
    await first.close();
    const second = await database.open();
    expect(await second.claimMessage(message('om_1'))).toBe(false);
    expect(await second.takeOverUnfinished()).toEqual([]);
    expect(await database.migrations()).toEqual([1, 2, 3]);
  });

  it('lets exactly one of two replicas win each message they race for', async () => {
    const database = await backend.database();
    const [a, b] = [await database.open(), await database.open()];
    const ids = Array.from({ length: 40 }, (_, index) => `om_race_${index}`);
    const results = await Promise.all(ids.flatMap((id) => [a.claimMessage(message(id)), b.claimMessage(message(id)), a.claimMessage(message(id))]));
    for (let index = 0; index < ids.length; index++) expect(results.slice(index * 3, index * 3 + 3).filter(Boolean)).toHaveLength(1);
  });

  it('keeps a claim whose owner renews its lease, and hands over one whose lease ran out exactly once', async () => {
    const database = await backend.database();
    const live = await database.open({ leaseMs: 300 });
    const other = await database.open({ leaseMs: 300 });
    expect(await live.claimMessage(message('om_live'))).toBe(true);
    // Three lease lengths later, the renewals kept it.
    await sleep(900);
    expect(await other.claimMessage(message('om_live'))).toBe(false);
    expect(await other.takeOverUnfinished()).toEqual([]);

    // An owner that stops renewing (a replica on another machine that died): its clock stands still here.
    let now = Date.now();
    const stalled = await database.open({ leaseMs: 300, now: () => now });
    const clock = { now: Date.now() };
    const [x, y] = [await database.open({ leaseMs: 300, now: () => clock.now }), await database.open({ leaseMs: 300, now: () => clock.now })];
    now -= 10_000; // its claims' leases ended long ago
    expect(await stalled.claimMessage(message('om_left', '一窗通办怎么办理？'))).toBe(true);
    expect(await stalled.claimMessage(message('om_left_2'))).toBe(true);
    const [fromX, fromY] = await Promise.all([x.takeOverUnfinished(), y.takeOverUnfinished()]);
    const taken = [...fromX, ...fromY].map((taken) => taken.messageId).sort();
    expect(taken).toEqual(['om_left', 'om_left_2']);
    expect([...fromX, ...fromY].find((taken) => taken.messageId === 'om_left')?.text).toBe('一窗通办怎么办理？');
    // Taken over: neither a redelivery nor another sweep hands it out again.
    expect(await x.claimMessage(message('om_left'))).toBe(false);
    expect(await y.claimMessage(message('om_left'))).toBe(false);
    expect(await y.takeOverUnfinished()).toEqual([]);
  });

  it('lets a redelivery take over a claim whose lease ran out', async () => {
    const database = await backend.database();
    let now = Date.now() - 60_000;
    const stalled = await database.open({ leaseMs: 1_000, now: () => now });
    expect(await stalled.claimMessage(message('om_redelivered'))).toBe(true);
    now += 500;
    const other = await database.open({ leaseMs: 1_000, now: () => now + 59_000 });
    expect(await other.claimMessage(message('om_redelivered'))).toBe(true);
    expect(await stalled.claimMessage(message('om_redelivered'))).toBe(false);
    await other.finishMessage('om_redelivered');
    expect(await other.takeOverUnfinished()).toEqual([]);
  });

  it('shares answers, feedback, statistics and the latest problems between replicas', async () => {
    const database = await backend.database();
    const [a, b] = [await database.open(), await database.open()];
    const citation = { docTitle: '文件', section: '第一条', quote: '原文' };
    await a.saveAnswer({ id: 'a1', chatId: 'oc', messageId: 'om', question: '孵化器？', answer: '答', refused: false, citations: [citation as never], note: '问题过长', understood: '孵化器由哪个部门负责？' });
    await a.saveAnswer({ id: 'a2', chatId: 'oc', messageId: 'om2', question: '没有依据的问题', answer: '', refused: true, citations: [] });
    expect(await b.getAnswer('a1')).toMatchObject({ id: 'a1', refused: false, citations: [citation], note: '问题过长', understood: '孵化器由哪个部门负责？' });
    expect(await b.getAnswer('missing')).toBeUndefined();
    await b.recordFeedback('a1', 'ou_1', 'up');
    await a.recordFeedback('a1', 'ou_1', 'down');
    await a.recordFeedback('a1', 'ou_2', 'down');
    expect(await b.stats(60_000)).toMatchObject({ questions: 2, refused: 1, helpful: 0, unhelpful: 2 });
    const problems = await a.latestProblems(5);
    expect(problems.refused.map((entry) => entry.question)).toEqual(['没有依据的问题']);
    expect(problems.unhelpful.map((entry) => entry.question)).toEqual(['孵化器？', '孵化器？']);
    expect(typeof problems.refused[0]!.at).toBe('number');
  });

  it('shares conversation turns: the latest few, fresh ones, until forgotten', async () => {
    const database = await backend.database();
    const [a, b] = [await database.open(), await database.open()];
    const bounds = { keep: 2, since: 1_000 };
    await a.addTurn('oc:ou', { question: 'q1', topic: ['x'], at: 2_000 }, bounds);
    await b.addTurn('oc:ou', { question: 'q2', topic: ['y'], at: 3_000 }, bounds);
    await a.addTurn('oc:ou', { question: 'q3', topic: ['z'], at: 4_000 }, bounds);
    await a.addTurn('oc:other', { question: 'elsewhere', topic: [], at: 4_000 }, bounds);
    expect(await b.recentTurns('oc:ou', 0, 5)).toEqual([
      { question: 'q2', topic: ['y'], at: 3_000 },
      { question: 'q3', topic: ['z'], at: 4_000 },
    ]);
    expect((await b.recentTurns('oc:ou', 3_500, 5)).map((turn) => turn.question)).toEqual(['q3']);
    await b.forgetTurns('oc:ou');
    expect(await a.recentTurns('oc:ou', 0, 5)).toEqual([]);
    expect(await a.recentTurns('oc:other', 0, 5)).toHaveLength(1);
  });
});

describe('the PostgreSQL store', () => {
  it('runs one ingest at a time across replicas', async () => {
    const databaseUrl = await createDatabase(inject('postgresUrl'));
    const [a, b] = [remember(await openStore({ databaseUrl, file: 'unused' })), remember(await openStore({ databaseUrl, file: 'unused' }))];
    const events: string[] = [];
    const ingest = (name: string) => async () => {
      events.push(`${name} start`);
      await sleep(300);
      events.push(`${name} end`);
      return name;
    };
    const first = a.withIngestLock(ingest('a'));
    await sleep(50);
    const second = b.withIngestLock(ingest('b'));
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
    // A failed ingest releases the lock too.
    await expect(a.withIngestLock(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await b.withIngestLock(async () => 'after')).toBe('after');
  });

  it('names the server without its password, and what to do, when it cannot be reached', async () => {
    const port = await freePort();
    const error = await appErrorOf(openStore({ databaseUrl: `postgres://bot:secret-password@127.0.0.1:${port}/qa`, file: 'unused' }));
    expect(error.code).toBe('store_failed');
    expect(error.message).toContain(`postgres://bot@127.0.0.1:${port}/qa`);
    expect(error.message).not.toContain('secret-password');
    expect(error.message).toContain('无法连接数据库服务');
  });

  it('says the database does not exist', async () => {
    const url = new URL(inject('postgresUrl'));
    url.pathname = '/no_such_database';
    const error = await appErrorOf(openStore({ databaseUrl: url.toString(), file: 'unused' }));
    expect(error.message).toContain('数据库不存在');
  });
});
