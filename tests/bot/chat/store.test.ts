/**
 * The bot's SQLite store on a real file: once-only claims that keep the message, takeover of a
 * dead process's claims, old files upgraded, and failures that name the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BotStore, type IncomingMessage } from '../../../bot/chat/index.ts';
import { appErrorOf } from '../../helpers/errors.ts';

const directories: string[] = [];
const file = () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'qa-store-'));
  directories.push(directory);
  return path.join(directory, 'bot.sqlite');
};
const message = (messageId: string): IncomingMessage => ({ messageId, chatId: 'oc_1', chatType: 'p2p', senderId: 'ou_1', text: '孵化器要建多少个？', contentType: 'text', resources: [] });

/** A pid no process has: a child that has already exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

/** Rewrites the owner of every claim, as if another process had made them. */
function ownClaimsBy(location: string, pid: number): void {
  const db = new Database(location);
  db.prepare('UPDATE handled_messages SET owner = ?').run(`${pid}:earlier-run`);
  db.close();
}

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('BotStore', () => {
  it('claims a message once, also across reopening the file', async () => {
    const location = file();
    const first = new BotStore(location);
    expect(await first.claimMessage(message('om_1'))).toBe(true);
    expect(await first.claimMessage(message('om_1'))).toBe(false);
    await first.finishMessage('om_1');
    await first.close();
    const second = new BotStore(location);
    expect(await second.claimMessage(message('om_1'))).toBe(false);
    await second.close();
  });

  it('lets a claim whose worker hangs be taken over after twenty minutes', async () => {
    let now = 1_000_000;
    const store = new BotStore(file(), { now: () => now });
    expect(await store.claimMessage(message('om_2'))).toBe(true);
    now += 60_000;
    expect(await store.claimMessage(message('om_2'))).toBe(false);
    // Not after five minutes: an admin's 重新导入 of a large knowledge base may take ten.
    now += 18 * 60_000;
    expect(await store.claimMessage(message('om_2'))).toBe(false);
    now += 2 * 60_000;
    expect(await store.claimMessage(message('om_2'))).toBe(true);
    await store.finishMessage('om_2');
    now += 60 * 60_000;
    expect(await store.claimMessage(message('om_2'))).toBe(false);
    await store.close();
  });

  it('adds the note and understood columns to a file from before they existed', async () => {
    const location = file();
    const old = new Database(location);
    old.exec(`CREATE TABLE answers (id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, message_id TEXT NOT NULL, question TEXT NOT NULL,
      answer TEXT NOT NULL, refused INTEGER NOT NULL, citations TEXT NOT NULL, created_at INTEGER NOT NULL)`);
    old.close();
    const store = new BotStore(location);
    await store.saveAnswer({ id: 'a1', chatId: 'oc', messageId: 'om', question: 'q', answer: 'a', refused: false, citations: [], note: '问题过长', understood: '孵化器由哪个部门负责？' });
    expect(await store.getAnswer('a1')).toMatchObject({ note: '问题过长', understood: '孵化器由哪个部门负责？' });
    await store.recordFeedback('a1', 'ou_1', 'up');
    await store.recordFeedback('a1', 'ou_1', 'down');
    expect(await store.stats(60_000)).toMatchObject({ questions: 1, helpful: 0, unhelpful: 1 });
    await store.close();
  });

  it('keeps a claimed message until it is finished, and hands it over once its process is gone', async () => {
    const location = file();
    const crashed = new BotStore(location);
    expect(await crashed.claimMessage(message('om_3'))).toBe(true);
    expect(await crashed.claimMessage(message('om_4'))).toBe(true);
    await crashed.finishMessage('om_4');
    await crashed.close();

    // A claim of a process that still runs stays with it.
    ownClaimsBy(location, process.ppid);
    const next = new BotStore(location);
    expect(await next.takeOverUnfinished()).toEqual([]);
    expect(await next.claimMessage(message('om_3'))).toBe(false);

    ownClaimsBy(location, deadPid());
    expect(await next.takeOverUnfinished()).toEqual([message('om_3')]);
    // Taken over: neither a redelivery nor another look hands it out again.
    expect(await next.claimMessage(message('om_3'))).toBe(false);
    expect(await next.takeOverUnfinished()).toEqual([]);
    await next.close();
  });

  it('lets a redelivery take over the claim of a dead process at once', async () => {
    const location = file();
    const crashed = new BotStore(location);
    expect(await crashed.claimMessage(message('om_5'))).toBe(true);
    await crashed.close();
    ownClaimsBy(location, deadPid());
    const next = new BotStore(location);
    expect(await next.claimMessage(message('om_5'))).toBe(true);
    expect(await next.claimMessage(message('om_5'))).toBe(false);
    await next.close();
  });

  it('refuses a corrupt file at start, naming it and what to do', async () => {
    const location = file();
    writeFileSync(location, 'not a database '.repeat(300));
    const error = await appErrorOf(Promise.resolve().then(() => new BotStore(location)));
    expect(error.code).toBe('store_failed');
    expect(error.message).toContain(location);
    expect(error.message).toMatch(/已损坏.*移走或改名后重启/);
  });

  it('names the file when a write fails', async () => {
    const location = file();
    await new BotStore(location).close();
    // A write the database refuses, whoever runs the test (file modes do not bind root).
    const db = new Database(location);
    db.exec(`CREATE TRIGGER full BEFORE INSERT ON handled_messages BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    db.close();
    const reopened = new BotStore(location);
    const error = await appErrorOf(reopened.claimMessage(message('om_6')));
    expect(error.code).toBe('store_failed');
    expect(error.message).toContain(location);
    await reopened.close();
  });
});
