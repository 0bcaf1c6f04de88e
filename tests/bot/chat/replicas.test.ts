/**
 * Two replicas of the real bot (two processes) behind one Lark app, sharing a real PostgreSQL
 * database and one index folder, against the fake platform in cluster mode: each event goes to
 * one random replica and some are delivered again to the other → exactly one reply each; a
 * follow-up reaching the other replica is understood from the shared conversation; a new index
 * version written into the shared folder → both replicas answer from it without a restart; ingests
 * asked of both at once run one after the other; a replica killed mid-answer (kill -9) → the other
 * answers once its lease ran out. As root each replica runs under its own host name, as on two
 * machines, where a pid tells nothing.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sentText, startFakeLark, type FakeLark, type SentRecord } from '../../fake-lark/index.ts';
import pg from 'pg';
import { canSetHostname, startBot, type BotProcess } from '../../helpers/bot-process.ts';
import { createDatabase } from '../../helpers/postgres.ts';
import { bundledWorkspace } from '../../helpers/qa.ts';
import { buildIndex, type Workspace } from '../../helpers/workspace.ts';

const USER = 'ou_user_00000000000000000000010';
/** Short, so a dead replica's claims are taken over within seconds. */
const LEASE_SECONDS = 3;

let fake: FakeLark;
let workspace: Workspace;
let databaseUrl: string;
const replicas: BotProcess[] = [];
/** Websocket client id → the replica on it. */
const onClient = new Map<number, BotProcess>();

type MessageEvent = ReturnType<FakeLark['messageEvent']>;
const idOf = (event: MessageEvent): string => event['event'].message.message_id as string;
const repliesTo = (messageId: string): SentRecord[] => fake.sent.filter((record) => record.kind === 'reply' && record.replyTo === messageId);
const isErrorCard = (record: SentRecord): boolean => /出了点问题|稍后再试/.test(sentText(record));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const question = (text: string, chatId?: string): MessageEvent => fake.messageEvent({ chatType: 'p2p', text, senderOpenId: USER, ...(chatId ? { chatId } : {}) });
const logged = (bot: BotProcess, text: string): number => bot.logs.filter((line) => line.includes(text)).length;

async function startReplica(hostname: string): Promise<BotProcess> {
  const before = new Set(fake.wsClientIds());
  const bot = await startBot(workspace, {
    LARK_APP_ID: fake.appId,
    LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.baseUrl,
    DATABASE_URL: databaseUrl,
    CLAIM_LEASE_SECONDS: String(LEASE_SECONDS),
    ADMIN_OPEN_IDS: USER,
  }, canSetHostname ? { hostname } : {});
  while (!fake.wsClientIds().some((id) => !before.has(id))) await sleep(20);
  onClient.set(fake.wsClientIds().find((id) => !before.has(id))!, bot);
  replicas.push(bot);
  return bot;
}

const clientOf = (bot: BotProcess): number => [...onClient].find(([id, replica]) => replica === bot && fake.wsClientIds().includes(id))![0];

/** Waits until the message is marked answered in the shared database. */
async function untilDone(messageId: string, timeoutMs = 10_000): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while ((await client.query(`SELECT 1 FROM handled_messages WHERE message_id = $1 AND state = 'done'`, [messageId])).rowCount === 0) {
      if (Date.now() > deadline) throw new Error(`${messageId} not marked done`);
      await sleep(50);
    }
  } finally {
    await client.end();
  }
}

async function waitForRequest(route: string, messageId: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fake.requests.some((request) => request.route === route && request.path.includes(messageId))) {
    if (Date.now() > deadline) throw new Error(`no ${route} request for ${messageId}`);
    await sleep(20);
  }
}

beforeAll(async () => {
  fake = await startFakeLark();
  workspace = await bundledWorkspace();
  databaseUrl = await createDatabase(inject('postgresUrl'));
  // One after the other: both would otherwise migrate the empty database at once (which the advisory lock also covers).
  await startReplica('replica-a');
  await startReplica('replica-b');
}, 120_000);

afterAll(async () => {
  await Promise.all(replicas.map((bot) => (bot.child.exitCode === null && bot.child.signalCode === null ? bot.stop() : undefined)));
  await fake?.close();
  workspace?.remove();
});

describe('two replicas on one PostgreSQL', () => {
  it('answers each message once, whichever replica gets it and when the other gets it again', async () => {
    const events = ['孵化器要建多少个？', '技术改造有什么奖补政策？', '一窗通办是什么？', '容缺承诺制是什么？', '帮助', '文档'].flatMap((text) => [question(text), question(text)]);
    const redelivered = events.filter((_, index) => index % 2 === 0);
    const duplicatesBefore = replicas.map((bot) => logged(bot, 'duplicate message ignored'));
    const acks = await Promise.all(
      events.map(async (event) => {
        const first = await fake.deliverEvent(event);
        // The platform thought the ack lost and delivers the event again, to the other replica.
        if (redelivered.includes(event)) await fake.deliverEvent(event, { notToClients: [first.clientId] });
        return first.clientId;
      }),
    );
    expect(new Set(acks).size).toBe(2);
    await Promise.all(events.map((event) => fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(event), 30_000)));
    // Every redelivery has been turned away by one of the two (or the replies would be late duplicates).
    const deadline = Date.now() + 10_000;
    const duplicates = () => replicas.reduce((sum, bot, index) => sum + logged(bot, 'duplicate message ignored') - duplicatesBefore[index]!, 0);
    while (duplicates() < redelivered.length && Date.now() < deadline) await sleep(100);
    expect(duplicates()).toBe(redelivered.length);
    for (const event of events) {
      const replies = repliesTo(idOf(event));
      expect(replies).toHaveLength(1);
      expect(isErrorCard(replies[0]!)).toBe(false);
    }
    // The claims are in PostgreSQL (not in a SQLite file the two happen to share on this machine).
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const done = async () => Number((await client.query<{ count: string }>(`SELECT count(*) FROM handled_messages WHERE state = 'done'`)).rows[0]!.count);
    // A message is marked done just after its reply went out.
    while ((await done()) < events.length && Date.now() < deadline) await sleep(100);
    expect(await done()).toBe(events.length);
    await client.end();
    expect(existsSync(path.join(workspace.dataDir, 'bot.sqlite'))).toBe(false);
  }, 120_000);

  it('understands a follow-up that reaches the other replica, from the conversation the first one kept', async () => {
    const [first, second] = replicas as [BotProcess, BotProcess];
    const chatId = 'oc_follow_up_across_replicas';
    const opening = question('双创双服里孵化器要建几个？', chatId);
    await fake.deliverEvent(opening, { toClient: clientOf(first) });
    await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(opening), 20_000);
    // The conversation is kept just after the reply went out, before the message is marked done.
    await untilDone(idOf(opening));
    const followUp = question('这个由哪个部门负责？', chatId);
    await fake.deliverEvent(followUp, { toClient: clientOf(second) });
    const reply = sentText(await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(followUp), 20_000));
    expect(reply).toMatch(/按“[^”]*孵化器[^”]*”理解您的问题/);
    expect(reply).toContain('中捷产业园区');
  }, 60_000);

  it('answers from a new index version written into the shared folder, on both replicas', async () => {
    writeFileSync(
      path.join(workspace.knowledgeDir, 'xinghe-quantum-fund.md'),
      '# 关于设立星河量子产业扶持资金的通知\n\n## 一、支持标准\n\n星河量子产业扶持资金对入驻星河量子产业园的企业，每家最高补助 380 万元。\n\n## 二、受理部门\n\n星河量子产业扶持资金由星河区科技创新局负责受理。\n',
    );
    await buildIndex(workspace.knowledgeDir, workspace.indexDir);
    for (const bot of replicas) {
      const deadline = Date.now() + 20_000;
      let answered = '';
      // Each replica notices the new CURRENT on its own (it polls every 2 s).
      while (!answered.includes('380') && Date.now() < deadline) {
        const event = question('星河量子产业扶持资金每家最高补助多少？');
        await fake.deliverEvent(event, { toClient: clientOf(bot) });
        answered = sentText(await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(event), 20_000));
        if (!answered.includes('380')) await sleep(500);
      }
      expect(answered).toContain('380');
    }
  }, 90_000);

  it('runs the ingests two replicas are asked for at once one after the other, neither refused as busy', async () => {
    writeFileSync(path.join(workspace.knowledgeDir, 'xinghe-talent.md'), '# 星河区人才安居办法\n\n## 第一条\n\n星河区人才安居补贴每人每月 2600 元，由星河区人才办负责发放。\n');
    const events = replicas.map((bot) => ({ bot, event: question('重新导入', `oc_reingest_${onClient.size}_${replicas.indexOf(bot)}`) }));
    await Promise.all(events.map(({ bot, event }) => fake.deliverEvent(event, { toClient: clientOf(bot) })));
    const replies = await Promise.all(events.map(({ event }) => fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(event), 60_000)));
    const texts = replies.map((reply) => sentText(reply));
    for (const text of texts) expect(text).not.toMatch(/正在运行|稍后再试|未能/);
    // One of them found the new document; the other, waiting its turn, found nothing left to do.
    expect(texts.filter((text) => text.includes('（已启用）'))).toHaveLength(1);
    expect(texts.filter((text) => text.includes('（未变化）'))).toHaveLength(1);
  }, 90_000);

  it('answers a message whose replica was killed mid-answer, from the other replica', async () => {
    const [doomed, survivor] = replicas as [BotProcess, BotProcess];
    // The platform holds the doomed replica's reply (and then drops it) while the replica dies.
    fake.failNext('reply', { hangMs: 60_000, reset: true });
    const event = question('孵化器要建多少个？');
    const { ack, clientId } = await fake.deliverEvent(event, { toClient: clientOf(doomed) });
    expect(ack.code).toBe(200);
    expect(onClient.get(clientId)).toBe(doomed);
    await waitForRequest('reply', idOf(event));
    const killedAt = Date.now();
    await doomed.kill();
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(event), 30_000);
    // On separate machines, not before the lease ran out (renewed every second, so at least 2 s after the kill).
    if (canSetHostname) expect(Date.now() - killedAt).toBeGreaterThanOrEqual((LEASE_SECONDS - 1) * 1000 - 200);
    expect(Date.now() - killedAt).toBeLessThan((LEASE_SECONDS * 1.5 + 10) * 1000);
    expect(isErrorCard(reply)).toBe(false);
    expect(sentText(reply)).toContain('孵化器');
    expect(logged(survivor, 'answering messages left unanswered')).toBeGreaterThanOrEqual(1);
    await sleep(LEASE_SECONDS * 1000);
    expect(repliesTo(idOf(event))).toHaveLength(1);
  }, 90_000);
});
