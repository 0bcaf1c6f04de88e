/** @module `ChatTransport` on a connected `LarkChannel`: card replies, card updates, streaming, attachments. */
import type { Readable } from 'node:stream';
import type { LarkChannel } from '@larksuiteoapi/node-sdk';
import { AppError, formatSize } from '../../../core/index.ts';
import type { ChatTransport } from '../types.ts';
import { sendReply } from './reply.ts';
import { streamReply } from './stream-reply.ts';

async function readLimited(stream: Readable, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of stream) {
    const chunk = Buffer.from(part as Uint8Array);
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new AppError('document_too_large', `文件超过大小上限 ${formatSize(maxBytes)}`);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

export class LarkTransport implements ChatTransport {
  readonly channel: LarkChannel;

  constructor(channel: LarkChannel) {
    this.channel = channel;
  }

  replyCard(messageId: string, card: object, key?: string): Promise<string> {
    return sendReply(this.channel, { messageId, msgType: 'interactive', content: JSON.stringify(card), ...(key ? { key } : {}) });
  }

  updateCard(messageId: string, card: object): Promise<void> {
    return this.channel.updateCard(messageId, card);
  }

  async downloadAttachment(messageId: string, fileKey: string, maxBytes: number): Promise<Buffer> {
    // User attachments live behind the message-resource API; `downloadResource` only serves
    // files the bot uploaded itself.
    const response = await this.channel.rawClient.im.v1.messageResource.get({
      path: { message_id: messageId, file_key: fileKey },
      params: { type: 'file' },
    });
    return readLimited(response.getReadableStream(), maxBytes);
  }

  /** One stream per message, so a replayed stream is the message the first run showed. */
  streamReply(messageId: string, _chatId: string, produce: (update: (markdown: string) => void) => Promise<void>): Promise<string> {
    return streamReply(this.channel, { messageId, key: 'stream', produce });
  }

  /**
   * A direct message to an open_id, in one attempt: it is sent while the clicker waits for the
   * callback's answer, which Lark wants within 3 s.
   */
  async sendToUser(openId: string, card: object): Promise<string> {
    const response = await this.channel.rawClient.im.v1.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: openId, msg_type: 'interactive', content: JSON.stringify(card) },
    });
    const messageId = response.data?.message_id;
    if (!messageId) throw new AppError('send_failed', `私信发送失败（code ${String(response.code)}：${String(response.msg)}）`);
    return messageId;
  }
}
