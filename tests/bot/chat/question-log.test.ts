/**
 * The question log the admin console reads, against both store backends (a SQLite file and the
 * run's PostgreSQL server): entries with outcome, kind of chat, sources, latency and feedback,
 * the refused and 👎 filters, usage per day, and retention that deletes old entries but keeps
 * their days' figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Citation } from '../../../bot/answer/index.ts';
import { BotStore, openStore, type ChatStore } from '../../../bot/chat/index.ts';
import { createDatabase } from '../../helpers/postgres.ts';

const DAY = 24 * 60 * 60 * 1000;
/** Noon, local time: days are local calendar days. */
const START = new Date(2026, 10, 20, 12, 0, 0).getTime();

const directories: string[] = [];
const stores: ChatStore[] = [];
afterAll(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close().catch(() => {})));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const backends: { name: string; open(now: () => number): Promise<ChatStore> }[] = [
  {
    name: 'sqlite',
    async open(now) {
      const directory = mkdtempSync(path.join(os.tmpdir(), 'question-log-'));
      directories.push(directory);
      return new BotStore(path.join(directory, 'bot.sqlite'), { now });
    },
  },
  {
    name: 'postgres',
    async open(now) {
      return openStore({ databaseUrl: await createDatabase(inject('postgresUrl')), file: 'unused' }, { now });
    },
  },
];

const citation = (title: string, section = ''): Citation => ({ n: 1, docId: title, title, section, quote: '…', passage: '…' });

async function setup(backend: (typeof backends)[number]) {
  const clock = { now: START };
  const store = await backend.open(() => clock.now);
  stores.push(store);
  let count = 0;
  const save = async (options: { outcome: 'answer' | 'related' | 'none'; chatKind?: 'p2p' | 'group'; latencyMs?: number; citations?: Citation[]; vote?: 'up' | 'down'; question?: string }) => {
    const id = `a${++count}`;
    await store.saveAnswer({
      id,
      chatId: 'oc_1',
      messageId: `om_${id}`,
      question: options.question ?? `问题${count}`,
      answer: '…',
      refused: options.outcome !== 'answer',
      citations: options.citations ?? [],
      outcome: options.outcome,
      chatKind: options.chatKind ?? 'p2p',
      ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
    });
    if (options.vote) await store.recordFeedback(id, 'ou_user', options.vote);
    return id;
  };
  return { clock, store, save };
}

for (const backend of backends) {
  describe(`question log (${backend.name})`, () => {
    it('lists questions newest first with outcome, kind of chat, sources, latency and feedback; filters the refused and the 👎 ones', async () => {
      const { clock, store, save } = await setup(backend);
      await save({ outcome: 'answer', chatKind: 'group', latencyMs: 120, citations: [citation('甲办法', '第二章')], vote: 'up', question: '答了' });
      clock.now += 1000;
      await save({ outcome: 'related', latencyMs: 300, citations: [citation('乙办法')], vote: 'down', question: '相关' });
      clock.now += 1000;
      await save({ outcome: 'none', latencyMs: 80, question: '没有' });
      const all = await store.questions({});
      expect(all.map((entry) => entry.question)).toEqual(['没有', '相关', '答了']);
      expect(all[2]).toEqual({ id: 'a1', at: START, chatKind: 'group', question: '答了', outcome: 'answer', sources: [{ title: '甲办法', section: '第二章' }], latencyMs: 120, up: 1, down: 0 });
      expect((await store.questions({ refused: true })).map((entry) => entry.question)).toEqual(['没有', '相关']);
      expect((await store.questions({ unhelpful: true })).map((entry) => entry.question)).toEqual(['相关']);
      expect(await store.questions({ limit: 1 })).toHaveLength(1);
    });

    it('sums usage per day: outcomes, feedback, latency percentiles and the documents cited most, days without questions as zero', async () => {
      const { clock, store, save } = await setup(backend);
      for (const latencyMs of [100, 200, 300, 400]) await save({ outcome: 'answer', latencyMs, citations: [citation('甲办法'), citation('甲办法', '第三条')], vote: 'up' });
      await save({ outcome: 'none', latencyMs: 1000, vote: 'down' });
      clock.now += 2 * DAY;
      await save({ outcome: 'related', latencyMs: 50, citations: [citation('乙办法')] });
      const usage = await store.usage({ days: 3 });
      expect(usage.days.map((day) => day.questions)).toEqual([5, 0, 1]);
      expect(usage.days[0]).toMatchObject({ outcomes: { answer: 4, related: 0, none: 1 }, up: 4, down: 1, p50Ms: 300, p95Ms: 1000 });
      expect(usage.days[1]).toMatchObject({ questions: 0, outcomes: { answer: 0, related: 0, none: 0 } });
      expect(usage.days[1]?.p50Ms).toBeUndefined();
      // A document cited twice in one answer counts once for it.
      expect(usage.topDocuments).toEqual([
        { title: '甲办法', citations: 4 },
        { title: '乙办法', citations: 1 },
      ]);
      expect(usage.latency).toEqual({ p50Ms: 200, p95Ms: 1000 });
      expect((await store.usage({ days: 1 })).days.map((day) => day.questions)).toEqual([1]);
    });

    it('deletes entries older than the days kept, whole days at a time, and keeps those days in the usage figures', async () => {
      const { clock, store, save } = await setup(backend);
      await save({ outcome: 'answer', latencyMs: 100, citations: [citation('甲办法')], vote: 'up' });
      await save({ outcome: 'none', latencyMs: 300, vote: 'down' });
      clock.now += DAY;
      await save({ outcome: 'related', latencyMs: 200, citations: [citation('乙办法')] });
      clock.now += DAY;
      const before = await store.usage({ days: 3 });
      // Keep today and yesterday: the first day's two entries go.
      expect(await store.pruneQuestions(2)).toBe(2);
      expect((await store.questions({})).map((entry) => entry.outcome)).toEqual(['related']);
      expect(await store.usage({ days: 3 })).toEqual({ ...before, latency: { p50Ms: 200, p95Ms: 200 } });
      // Pruning again deletes nothing and does not count the kept day twice.
      expect(await store.pruneQuestions(2)).toBe(0);
      expect((await store.usage({ days: 3 })).days[0]).toEqual(before.days[0]);
    });
  });
}
