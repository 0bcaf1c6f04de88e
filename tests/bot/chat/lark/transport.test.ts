/**
 * The Lark transport on the real SDK against the fake platform: attachments are refused past the
 * size limit while streaming in (nothing larger is buffered).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLarkChannel, type LarkChannel } from '@larksuiteoapi/node-sdk';
import { isAppError } from '../../../../core/index.ts';
import { LarkTransport } from '../../../../bot/chat/lark/index.ts';
import { startFakeLark, type FakeLark } from '../../../fake-lark/index.ts';

let fake: FakeLark;
let channel: LarkChannel;

const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

beforeAll(async () => {
  fake = await startFakeLark();
  // Webhook transport: connect() only fetches the bot's identity, no websocket needed here.
  channel = createLarkChannel({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.baseUrl, transport: 'webhook', webhook: { encryptKey: 'k' }, logger: quiet });
  await channel.connect();
});

afterAll(async () => {
  await channel?.disconnect();
  await fake?.close();
});

describe('LarkTransport', () => {
  it('downloads a user attachment through the message-resource API', async () => {
    fake.addResource('om_small', 'file_small', Buffer.from('第一条 本条例自公布之日起施行。'), 'a.txt');
    const bytes = await new LarkTransport(channel).downloadAttachment('om_small', 'file_small', 1024);
    expect(bytes.toString()).toBe('第一条 本条例自公布之日起施行。');
  });

  it('refuses an attachment over the size limit', async () => {
    fake.addResource('om_big', 'file_big', Buffer.alloc(64 * 1024, 0x41), 'big.txt');
    const error = await new LarkTransport(channel).downloadAttachment('om_big', 'file_big', 10 * 1024).catch((caught: unknown) => caught);
    expect(isAppError(error, 'document_too_large')).toBe(true);
  });
});
