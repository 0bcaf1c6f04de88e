/**
 * Lark never delivers an acknowledged event again, so the ack must wait until the bot has written
 * its claim (which keeps the message for a restart). With PostgreSQL that write is a network round
 * trip; here the store's claim is held open to make the order visible, over the real SDK's websocket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotStore, type ChatQa, type IncomingMessage } from '../../../../bot/chat/index.ts';
import { startFakeLark, type FakeLark } from '../../../fake-lark/index.ts';
import { connectTestBot, type TestBot } from '../../../helpers/lark-bot.ts';

const CLAIM_DELAY_MS = 400;
const qa: ChatQa = {
  answer: async () => ({ answer: { refused: true, outcome: 'none', text: '知识库中没有找到与此相关的规定。', citations: [], closestDocuments: [], mode: 'extractive' }, topic: [], latencyMs: 1 }),
  refresh: async () => {},
  close: async () => {},
};

let fake: FakeLark;
let bot: TestBot;
let claimWrittenAt = 0;

beforeAll(async () => {
  fake = await startFakeLark();
  const store = new BotStore(':memory:');
  const claim = store.claimMessage.bind(store);
  // A slow store: the claim is written CLAIM_DELAY_MS after it was asked for.
  store.claimMessage = async (message: IncomingMessage) => {
    await new Promise((resolve) => setTimeout(resolve, CLAIM_DELAY_MS));
    const claimed = await claim(message);
    claimWrittenAt = Date.now();
    return claimed;
  };
  bot = await connectTestBot(fake, { qa, store });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('acknowledging a message event', () => {
  it('waits until the claim is written', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '容缺承诺制是什么？' });
    const result = await fake.deliverEvent(event);
    const ackedAt = Date.now();
    expect(result.ack.code).toBe(200);
    expect(claimWrittenAt).toBeGreaterThan(0);
    expect(claimWrittenAt).toBeLessThanOrEqual(ackedAt);
    expect(result.ackMs).toBeGreaterThanOrEqual(CLAIM_DELAY_MS - 50);
  });
});
