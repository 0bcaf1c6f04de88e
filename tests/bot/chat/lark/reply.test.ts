/**
 * Replies through the Lark transport on the real SDK against the fake platform: one message per
 * key however often it is sent, rate limits retried, refusals not retried, and a reply whose fate
 * stays unknown reported as such (never as a plain failure that would earn an error card).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLarkChannel, type LarkChannel } from '@larksuiteoapi/node-sdk';
import { createHttpInstance, LarkTransport } from '../../../../bot/chat/lark/index.ts';
import { appErrorOf } from '../../../helpers/errors.ts';
import { startFakeLark, type FakeLark } from '../../../fake-lark/index.ts';

/** Short, so a request the fake holds times out quickly. */
const TIMEOUT_MS = 300;
const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
let fake: FakeLark;
let channel: LarkChannel;
let transport: LarkTransport;

beforeAll(async () => {
  fake = await startFakeLark();
  channel = createLarkChannel({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.baseUrl,
    transport: 'webhook',
    webhook: { encryptKey: 'k' },
    logger: quiet,
    httpInstance: createHttpInstance(TIMEOUT_MS),
  });
  await channel.connect();
  transport = new LarkTransport(channel);
});

afterAll(async () => {
  await channel?.disconnect();
  await fake?.close();
});

const card = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '答复' }] } };
const userMessage = () => fake.messageEvent({ chatType: 'p2p', text: '问' })['event'].message.message_id as string;
const replies = (target: string) => fake.sent.filter((record) => record.kind === 'reply' && record.replyTo === target);
const replyRequests = (target: string) => fake.requests.filter((request) => request.route === 'reply' && request.path.includes(target));

describe('LarkTransport replies', () => {
  it('is one message per message and key, and a new one per key', async () => {
    const target = userMessage();
    const first = await transport.replyCard(target, card, 'answer');
    expect(await transport.replyCard(target, card, 'answer')).toBe(first);
    expect(await transport.replyCard(target, card, 'error')).not.toBe(first);
    expect(replies(target)).toHaveLength(2);
    expect(new Set(replies(target).map((record) => record.uuid)).size).toBe(2);
  });

  it('retries rate limits under the same uuid', async () => {
    const target = userMessage();
    fake.failNext('reply', { status: 429 });
    fake.failNext('reply', { status: 400, code: 99991400 });
    fake.failNext('reply', { status: 400, code: 230020 });
    await transport.replyCard(target, card, 'answer');
    expect(replies(target)).toHaveLength(1);
    const uuids = replyRequests(target).map((request) => request.body.uuid);
    expect(uuids).toHaveLength(4);
    expect(new Set(uuids).size).toBe(1);
  });

  it('does not retry a refusal, and reports it as a failure', async () => {
    const target = userMessage();
    fake.failNext('reply', { status: 400, code: 230001, msg: 'invalid content' });
    const error = await appErrorOf(transport.replyCard(target, card, 'answer'));
    expect(error.code).toBe('send_failed');
    expect(replyRequests(target)).toHaveLength(1);
  });

  it('resends a reply that timed out, and shows it once when the platform took both', async () => {
    const target = userMessage();
    fake.failNext('reply', { hangMs: TIMEOUT_MS + 200 });
    await transport.replyCard(target, card, 'answer');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(replyRequests(target).length).toBeGreaterThanOrEqual(2);
    expect(replies(target)).toHaveLength(1);
  });

  it('reports a reply that never got an answer as unconfirmed, not failed', async () => {
    const target = userMessage();
    fake.failNext('reply', { reset: true }, 4);
    const error = await appErrorOf(transport.replyCard(target, card, 'answer'));
    expect(error.code).toBe('reply_unconfirmed');
    expect(replyRequests(target)).toHaveLength(4);
  });
});
