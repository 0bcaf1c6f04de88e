/** @module `ChatTransport` on a connected `LarkChannel`: card replies, card updates, streaming, attachments. */
import type { Readable } from 'node:stream';
import type { LarkChannel, NormalizedMessage } from '@larksuiteoapi/node-sdk';
import { AppError, formatSize } from '../../../core/index.ts';
import type { ChatTransport, IncomingMessage } from '../types.ts';

export function toIncoming(message: NormalizedMessage): IncomingMessage {
  return {
    messageId: message.messageId,
    chatId: message.chatId,
    chatType: message.chatType,
    senderId: message.senderId,
    text: message.content,
    contentType: message.rawContentType,
    resources: message.resources.map((resource) => ({ type: resource.type, fileKey: resource.fileKey, ...(resource.fileName ? { fileName: resource.fileName } : {}) })),
  };
}

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

  async replyCard(messageId: string, card: object): Promise<string> {
    const result = await this.channel.send(messageId, { card }, { replyTo: messageId });
    return result.messageId;
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

  /**
   * The SDK throttles the updates and swallows a failed one (the card may then stop updating);
   * the caller replaces the card afterwards, so a stalled stream is never what the user is left with.
   */
  async streamReply(messageId: string, chatId: string, produce: (update: (markdown: string) => void) => Promise<void>): Promise<string> {
    const result = await this.channel.stream(
      chatId,
      {
        markdown: async (controller) => {
          let pending = Promise.resolve();
          await produce((markdown) => {
            pending = pending.then(() => controller.setContent(markdown));
          });
          await pending;
        },
      },
      { replyTo: messageId },
    );
    return result.messageId;
  }
}
