/**
 * Cluster mode, as the platform does it for an app holding several long connections (replicas):
 * each event goes to ONE random client, and an event a client leaves unacknowledged is delivered
 * again to another client. Real SDK channels, plus one silent client that never acknowledges.
 */
import { createLarkChannel, type LarkChannel, type NormalizedMessage } from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakeLark, type FakeLark } from './index.ts';
import { encodeFrame, FRAME_CONTROL } from './protobuf.ts';

const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

let fake: FakeLark;
const channels: LarkChannel[] = [];
/** Client id → messages its channel received. */
const received = new Map<number, NormalizedMessage[]>();
let silent: WebSocket | undefined;

async function connectChannel(): Promise<number> {
  const before = new Set(fake.wsClientIds());
  const channel = createLarkChannel({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.baseUrl, transport: 'websocket', logger: quiet, safety: { batch: { text: { delayMs: 0 } } } });
  const messages: NormalizedMessage[] = [];
  channel.on('message', async (message) => void messages.push(message));
  await channel.connect();
  channels.push(channel);
  while (!fake.wsClientIds().some((id) => !before.has(id))) await new Promise((resolve) => setTimeout(resolve, 20));
  const id = fake.wsClientIds().find((candidate) => !before.has(candidate))!;
  received.set(id, messages);
  return id;
}

/** A client that connects like the SDK (discovery, websocket, first ping) and then never acknowledges an event. */
async function connectSilentClient(): Promise<number> {
  const before = new Set(fake.wsClientIds());
  const response = await fetch(`${fake.baseUrl}/callback/ws/endpoint`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ AppID: fake.appId, AppSecret: fake.appSecret }) });
  const { data } = (await response.json()) as { data: { URL: string } };
  const ws = new WebSocket(data.URL);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const service = Number(new URL(data.URL).searchParams.get('service_id'));
  ws.send(encodeFrame({ SeqID: 0, LogID: 0, service, method: FRAME_CONTROL, headers: [{ key: 'type', value: 'ping' }], payload: Buffer.alloc(0) }));
  silent = ws;
  while (!fake.wsClientIds().some((id) => !before.has(id))) await new Promise((resolve) => setTimeout(resolve, 20));
  return fake.wsClientIds().find((candidate) => !before.has(candidate))!;
}

beforeAll(async () => {
  fake = await startFakeLark();
});

afterAll(async () => {
  silent?.terminate();
  for (const channel of channels) await channel.disconnect();
  await fake?.close();
});

describe('several clients of one app', () => {
  it('delivers each event to exactly one of them, at random', async () => {
    const ids = [await connectChannel(), await connectChannel()];
    const events = Array.from({ length: 20 }, (_, index) => fake.messageEvent({ chatType: 'p2p', text: `问题 ${index}` }));
    const results = await Promise.all(events.map((event) => fake.deliverEvent(event)));
    expect(new Set(results.map((result) => result.clientId))).toEqual(new Set(ids));
    const deadline = Date.now() + 5_000;
    const total = () => [...received.values()].reduce((sum, messages) => sum + messages.length, 0);
    while (total() < events.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const event of events) {
      const id = event['event'].message.message_id as string;
      const holders = [...received.values()].filter((messages) => messages.some((message) => message.messageId === id));
      expect(holders).toHaveLength(1);
    }
    // A client can be chosen, or left out.
    expect((await fake.deliverEvent(fake.messageEvent({ chatType: 'p2p', text: '指定' }), { toClient: ids[1] })).clientId).toBe(ids[1]);
    expect((await fake.deliverEvent(fake.messageEvent({ chatType: 'p2p', text: '排除' }), { notToClients: [ids[1]!] })).clientId).toBe(ids[0]);
  });

  it('delivers an event left unacknowledged again, to another client', async () => {
    for (const channel of channels.splice(1)) await channel.disconnect();
    while (fake.wsClientCount() > 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const [answering] = fake.wsClientIds();
    const mute = await connectSilentClient();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => fake.deliverEvent(fake.messageEvent({ chatType: 'p2p', text: '有人吗' }), { ackTimeoutMs: 300, redeliverForMs: 10_000 })),
    );
    expect(results.every((result) => result.clientId === answering && result.ack.code === 200)).toBe(true);
    // Those that went to the silent client first came to the other at the second push, never back to the silent one.
    expect(results.some((result) => result.pushes === 2)).toBe(true);
    expect(Math.max(...results.map((result) => result.pushes))).toBe(2);
    expect(fake.wsClientIds()).toContain(mute);
  });
});
