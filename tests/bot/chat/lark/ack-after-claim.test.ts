/**
 * Lark never delivers an acknowledged event again, so the ack must wait until the bot has written
 * its claim (which keeps the message for a restart). With PostgreSQL that write is a network round
 * trip; here the store's claim is held open to make the order visible, over the real SDK's websocket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotStore, ChatBot, type ChatQa, type IncomingMessage } from '../../../../bot/chat/index.ts';
import { connectLark, type LarkConnection } from '../../../../bot/chat/lark/index.ts';
import { loadConfig } from '../../../../core/index.ts';
import { KnowledgeAdmin } from '../../../../ingest/index.ts';
import { startFakeLark, type FakeLark } from '../../../fake-lark/index.ts';

const CLAIM_DELAY_MS = 400;
const logger = { info() {}, warn() {}, error() {} };
const qa: ChatQa = {
  answer: async () => ({ answer: { refused: true, outcome: 'none', text: '知识库中没有找到与此相关的规定。', citations: [], closestDocuments: [], mode: 'extractive' }, topic: [], latencyMs: 1 }),
  refresh: async () => {},
  close: async () => {},
};

let fake: FakeLark;
let store: BotStore;
let connection: LarkConnection;
let claimWrittenAt = 0;

beforeAll(async () => {
  fake = await startFakeLark();
  store = new BotStore(':memory:');
  const claim = store.claimMessage.bind(store);
  // A slow store: the claim is written CLAIM_DELAY_MS after it was asked for.
  store.claimMessage = async (message: IncomingMessage) => {
    await new Promise((resolve) => setTimeout(resolve, CLAIM_DELAY_MS));
    const claimed = await claim(message);
    claimWrittenAt = Date.now();
    return claimed;
  };
  const config = loadConfig({ LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.baseUrl, LARK_TRANSPORT: 'websocket' });
  const admin = new KnowledgeAdmin({
    knowledgeDir: config.KNOWLEDGE_DIR,
    indexDir: config.INDEX_DIR,
    maxFileBytes: config.maxFileBytes,
    runIngest: () => Promise.reject(new Error('no ingest in this test')),
    onIndexSwitched: async () => {},
    logger,
  });
  connection = await connectLark({ config, logger, bot: (transport) => new ChatBot({ qa, admin, store, transport, adminIds: [], logger }) });
});

afterAll(async () => {
  await connection?.stop();
  await fake?.close();
  store?.close();
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
