/**
 * A message the platform delivered while its chat was still busy with an earlier one: acknowledged
 * at once (the platform never pushes it again), then waiting its turn. A kill -9 in that wait must
 * not lose it, and the chat's messages are still answered in order. The real bot process over
 * the real SDK's websocket against the fake Lark platform.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FakeLark, SentRecord } from '../../fake-lark/index.ts';
import { startBot, type BotProcess } from '../../helpers/bot-process.ts';
import { larkEnv, startBotOnFakeLark, stopBotOnFakeLark } from '../../helpers/lark-bot.ts';
import type { Workspace } from '../../helpers/workspace.ts';

let fake: FakeLark;
let workspace: Workspace;
let bot: BotProcess;

const env = () => larkEnv(fake);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const repliesTo = (messageId: string): SentRecord[] => fake.sent.filter((record) => record.kind === 'reply' && record.replyTo === messageId);
const reply = (messageId: string) => fake.waitFor((record) => record.kind === 'reply' && record.replyTo === messageId, 20_000);

function question(text: string, chatId: string): { event: ReturnType<FakeLark['messageEvent']>; id: string } {
  const event = fake.messageEvent({ chatType: 'p2p', text, chatId });
  return { event, id: event['event'].message.message_id as string };
}

beforeAll(async () => {
  ({ fake, workspace, bot } = await startBotOnFakeLark(larkEnv));
}, 60_000);

afterAll(() => stopBotOnFakeLark({ bot, fake, workspace }));

it('answers a message acknowledged while its chat was busy, after a kill -9 before its turn', async () => {
  const chatId = 'oc_queued_crash';
  // The first reply is held by the platform (and lost with the connection): the chat stays busy.
  fake.failNext('reply', { hangMs: 60_000, reset: true });
  const first = question('孵化器要建多少个？', chatId);
  await fake.deliverEvent(first.event);
  while (!fake.requests.some((request) => request.route === 'reply' && request.path.includes(first.id))) await sleep(20);
  const second = question('技术改造有什么奖补政策？', chatId);
  const { ack } = await fake.deliverEvent(second.event);
  expect(ack.code).toBe(200);
  await bot.kill();
  while (fake.wsClientCount() > 0) await sleep(20);
  bot = await startBot(workspace, env());
  await fake.waitForWsClient();
  // Nothing is pushed again: both were acknowledged, so only the bot's store knows them.
  await reply(first.id);
  await reply(second.id);
  const control = question('帮助', chatId);
  await fake.deliverEvent(control.event);
  await reply(control.id);
  expect(repliesTo(first.id)).toHaveLength(1);
  expect(repliesTo(second.id)).toHaveLength(1);
}, 90_000);

it("still answers one chat's messages in their order when the first answer is slow to send", async () => {
  const chatId = 'oc_queued_order';
  fake.failNext('reply', { hangMs: 1_500 });
  const first = question('孵化器要建多少个？', chatId);
  await fake.deliverEvent(first.event);
  while (!fake.requests.some((request) => request.route === 'reply' && request.path.includes(first.id))) await sleep(20);
  const second = question('帮助', chatId);
  await fake.deliverEvent(second.event);
  const answers = [await reply(second.id), await reply(first.id)];
  expect(answers[1]!.index).toBeLessThan(answers[0]!.index);
}, 60_000);
