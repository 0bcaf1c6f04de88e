/**
 * Two replicas of the real bot in webhook mode behind a load balancer: the platform POSTs each
 * event to one of them, some again to the other (a retry after a lost response), some to both at once.
 * They share a real PostgreSQL database, where the claims are: exactly one reply per message.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sentText, startFakeLark, type FakeLark } from '../../fake-lark/index.ts';
import { startBot, type BotProcess } from '../../helpers/bot-process.ts';
import { larkEnv } from '../../helpers/lark-bot.ts';
import { freePort } from '../../helpers/net.ts';
import { createDatabase } from '../../helpers/postgres.ts';
import { bundledWorkspace } from '../../helpers/qa.ts';
import type { Workspace } from '../../helpers/workspace.ts';

const ENCRYPT_KEY = 'replicas-encrypt-key-0123456789';

let fake: FakeLark;
let workspace: Workspace;
const replicas: { bot: BotProcess; url: string }[] = [];

beforeAll(async () => {
  fake = await startFakeLark();
  workspace = await bundledWorkspace();
  const databaseUrl = await createDatabase(inject('postgresUrl'));
  // One after the other: the first migrates the empty database.
  for (let replica = 0; replica < 2; replica++) {
    const port = await freePort();
    const bot = await startBot(workspace, { ...larkEnv(fake, { encryptKey: ENCRYPT_KEY, port }), DATABASE_URL: databaseUrl });
    replicas.push({ bot, url: `http://127.0.0.1:${port}/webhook/event` });
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(replicas.map(({ bot }) => bot.stop()));
  await fake?.close();
  workspace?.remove();
});

describe('two webhook replicas on one PostgreSQL', () => {
  it('answers each message once, whichever replica the platform posts it to, and again to the other', async () => {
    const questions = ['孵化器要建多少个？', '技术改造有什么奖补政策？', '一窗通办是什么？', '容缺承诺制是什么？', '帮助', '文档'];
    const events = questions.flatMap((text) => [fake.messageEvent({ chatType: 'p2p', text }), fake.messageEvent({ chatType: 'p2p', text })]);
    const idOf = (event: (typeof events)[number]) => event['event'].message.message_id as string;
    const statuses = await Promise.all(
      events.map(async (event, index) => {
        const first = replicas[index % 2]!;
        const other = replicas[(index + 1) % 2]!;
        const post = (replica: (typeof replicas)[number]) => fake.postWebhook(replica.url, event, { encryptKey: ENCRYPT_KEY });
        // Every third event reaches both at the same instant: the claim in the database decides.
        if (index % 3 === 1) return (await Promise.all([post(first), post(other)])).map((response) => response.status);
        const response = await post(first);
        // Every third event is posted again to the other replica, as a retry after a lost response.
        const again = index % 3 === 0 ? await post(other) : response;
        return [response.status, again.status];
      }),
    );
    expect(statuses.flat().every((status) => status === 200)).toBe(true);
    await Promise.all(events.map((event) => fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(event), 30_000)));
    // Late duplicates would come after the first replies: give them time to show.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const event of events) {
      const replies = fake.sent.filter((record) => record.kind === 'reply' && record.replyTo === idOf(event));
      expect(replies).toHaveLength(1);
      expect(sentText(replies[0]!)).not.toMatch(/出了点问题|稍后再试/);
    }
    // Each post again was turned away by the replica that got it second, from the claim in the database.
    const reposted = events.filter((_, index) => index % 3 !== 2).length;
    const turnedAway = replicas.reduce((sum, { bot }) => sum + bot.logs.filter((line) => line.includes('duplicate message ignored')).length, 0);
    expect(turnedAway).toBe(reposted);
  }, 120_000);
});
