
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHttpInstance } from '@larksuiteoapi/node-sdk';
import type { ChatQa } from '../../../../bot/chat/index.ts';
import type { LarkConnection } from '../../../../bot/chat/lark/index.ts';
import { sentText, startFakeLark, type FakeLark } from '../../../fake-lark/index.ts';
import { connectTestBot, type TestBot } from '../../../helpers/lark-bot.ts';
import { freePort } from '../../../helpers/net.ts';

const ENCRYPT_KEY = 'test-encrypt-key-0123456789';
const ANSWER = '知识库中没有找到与此相关的规定。';
const shared = { timeout: defaultHttpInstance.defaults.timeout, httpAgent: defaultHttpInstance.defaults.httpAgent, httpsAgent: defaultHttpInstance.defaults.httpsAgent };
const qa: ChatQa = {
  answer: async () => ({ answer: { refused: true, outcome: 'none', text: ANSWER, citations: [], closestDocuments: [], mode: 'extractive' }, topic: [], latencyMs: 1 }),
  refresh: async () => {},
  close: async () => {},
};

let fake: FakeLark;
let bot: TestBot;
let connection: LarkConnection;

beforeAll(async () => {
  fake = await startFakeLark();
  bot = await connectTestBot(fake, { qa, webhook: { encryptKey: ENCRYPT_KEY, port: await freePort() } });
  connection = bot.connection;
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('connectLark', () => {
  it('gives the channel its own HTTP client and leaves the SDK-wide one as it was', () => {
    expect(connection.transport.channel.rawClient.httpInstance).not.toBe(defaultHttpInstance);
    expect(defaultHttpInstance.defaults.timeout).toBe(shared.timeout);
    expect(defaultHttpInstance.defaults.httpAgent).toBe(shared.httpAgent);
    expect(defaultHttpInstance.defaults.httpsAgent).toBe(shared.httpsAgent);
  });

  it('replies to a message through that client', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '容缺承诺制是什么？' });
    const response = await fake.postWebhook(`http://127.0.0.1:${connection.port}/webhook/event`, event, { encryptKey: ENCRYPT_KEY });
    expect(response.status).toBe(200);
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === event['event'].message.message_id, 10_000);
    expect(sentText(reply)).toContain(ANSWER);
  });
});
