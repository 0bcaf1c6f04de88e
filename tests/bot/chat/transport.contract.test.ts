/**
 * Both chat transports against one contract (tests/helpers/contracts/transport.ts): the terminal,
 * which prints cards as text, and Lark through the real SDK channel against the fake platform.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLarkChannel } from '@larksuiteoapi/node-sdk';
import { describe } from 'vitest';
import { TerminalTransport } from '../../../bot/chat/index.ts';
import { LarkTransport } from '../../../bot/chat/lark/index.ts';
import { sentText, startFakeLark } from '../../fake-lark/index.ts';
import { runTransportContract, type TransportHarness } from '../../helpers/contracts/transport.ts';

const NO_REPLY_REFERENCE = 'the terminal prints each card below the last one; a reply carries no reference to the message it answers';
const NO_STREAMING = 'TerminalTransport does not implement the optional streamReply: the pipeline then sends only the final card';

/** The terminal prints every card in turn: the card the user sees for a message is the last text printed. */
async function terminalHarness(): Promise<TransportHarness> {
  const printed: string[] = [];
  const files = mkdtempSync(path.join(os.tmpdir(), 'terminal-attachments-'));
  let counter = 0;
  return {
    transport: new TerminalTransport((text) => printed.push(text)),
    userMessage: () => ({ messageId: `om_local_${++counter}`, chatId: 'oc_local_chat' }),
    shown: () => {
      const last = printed.at(-1);
      return last === undefined ? undefined : { text: last.trim() };
    },
    // `上传 路径`: the attachment is a local file, its key the path.
    async attach(data, fileName) {
      const file = path.join(files, `${++counter}-${fileName}`);
      writeFileSync(file, data);
      return { messageId: `om_local_${counter}`, fileKey: file };
    },
    async close() {
      rmSync(files, { recursive: true, force: true });
    },
  };
}

/** Lark: what the fake platform accepted, as the user's client would show it. */
async function larkHarness(): Promise<TransportHarness> {
  const fake = await startFakeLark();
  const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
  // Webhook transport: connect() only fetches the bot's identity, no websocket needed here.
  const channel = createLarkChannel({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.baseUrl, transport: 'webhook', webhook: { encryptKey: 'k' }, logger: quiet });
  await channel.connect();
  const userMessage = () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '一窗通办怎么办理？' });
    return { messageId: event['event'].message.message_id as string, chatId: event['event'].message.chat_id as string };
  };
  return {
    transport: new LarkTransport(channel),
    userMessage,
    shown(messageId) {
      const reply = fake.sent.find((record) => record.kind === 'reply' && record.messageId === messageId);
      if (!reply) return undefined;
      // The reply, or the last patch of it; a streamed reply shows its CardKit card's current text.
      const latest = fake.sent.filter((record) => record.messageId === messageId && (record.kind === 'reply' || record.kind === 'patch')).at(-1) ?? reply;
      return { text: sentText(latest, fake.cards), ...(reply.replyTo ? { replyTo: reply.replyTo } : {}) };
    },
    async attach(data, fileName) {
      const { messageId } = userMessage();
      const fileKey = `file_v3_${messageId}`;
      fake.addResource(messageId, fileKey, data, fileName);
      return { messageId, fileKey };
    },
    async close() {
      await channel.disconnect();
      await fake.close();
    },
  };
}

describe('TerminalTransport', () => {
  runTransportContract({
    setUp: terminalHarness,
    skip: [
      { reason: NO_REPLY_REFERENCE, cases: ['replyCard replies to the message it was given'] },
      { reason: NO_STREAMING, cases: ['streamReply replies with a card that ends on the last markdown', 'updateCard replaces a streamed reply'] },
    ],
  });
});

describe('LarkTransport', () => {
  runTransportContract({ setUp: larkHarness });
});
