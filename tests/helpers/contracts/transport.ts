/**
 * The `ChatTransport` contract: what the chat pipeline relies on when it replies, replaces a card,
 * streams an answer, or fetches an admin's upload. Each implementation comes with a harness that
 * plays the user's side: the messages to reply to, the attachments, and what the user then sees.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { ChatTransport } from '../../../bot/chat/index.ts';
import { isAppError } from '../../../core/index.ts';
import { contractCase, type Skip } from './cases.ts';

type TransportCase =
  | 'replyCard returns a new message id, and the card arrives'
  | 'replyCard replies to the message it was given'
  | 'updateCard replaces the card'
  | 'downloadAttachment returns the bytes, up to exactly maxBytes'
  | 'downloadAttachment refuses more than maxBytes with document_too_large'
  | 'streamReply replies with a card that ends on the last markdown'
  | 'updateCard replaces a streamed reply';

interface ShownCard {
  /** What the user sees of the message, as text. */
  text: string;
  /** The message it replies to, where the platform records one. */
  replyTo?: string;
}

export interface TransportHarness {
  transport: ChatTransport;
  /** A user's message for the bot to reply to. */
  userMessage(): { messageId: string; chatId: string };
  /** What the user sees now as message `messageId`; undefined when nothing arrived. */
  shown(messageId: string): ShownCard | undefined;
  /** A user's attachment holding `data`: the message that carries it and the key to fetch it by. */
  attach(data: Buffer, fileName: string): Promise<{ messageId: string; fileKey: string }>;
  close(): Promise<void>;
}

export interface TransportContract {
  setUp(): Promise<TransportHarness>;
  skip?: Skip<TransportCase>[];
}

/** A Card JSON 2.0 card showing `text`. */
function markdownCard(text: string): object {
  return { schema: '2.0', header: { title: { tag: 'plain_text', content: '政策问答' } }, body: { elements: [{ tag: 'markdown', content: text }] } };
}

/** Text and bytes that are not text, so nothing on the way may decode or re-encode them. */
const ATTACHMENT = Buffer.concat([Buffer.from('第一条 为了优化营商环境，制定本办法。\n'), Buffer.from([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0x0d, 0x0a])]);

let counter = 0;
/** Text no other card in the run shows. */
const unique = (label: string) => `${label}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

export function runTransportContract({ setUp, skip }: TransportContract): void {
  const test = contractCase(skip);

  describe('ChatTransport contract', () => {
    let harness: TransportHarness;

    beforeAll(async () => {
      harness = await setUp();
    });

    afterAll(async () => {
      await harness?.close();
    });

    /** The text of message `id` as the user sees it. */
    const seen = (id: string): string => harness.shown(id)?.text ?? '(nothing arrived)';

    const reply = async (text: string) => {
      const user = harness.userMessage();
      const id = await harness.transport.replyCard(user.messageId, markdownCard(text));
      return { user, id };
    };

    test('replyCard returns a new message id, and the card arrives', async () => {
      const first = unique('第一张卡片');
      const { user, id } = await reply(first);
      expect(typeof id).toBe('string');
      expect(id).not.toBe('');
      expect(id).not.toBe(user.messageId);
      expect(seen(id)).toContain(first);
      const second = await reply(unique('第二张卡片'));
      expect(second.id).not.toBe(id);
    });

    test('replyCard replies to the message it was given', async () => {
      const { user, id } = await reply(unique('回复'));
      expect(harness.shown(id)?.replyTo).toBe(user.messageId);
    });

    test('updateCard replaces the card', async () => {
      const before = unique('查找中');
      const after = unique('最终回答');
      const { id } = await reply(before);
      await harness.transport.updateCard(id, markdownCard(after));
      expect(seen(id)).toContain(after);
      expect(seen(id)).not.toContain(before);
    });

    test('downloadAttachment returns the bytes, up to exactly maxBytes', async () => {
      const { messageId, fileKey } = await harness.attach(ATTACHMENT, '政策.txt');
      const bytes = await harness.transport.downloadAttachment(messageId, fileKey, ATTACHMENT.length);
      expect(Buffer.compare(bytes, ATTACHMENT)).toBe(0);
    });

    test('downloadAttachment refuses more than maxBytes with document_too_large', async () => {
      const { messageId, fileKey } = await harness.attach(ATTACHMENT, '政策.txt');
      const oneByteOver = await harness.transport.downloadAttachment(messageId, fileKey, ATTACHMENT.length - 1).catch((error: unknown) => error);
      expect(isAppError(oneByteOver, 'document_too_large')).toBe(true);
      const big = await harness.attach(Buffer.alloc(256 * 1024, 0x41), 'big.txt');
      const farOver = await harness.transport.downloadAttachment(big.messageId, big.fileKey, 10 * 1024).catch((error: unknown) => error);
      expect(isAppError(farOver, 'document_too_large')).toBe(true);
    });

    test('streamReply replies with a card that ends on the last markdown', async () => {
      const { streamReply } = harness.transport;
      if (!streamReply) throw new Error('no streamReply: skip this case with a reason');
      const user = harness.userMessage();
      const last = `${unique('第一段')}，第二段。\n\n**来源**：[1]《测试办法》`;
      const updates = ['第', '第一段', last.slice(0, 12), last];
      const id = await streamReply.call(harness.transport, user.messageId, user.chatId, async (update) => {
        for (const markdown of updates) {
          update(markdown);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
      expect(id).not.toBe('');
      expect(harness.shown(id)?.replyTo).toBe(user.messageId);
      expect(seen(id)).toBe(last);
    });

    test('updateCard replaces a streamed reply', async () => {
      const { streamReply } = harness.transport;
      if (!streamReply) throw new Error('no streamReply: skip this case with a reason');
      const user = harness.userMessage();
      const streamed = unique('模型原文');
      const final = unique('核验后的回答');
      const id = await streamReply.call(harness.transport, user.messageId, user.chatId, async (update) => update(streamed));
      expect(seen(id)).toBe(streamed);
      await harness.transport.updateCard(id, markdownCard(final));
      expect(seen(id)).toContain(final);
      expect(seen(id)).not.toContain(streamed);
    });
  });
}
