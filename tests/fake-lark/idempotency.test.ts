/**
 * The fake honours the IM API's idempotency `uuid` the way the platform documents it (the same
 * uuid within an hour is the same message), also for a request it accepts after the client gave up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@larksuiteoapi/node-sdk';
import { startFakeLark, type FakeLark } from './index.ts';

const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
let fake: FakeLark;
let client: Client;

beforeAll(async () => {
  fake = await startFakeLark();
  client = new Client({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.baseUrl, logger: quiet });
});

afterAll(() => fake?.close());

const content = JSON.stringify({ text: '你好' });
const reply = (messageId: string, uuid?: string) =>
  client.im.v1.message.reply({ path: { message_id: messageId }, data: { msg_type: 'text', content, ...(uuid ? { uuid } : {}) } });

describe('fake Lark idempotency', () => {
  it('answers a repeated reply uuid with the first message and shows it once', async () => {
    const target = fake.messageEvent({ chatType: 'p2p', text: '问' })['event'].message.message_id as string;
    const first = await reply(target, 'uuid-1');
    const again = await reply(target, 'uuid-1');
    const other = await reply(target, 'uuid-2');
    const plain = [await reply(target), await reply(target)];
    expect(again.data?.message_id).toBe(first.data?.message_id);
    expect(other.data?.message_id).not.toBe(first.data?.message_id);
    expect(plain[0]!.data?.message_id).not.toBe(plain[1]!.data?.message_id);
    expect(fake.sent.filter((record) => record.replyTo === target).map((record) => record.uuid)).toEqual(['uuid-1', 'uuid-2', undefined, undefined]);
  });

  it('dedupes a create by uuid too', async () => {
    const create = () => client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: fake.userOpenId, msg_type: 'text', content, uuid: 'uuid-create' } });
    const first = await create();
    expect((await create()).data?.message_id).toBe(first.data?.message_id);
    expect(fake.sent.filter((record) => record.kind === 'create')).toHaveLength(1);
  });

  it('keeps a held reply that the platform accepts late to one message when the client resent it', async () => {
    const target = fake.messageEvent({ chatType: 'p2p', text: '问' })['event'].message.message_id as string;
    fake.failNext('reply', { hangMs: 400 });
    const held = reply(target, 'uuid-late');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const resent = await reply(target, 'uuid-late');
    expect((await held).data?.message_id).toBe(resent.data?.message_id);
    expect(fake.sent.filter((record) => record.replyTo === target)).toHaveLength(1);
  });
});
