/**
 * Proves the Lark fake against the REAL @larksuiteoapi/node-sdk: websocket long connection
 * (protobuf frames, fragmentation, acks), webhook (encryption + signature), outbound messages,
 * message resources, CardKit streaming, token checks and failure injection.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, adaptDefault, createLarkChannel } from '@larksuiteoapi/node-sdk';
import type { CardActionEvent, EventDispatcher, LarkChannel, NormalizedMessage } from '@larksuiteoapi/node-sdk';
import { sentText, startFakeLark } from './index.ts';
import type { FakeLark } from './index.ts';

/**
 * Collects SDK log lines instead of printing them: the failure-injection tests make the SDK dump
 * whole axios errors. (`LoggerLevel.fatal` can't silence it: it is 0, and the SDK's Client and
 * EventDispatcher default the level with `||`, turning fatal into info.)
 */
const sdkLog: string[] = [];
const show = (m: unknown): string => {
  if (m instanceof Error || typeof m !== 'object' || m === null) return m instanceof Error ? m.message : String(m);
  try {
    return JSON.stringify(m).slice(0, 300);
  } catch {
    return '[unserialisable]'; // axios errors are circular; a throwing logger would break the SDK call
  }
};
const collect = (level: string) => (...msg: unknown[]): void => {
  sdkLog.push(`${level}: ${msg.map(show).join(' ')}`);
};
const quietLogger = { error: collect('error'), warn: collect('warn'), info: collect('info'), debug: collect('debug'), trace: collect('trace') };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('until: timed out');
    await sleep(20);
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

describe('fake-lark over the websocket transport', () => {
  let fake: FakeLark;
  let channel: LarkChannel;
  const received: NormalizedMessage[] = [];

  beforeAll(async () => {
    fake = await startFakeLark();
    expect(fake.appId).toMatch(/^cli_[0-9a-f]{16}$/);
    channel = createLarkChannel({
      appId: fake.appId,
      appSecret: fake.appSecret,
      domain: fake.baseUrl,
      transport: 'websocket',
      logger: quietLogger,
      // No 600 ms debounce: each message gets its own handler call, still serial per chat.
      safety: { batch: { text: { delayMs: 0 } } },
    });
    channel.on('message', async (msg) => {
      received.push(msg);
      if (msg.content.startsWith('echo ')) {
        await channel.send(msg.chatId, { markdown: `**回声**：${msg.content.slice(5)}` }, { replyTo: msg.messageId });
      }
    });
    await channel.connect();
  });

  afterAll(async () => {
    await channel?.disconnect();
    await fake?.close();
  });

  it('connects: token, bot info, endpoint discovery, websocket', async () => {
    await fake.waitForWsClient(1_000);
    expect(fake.wsClientCount()).toBe(1);
    expect(channel.botIdentity).toEqual({ openId: fake.botOpenId, name: fake.botName });
    const routes = fake.requests.map((r) => r.route);
    expect(routes).toContain('token');
    expect(routes).toContain('bot_info');
    expect(routes).toContain('ws_endpoint');
    const endpoint = fake.requests.find((r) => r.route === 'ws_endpoint');
    expect(endpoint?.headers.locale).toBe('zh');
    expect(fake.requests.find((r) => r.route === 'bot_info')?.headers.authorization).toMatch(/^Bearer t-/);
  });

  it('delivers a p2p text event, gets the ack, and records the markdown reply', async () => {
    const env = fake.messageEvent({ chatType: 'p2p', text: 'echo 你好，世界' });
    const { ack, ackMs, headers } = await fake.deliverEvent(env);
    expect(ack.code).toBe(200);
    expect(ackMs).toBeLessThan(3_000); // the platform re-pushes after 3 s
    expect(Number(headers.biz_rt)).toBeLessThanOrEqual(0); // SDK 1.74 computes start - end

    const messageId: string = env.event.message.message_id;
    const reply = await fake.waitFor((r) => r.kind === 'reply' && r.replyTo === messageId);
    expect(reply.msgType).toBe('post');
    expect(reply.messageId).toMatch(/^om_/);
    expect(reply.chatId).toBe(env.event.message.chat_id);
    expect(sentText(reply)).toBe('**回声**：你好，世界');

    const msg = received.find((m) => m.messageId === messageId);
    expect(msg).toMatchObject({ chatType: 'p2p', content: 'echo 你好，世界', senderId: fake.userOpenId, mentionedBot: false });
  });

  it('reassembles a fragmented event (multi-byte text split across frames, out of order)', async () => {
    const text = `echo ${'长消息'.repeat(400)}`;
    const env = fake.messageEvent({ chatType: 'group', text, mentionBot: true });
    const { ack } = await fake.deliverEvent(env, { fragments: 7, reverseFragments: true });
    expect(ack.code).toBe(200);
    const messageId: string = env.event.message.message_id;
    const msg = await until(() => received.find((m) => m.messageId === messageId));
    expect(msg.content).toBe(text); // bot mention stripped
    expect(msg.mentionedBot).toBe(true);
    expect(msg.chatType).toBe('group');
    await fake.waitFor((r) => r.kind === 'reply' && r.replyTo === messageId);
  });

  it('drops non-event frames without an ack (SDK ignores type=card)', async () => {
    const env = fake.messageEvent({ chatType: 'p2p', text: 'never seen' });
    await expect(fake.deliverEvent(env, { frameType: 'card', ackTimeoutMs: 500 })).rejects.toThrow(/no ack/);
    // Control: an event frame in the same chat, after it on the same socket, is acked and handled.
    const control = fake.messageEvent({ chatType: 'p2p', chatId: env.event.message.chat_id, text: 'echo control' });
    expect((await fake.deliverEvent(control)).ack.code).toBe(200);
    await fake.waitFor((r) => r.kind === 'reply' && r.replyTo === control.event.message.message_id);
    expect(received.find((m) => m.messageId === env.event.message.message_id)).toBeUndefined();
  });

  it('delivers card actions over the websocket; the handler runs before the ack', async () => {
    let seen: CardActionEvent | undefined;
    channel.on('cardAction', async (evt) => {
      await sleep(50);
      seen = evt;
    });
    const env = fake.cardActionEvent({ operatorOpenId: fake.userOpenId, value: { action: 'like', n: 1 }, messageId: 'om_fake_card_msg_1', chatId: 'oc_fake_chat_1' });
    const { ack } = await fake.deliverEvent(env);
    expect(ack.code).toBe(200);
    expect(seen).toMatchObject({ messageId: 'om_fake_card_msg_1', chatId: 'oc_fake_chat_1', action: { tag: 'button', value: { action: 'like', n: 1 } } });
  });

  it('downloads a user attachment via messageResource.get', async () => {
    const data = Buffer.from('%PDF-1.7 fake pdf bytes \u00e9\u4e2d', 'utf8');
    const env = fake.messageEvent({ chatType: 'p2p', messageType: 'file', content: { file_key: 'file_v3_test_key', file_name: '政策.pdf' } });
    const messageId: string = env.event.message.message_id;
    fake.addResource(messageId, 'file_v3_test_key', data, '政策.pdf');
    await fake.deliverEvent(env);
    const msg = await until(() => received.find((m) => m.messageId === messageId));
    expect(msg.resources).toEqual([{ type: 'file', fileKey: 'file_v3_test_key', fileName: '政策.pdf' }]);

    const res = await channel.rawClient.im.v1.messageResource.get({ path: { message_id: messageId, file_key: 'file_v3_test_key' }, params: { type: 'file' } });
    expect(Buffer.compare(await readAll(res.getReadableStream()), data)).toBe(0);

    // Unknown key → platform error (HTTP 400), surfaced by axios as a rejection.
    await expect(
      channel.rawClient.im.v1.messageResource.get({ path: { message_id: messageId, file_key: 'file_v3_missing' }, params: { type: 'file' } }),
    ).rejects.toMatchObject({ response: { status: 400 } });
  });

  it('streams markdown through a CardKit card', async () => {
    const env = fake.messageEvent({ chatType: 'p2p', text: 'stream please' });
    const messageId: string = env.event.message.message_id;
    const chatId: string = env.event.message.chat_id;
    const before = fake.sent.length;
    const result = await channel.stream(
      chatId,
      {
        markdown: async (s) => {
          await s.append('第一段');
          await sleep(150);
          await s.append('，第二段');
          await sleep(150);
          await s.append('。');
        },
      },
      { replyTo: messageId },
    );
    const mine = fake.sent.slice(before);
    const created = mine.find((r) => r.kind === 'card_create');
    expect(created?.content).toMatchObject({ schema: '2.0', config: { streaming_mode: true } });
    const cardId = created?.cardId ?? '';
    const reply = mine.find((r) => r.kind === 'reply');
    expect(reply).toMatchObject({ replyTo: messageId, msgType: 'interactive', cardId, messageId: result.messageId });
    const updates = mine.filter((r) => r.kind === 'card_element_content');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.at(-1)?.content).toBe('第一段，第二段。');
    expect(updates.map((u) => u.sequence)).toEqual([...updates.map((u) => u.sequence)].sort((a, b) => (a ?? 0) - (b ?? 0)));
    const settings = mine.find((r) => r.kind === 'card_settings');
    expect(settings?.settings).toMatchObject({ config: { streaming_mode: false } });
    expect(fake.cardText(cardId)).toBe('第一段，第二段。');
    expect(sentText(reply!, fake.cards)).toBe('第一段，第二段。');
  });

  it('uploads a file and downloads it back (multipart)', async () => {
    const chatId = `oc_${'a'.repeat(32)}`;
    const data = Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 45, 45]);
    await channel.send(chatId, { file: { source: data, fileName: 'answer.bin' } });
    const upload = await fake.waitFor((r) => r.kind === 'file_upload');
    expect(upload).toMatchObject({ fileName: 'answer.bin', bytes: data.length });
    const msg = await fake.waitFor((r) => r.kind === 'create' && r.msgType === 'file');
    expect(msg).toMatchObject({ receiveId: chatId, receiveIdType: 'chat_id', content: { file_key: upload.fileKey } });
    const back = await channel.downloadResource(upload.fileKey ?? '', 'file');
    expect(Buffer.compare(back, data)).toBe(0);
  });

  it('failure injection: a vanished reply target makes the channel fall back to create', async () => {
    const env = fake.messageEvent({ chatType: 'group', text: 'x', chatId: `oc_${'b'.repeat(32)}` });
    fake.failNext('reply', { status: 400, code: 230020, msg: 'reply target gone' });
    const before = fake.sent.length;
    const { messageId } = await channel.send(`oc_${'b'.repeat(32)}`, { text: 'fallback' }, { replyTo: env.event.message.message_id });
    const mine = fake.sent.slice(before);
    expect(mine.map((r) => r.kind)).toEqual(['create']);
    expect(mine[0]).toMatchObject({ messageId, msgType: 'text', content: { text: 'fallback' } });
    const failed = fake.requests.filter((r) => r.route === 'reply').at(-1);
    expect(failed).toMatchObject({ status: 400, code: 230020 });
  });

  it('failure injection: hangMs delays, then proceeds', async () => {
    fake.failNext('create', { hangMs: 300 });
    const t0 = Date.now();
    await channel.send(`oc_${'c'.repeat(32)}`, { text: 'slow' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('reconnects after the platform drops the socket', async () => {
    fake.dropWsClients();
    await until(() => (fake.wsClientCount() === 0 ? true : undefined));
    await fake.waitForWsClient(10_000);
    const env = fake.messageEvent({ chatType: 'p2p', text: 'after reconnect' });
    const { ack } = await fake.deliverEvent(env);
    expect(ack.code).toBe(200);
  }, 20_000);

  it('with redeliverForMs, pushes an event again until a client acknowledges it (like the platform)', async () => {
    fake.dropWsClients({ refuseForMs: 1_500 });
    await until(() => (fake.wsClientCount() === 0 ? true : undefined));
    const env = fake.messageEvent({ chatType: 'p2p', text: 'pushed again' });
    await expect(fake.deliverEvent(env, { clientTimeoutMs: 100 })).rejects.toThrow(/no websocket client/);
    const { ack, pushes } = await fake.deliverEvent(env, { clientTimeoutMs: 100, redeliverForMs: 15_000 });
    expect(ack.code).toBe(200);
    expect(pushes).toBeGreaterThan(1);
    await until(() => received.find((m) => m.content === 'pushed again'));
  }, 20_000);
});

describe('fake-lark tenant tokens', () => {
  let fake: FakeLark;
  beforeAll(async () => {
    fake = await startFakeLark();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('rejects a wrong app secret at the token endpoint and calls without a valid token', async () => {
    const res = await fetch(`${fake.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ app_id: fake.appId, app_secret: 'wrong' }),
    });
    expect(await res.json()).toMatchObject({ code: 10014 });

    const client = new Client({ appId: fake.appId, appSecret: 'wrong-secret', domain: fake.baseUrl, logger: quietLogger });
    await expect(client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_x', msg_type: 'text', content: '{"text":"hi"}' } })).rejects.toThrow();
    expect(fake.sent).toHaveLength(0);
    // Control: the same call with the right secret is accepted and recorded.
    const rightClient = new Client({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.baseUrl, logger: quietLogger });
    await rightClient.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_x', msg_type: 'text', content: '{"text":"hi"}' } });
    expect(fake.sent.map((r) => r.kind)).toEqual(['create']);

    const noToken = await fetch(`${fake.baseUrl}/open-apis/bot/v3/info`);
    expect(noToken.status).toBe(400);
    expect(await noToken.json()).toMatchObject({ code: 99991661 });
    const badToken = await fetch(`${fake.baseUrl}/open-apis/bot/v3/info`, { headers: { Authorization: 'Bearer t-forged' } });
    expect(await badToken.json()).toMatchObject({ code: 99991663 });
  });

  it('endpoint discovery: device_id/service_id are not the first query parameter; bad credentials are fatal', async () => {
    const post = async (secret: string): Promise<any> =>
      (await fetch(`${fake.baseUrl}/callback/ws/endpoint`, { method: 'POST', headers: { 'Content-Type': 'application/json', locale: 'zh' }, body: JSON.stringify({ AppID: fake.appId, AppSecret: secret }) })).json();
    const okRes = await post(fake.appSecret);
    expect(okRes.code).toBe(0);
    const url = new URL(okRes.data.URL);
    expect([...url.searchParams.keys()][0]).not.toMatch(/^(device_id|service_id)$/);
    expect(url.searchParams.get('device_id')).toMatch(/^\d+$/);
    expect(okRes.data.ClientConfig).toMatchObject({ PingInterval: expect.any(Number), ReconnectCount: -1 });
    const badRes = await post('nope');
    expect(badRes.code).not.toBe(0);
    expect(badRes.code).not.toBe(1000040343); // that one the SDK would retry forever
  });

  it('a wrong app secret fails channel.connect() with not_connected (the token fetch fails first)', async () => {
    const channel = createLarkChannel({ appId: fake.appId, appSecret: 'wrong', domain: fake.baseUrl, logger: quietLogger });
    await expect(channel.connect()).rejects.toMatchObject({ code: 'not_connected' });
    expect(fake.wsClientCount()).toBe(0);
  });
});

describe('fake-lark over the webhook transport', () => {
  const encryptKey = 'fake-encrypt-key-123';
  let fake: FakeLark;
  let channel: LarkChannel;
  let server: http.Server;
  let url: string;
  const received: NormalizedMessage[] = [];

  beforeAll(async () => {
    fake = await startFakeLark();
    channel = createLarkChannel({
      appId: fake.appId,
      appSecret: fake.appSecret,
      domain: fake.baseUrl,
      transport: 'webhook',
      webhook: { encryptKey, verificationToken: 'verification-token' },
      logger: quietLogger,
      safety: { batch: { text: { delayMs: 0 } } },
    });
    channel.on('message', async (msg) => {
      received.push(msg);
      await channel.send(msg.chatId, { text: `got ${msg.content}` }, { replyTo: msg.messageId });
    });
    await channel.connect();
    // `dispatcher` is private in the SDK's types but is what the webhook transport must mount.
    const dispatcher = (channel as unknown as { dispatcher: EventDispatcher }).dispatcher;
    server = http.createServer(adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event`;
  });

  afterAll(async () => {
    await channel?.disconnect();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await fake?.close();
  });

  it('answers the url_verification challenge', async () => {
    const res = await fake.postWebhook(url, { type: 'url_verification', challenge: 'ch-123', token: 'verification-token' }, { encryptKey });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'ch-123' });
  });

  it('runs the handler for a correctly encrypted and signed event', async () => {
    const env = fake.messageEvent({ chatType: 'p2p', text: 'webhook hello' });
    const res = await fake.postWebhook(url, env, { encryptKey });
    expect(res.status).toBe(200);
    const messageId: string = env.event.message.message_id;
    const msg = await until(() => received.find((m) => m.messageId === messageId));
    expect(msg.content).toBe('webhook hello');
    const reply = await fake.waitFor((r) => r.kind === 'reply' && r.replyTo === messageId);
    expect(reply.content).toEqual({ text: 'got webhook hello' });
  });

  it('skips the handler when the signature is forged (still HTTP 200, empty body)', async () => {
    const env = fake.messageEvent({ chatType: 'p2p', text: 'forged' });
    const res = await fake.postWebhook(url, env, { encryptKey, forgeSignature: true });
    expect(res).toEqual({ status: 200, body: '' });
    // Control: a signed event in the same chat is handled (per-chat order: after the forged one).
    const control = fake.messageEvent({ chatType: 'p2p', chatId: env.event.message.chat_id, text: 'signed' });
    expect((await fake.postWebhook(url, control, { encryptKey })).status).toBe(200);
    await fake.waitFor((r) => r.kind === 'reply' && r.replyTo === control.event.message.message_id);
    expect(received.find((m) => m.messageId === env.event.message.message_id)).toBeUndefined();
  });
});
