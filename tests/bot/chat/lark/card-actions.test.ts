/**
 * Answer-card buttons through the real SDK's websocket against the fake Lark platform, with the
 * bot in process: in a group a vote is the voter's alone (a toast for them, per-user records, the
 * card everyone sees unchanged) and 原文 goes to the clicker privately; in a private chat the card
 * shows the vote. The toast comes back even while the chat's next answer is still being written,
 * and as the webhook's HTTP answer too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotStore, ChatQa } from '../../../../bot/chat/index.ts';
import type { Answer } from '../../../../bot/answer/index.ts';
import { sentText, startFakeLark, type FakeLark, type SentRecord } from '../../../fake-lark/index.ts';
import { connectTestBot, type TestBot } from '../../../helpers/lark-bot.ts';
import { freePort } from '../../../helpers/net.ts';

const ALICE = 'ou_alice_000000000000000000000001';
const BOB = 'ou_bob_00000000000000000000000002';
const GROUP = 'oc_group_0000000000000000000000003';
const PASSAGE = '第十二条 企业实施技术改造，设备投资额达到 500 万元以上的，按设备投资额的 8% 给予事后奖补，单个项目最高 300 万元。';
const SLOW = '一个要想很久的问题';

let releaseSlow: () => void = () => {};
const answer: Answer = {
  refused: false,
  outcome: 'answer',
  text: '设备投资额达到 500 万元以上的技术改造项目，按设备投资额的 8% 给予事后奖补[1]。',
  citations: [{ n: 1, docId: 'd1', title: '技术改造奖补办法', section: '第三章 奖补标准', quote: '按设备投资额的 8% 给予事后奖补', passage: PASSAGE }],
  closestDocuments: [],
  mode: 'extractive',
};
const qa: ChatQa = {
  answer: async (input) => {
    if (input.question === SLOW) await new Promise<void>((resolve) => (releaseSlow = resolve));
    return { answer, topic: [], latencyMs: 1 };
  },
  refresh: async () => {},
  close: async () => {},
};

let fake: FakeLark;
let bot: TestBot;
let store: BotStore;

beforeAll(async () => {
  fake = await startFakeLark();
  bot = await connectTestBot(fake, { qa });
  store = bot.store;
  await fake.waitForWsClient();
}, 30_000);

afterAll(async () => {
  releaseSlow();
  await bot?.stop();
  await fake?.close();
});

/** Asks in a chat and returns the answer card's message and its buttons' callback values by label. */
async function ask(chatType: 'p2p' | 'group', question = '技术改造有什么奖补？', sender = ALICE): Promise<{ reply: SentRecord; buttons: Map<string, Record<string, unknown>> }> {
  const event = fake.messageEvent({ chatType, text: question, senderOpenId: sender, ...(chatType === 'group' ? { chatId: GROUP, mentionBot: true } : {}) });
  await fake.deliverEvent(event);
  const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === event['event'].message.message_id, 10_000);
  const buttons = new Map<string, Record<string, unknown>>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const element = node as { tag?: unknown; text?: { content: string }; behaviors?: { value: Record<string, unknown> }[] };
    if (element.tag === 'button' && element.text && element.behaviors?.[0]) buttons.set(element.text.content, element.behaviors[0].value);
    for (const child of Object.values(element)) walk(child);
  };
  walk(reply.content);
  return { reply, buttons };
}

const click = (reply: SentRecord, operator: string, value: object) =>
  fake.deliverEvent(fake.cardActionEvent({ operatorOpenId: operator, value, messageId: reply.messageId!, chatId: reply.chatId! }));

describe('answer-card buttons over the Lark websocket', () => {
  it('in a group, answers a vote with a toast for the voter, records each voter, and leaves the shared card alone', async () => {
    const { reply, buttons } = await ask('group');
    const up = buttons.get('👍 有用')!;
    const down = buttons.get('👎 没用')!;
    expect(up['p2p']).toBeUndefined();
    const card = fake.messages.get(reply.messageId!)!.content;
    const before = fake.sent.length;

    const alice = await click(reply, ALICE, up);
    expect(alice.ack.code).toBe(200);
    expect(alice.result).toEqual({ toast: { type: 'success', content: expect.stringContaining('有用') } });
    const bob = await click(reply, BOB, down);
    expect(bob.result).toEqual({ toast: { type: 'success', content: expect.stringContaining('没用') } });

    expect(fake.sent.slice(before)).toEqual([]);
    expect(fake.messages.get(reply.messageId!)!.content).toBe(card);
    expect(await store.stats(60_000)).toMatchObject({ helpful: 1, unhelpful: 1 });
    expect((await store.latestProblems(5)).unhelpful.map((entry) => entry.question)).toEqual(['技术改造有什么奖补？']);
  });

  it('in a group, sends 原文 to the clicker privately and posts nothing into the group', async () => {
    const { reply, buttons } = await ask('group');
    const before = fake.sent.length;
    const result = await click(reply, BOB, buttons.get('📄 查看原文')!);
    expect(result.result).toEqual({ toast: { type: 'success', content: '原文已私信发给您' } });
    const sent = fake.sent.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'create', receiveIdType: 'open_id', receiveId: BOB });
    expect(sent[0]!.chatId).not.toBe(GROUP);
    expect(sentText(sent[0]!)).toContain(PASSAGE);
    expect(sentText(sent[0]!)).toContain('技术改造有什么奖补？');
    expect(fake.sent.filter((record) => record.chatId === GROUP && record.index >= before)).toEqual([]);
  });

  it('in a private chat, the vote marks the card itself', async () => {
    const { reply, buttons } = await ask('p2p');
    const up = buttons.get('👍 有用')!;
    expect(up['p2p']).toBe(true);
    const result = await click(reply, ALICE, up);
    expect(result.result).toMatchObject({ toast: { type: 'success' } });
    const patch = await fake.waitFor((record) => record.kind === 'patch' && record.messageId === reply.messageId, 5_000);
    expect(sentText(patch)).toContain('已标记有用');
  });

  it('answers a click within the callback deadline while the same chat is still waiting for an answer', async () => {
    const { reply, buttons } = await ask('group');
    const slow = fake.messageEvent({ chatType: 'group', chatId: GROUP, mentionBot: true, text: SLOW, senderOpenId: ALICE });
    await fake.deliverEvent(slow);
    const result = await click(reply, BOB, buttons.get('👍 有用')!);
    expect(result.ackMs).toBeLessThan(3_000);
    expect(result.result).toMatchObject({ toast: { type: 'success' } });
    releaseSlow();
    await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === slow['event'].message.message_id, 10_000);
  });

  it('tells the clicker when the answer behind a button is gone', async () => {
    const { reply } = await ask('group');
    const result = await click(reply, ALICE, { action: 'feedback', answerId: 'no-such-answer', vote: 'up' });
    expect(result.result).toMatchObject({ toast: { type: 'warning', content: expect.stringContaining('重新提问') } });
  });
});

describe('answer-card buttons over the Lark webhook', () => {
  const ENCRYPT_KEY = 'card-actions-encrypt-key-0123456789';
  let hook: FakeLark;
  let hookBot: TestBot;

  beforeAll(async () => {
    hook = await startFakeLark();
    hookBot = await connectTestBot(hook, { qa, webhook: { encryptKey: ENCRYPT_KEY, port: await freePort() } });
  });

  afterAll(async () => {
    await hookBot?.stop();
    await hook?.close();
  });

  it('answers the callback request with the toast', async () => {
    const event = hook.messageEvent({ chatType: 'group', chatId: GROUP, mentionBot: true, text: '技术改造有什么奖补？', senderOpenId: ALICE });
    await hook.postWebhook(`http://127.0.0.1:${hookBot.connection.port}/webhook/event`, event, { encryptKey: ENCRYPT_KEY });
    const reply = await hook.waitFor((record) => record.kind === 'reply' && record.replyTo === event['event'].message.message_id, 10_000);
    const answerId = /"answerId":"([^"]+)"/.exec(JSON.stringify(reply.content))![1]!;
    const click = hook.cardActionEvent({ operatorOpenId: BOB, value: { action: 'feedback', answerId, vote: 'up' }, messageId: reply.messageId!, chatId: GROUP });
    const response = await hook.postWebhook(`http://127.0.0.1:${hookBot.connection.port}/webhook/card`, click, { encryptKey: ENCRYPT_KEY });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ toast: { type: 'success', content: expect.stringContaining('有用') } });
    expect(await hookBot.store.stats(60_000)).toMatchObject({ helpful: 1 });
  });
});
