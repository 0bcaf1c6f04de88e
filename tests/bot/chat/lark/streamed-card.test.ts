/**
 * A streamed answer through the real SDK against the fake Lark platform: the streaming card says in
 * Chinese what is being looked up, and it and the final card that replaces it by message PATCH both
 * declare `update_multi`, which Lark requires of a card updated that way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatQa } from '../../../../bot/chat/index.ts';
import type { Answer } from '../../../../bot/answer/index.ts';
import { startFakeLark, type FakeLark } from '../../../fake-lark/index.ts';
import { connectTestBot, type TestBot } from '../../../helpers/lark-bot.ts';

const QUESTION = '技术改造有什么奖补？';
const answer: Answer = {
  refused: false,
  outcome: 'answer',
  text: '按设备投资额的 8% 给予事后奖补[1]。',
  citations: [{ n: 1, docId: 'd1', title: '技术改造奖补办法', section: '', quote: '按设备投资额的 8% 给予事后奖补', passage: '按设备投资额的 8% 给予事后奖补。' }],
  closestDocuments: [],
  mode: 'generative',
};
const qa: ChatQa = {
  answer: async (_input, options) => {
    // A model writing fast: far more partial texts than the card may take.
    for (let i = 1; i <= 40; i += 1) {
      options?.onPartial?.(answer.text.slice(0, i));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { answer, topic: [], latencyMs: 1 };
  },
  refresh: async () => {},
  close: async () => {},
};

let fake: FakeLark;
let bot: TestBot;

beforeAll(async () => {
  fake = await startFakeLark();
  bot = await connectTestBot(fake, { qa, streamAnswers: true });
  await fake.waitForWsClient();
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('a streamed answer card', () => {
  it('says what it is looking up, and declares update_multi in the streamed and the final card', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: QUESTION });
    await fake.deliverEvent(event);
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === event['event'].message.message_id, 10_000);
    const patch = await fake.waitFor((record) => record.kind === 'patch' && record.messageId === reply.messageId, 10_000);

    const created = fake.sent.find((record) => record.kind === 'card_create' && record.cardId === reply.cardId)!;
    expect(created.content.config).toMatchObject({ streaming_mode: true, update_multi: true });
    expect(JSON.stringify(created.content)).not.toMatch(/Thinking|Generating/);
    const updates = fake.sent.filter((record) => record.kind === 'card_element_content' && record.cardId === reply.cardId);
    expect(updates[0]!.content).toBe(`正在查找：${QUESTION}……`);
    // Under the per-card limit of 10 updates a second: 40 partial texts in 0.4 s made only a few updates, 100 ms or more apart.
    const times = fake.requests.filter((request) => request.path.includes(`/cards/${reply.cardId}/elements/`)).map((request) => request.at);
    expect(times.length).toBeGreaterThan(1);
    expect(times.length).toBeLessThan(10);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(99);

    expect(patch.content.config).toMatchObject({ update_multi: true, summary: { content: `答：${QUESTION}` } });
  });
});
