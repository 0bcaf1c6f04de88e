/** The bot's SQLite store on a real file: once-only claims, stale-claim takeover, old files upgraded. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BotStore } from '../../../bot/chat/index.ts';

const directories: string[] = [];
const file = () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'qa-store-'));
  directories.push(directory);
  return path.join(directory, 'bot.sqlite');
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('BotStore', () => {
  it('claims a message once, also across reopening the file', () => {
    const location = file();
    const first = new BotStore(location);
    expect(first.claimMessage('om_1')).toBe(true);
    expect(first.claimMessage('om_1')).toBe(false);
    first.finishMessage('om_1');
    first.close();
    const second = new BotStore(location);
    expect(second.claimMessage('om_1')).toBe(false);
    second.close();
  });

  it('lets a claim left by a worker that died be taken over after five minutes', () => {
    let now = 1_000_000;
    const store = new BotStore(file(), { now: () => now });
    expect(store.claimMessage('om_2')).toBe(true);
    now += 60_000;
    expect(store.claimMessage('om_2')).toBe(false);
    now += 5 * 60_000;
    expect(store.claimMessage('om_2')).toBe(true);
    store.finishMessage('om_2');
    now += 60 * 60_000;
    expect(store.claimMessage('om_2')).toBe(false);
    store.close();
  });

  it('adds the note and understood columns to a file from before they existed', () => {
    const location = file();
    const old = new Database(location);
    old.exec(`CREATE TABLE answers (id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, message_id TEXT NOT NULL, question TEXT NOT NULL,
      answer TEXT NOT NULL, refused INTEGER NOT NULL, citations TEXT NOT NULL, created_at INTEGER NOT NULL)`);
    old.close();
    const store = new BotStore(location);
    store.saveAnswer({ id: 'a1', chatId: 'oc', messageId: 'om', question: 'q', answer: 'a', refused: false, citations: [], note: '问题过长', understood: '孵化器由哪个部门负责？' });
    expect(store.getAnswer('a1')).toMatchObject({ note: '问题过长', understood: '孵化器由哪个部门负责？' });
    store.recordFeedback('a1', 'ou_1', 'up');
    store.recordFeedback('a1', 'ou_1', 'down');
    expect(store.stats(60_000)).toMatchObject({ questions: 1, helpful: 0, unhelpful: 1 });
    store.close();
  });
});
