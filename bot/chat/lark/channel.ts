/**
 * @module Lark/Feishu through the SDK's `createLarkChannel`, which already does dedup by message
 * id, the group mention policy, per-chat ordering, retries and reply fallbacks; this module only
 * adapts it to the `ChatTransport` contract and serves webhook paths when asked to.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type * as LarkSdk from '@larksuiteoapi/node-sdk';
import type { EventDispatcher, LarkChannel, NormalizedMessage } from '@larksuiteoapi/node-sdk';
import { AppError, formatSize, type Config, type Logger } from '../../../core/index.ts';
import type { ChatBot } from '../pipeline.ts';
import type { ChatTransport, IncomingMessage } from '../types.ts';

// Loaded with require(): importing this 6 MB CommonJS bundle as ESM makes Node scan it for named
// exports, which costs about 30 MB of resident memory for the life of the process.
const { Domain, adaptDefault, createLarkChannel, defaultHttpInstance } = createRequire(import.meta.url)('@larksuiteoapi/node-sdk') as typeof LarkSdk;

export const WEBHOOK_EVENT_PATH = '/webhook/event';
export const WEBHOOK_CARD_PATH = '/webhook/card';

/** Outbound calls may not hang a chat's queue; the SDK's own retries still apply on top. */
const HTTP_TIMEOUT_MS = 15_000;

function larkDomain(value: Config['LARK_DOMAIN']): string {
  if (value === 'feishu') return Domain.Feishu as unknown as string;
  if (value === 'lark') return Domain.Lark as unknown as string;
  return value.replace(/\/$/, '');
}

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

/** The SDK's logger interface, routed to ours; it must never throw (the SDK logs circular errors). */
function sdkLogger(logger: Logger) {
  const text = (parts: unknown[]) =>
    parts
      .map((part) => {
        if (part instanceof Error) return part.message;
        if (typeof part !== 'object' || part === null) return String(part);
        try {
          return JSON.stringify(part).slice(0, 500);
        } catch {
          return '[object]';
        }
      })
      .join(' ');
  return {
    error: (...parts: unknown[]) => logger.error(`lark: ${text(parts)}`),
    warn: (...parts: unknown[]) => logger.warn(`lark: ${text(parts)}`),
    info: (...parts: unknown[]) => logger.info(`lark: ${text(parts)}`),
    debug: () => {},
    trace: () => {},
  };
}

export interface LarkConnection {
  transport: LarkTransport;
  /** The webhook server's port, when serving webhooks. */
  port?: number;
  stop(): Promise<void>;
}

/**
 * Connects the bot to Lark. Order matters: handlers are registered before `connect()` so no event
 * arriving right after the handshake is lost.
 */
export async function connectLark(options: { config: Config; bot: (transport: LarkTransport) => ChatBot; logger: Logger }): Promise<LarkConnection> {
  const { config, logger } = options;
  defaultHttpInstance.defaults.timeout = HTTP_TIMEOUT_MS;
  // One TCP/TLS connection per reply would cost more than the answer itself under load.
  defaultHttpInstance.defaults.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  defaultHttpInstance.defaults.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });
  const webhook = config.LARK_TRANSPORT === 'webhook';
  const channel = createLarkChannel({
    appId: config.LARK_APP_ID!,
    appSecret: config.LARK_APP_SECRET!,
    domain: larkDomain(config.LARK_DOMAIN),
    transport: config.LARK_TRANSPORT,
    ...(webhook
      ? { webhook: { encryptKey: config.LARK_ENCRYPT_KEY!, ...(config.LARK_VERIFICATION_TOKEN ? { verificationToken: config.LARK_VERIFICATION_TOKEN } : {}) } }
      : {}),
    // Each message is its own question: keep per-chat order but do not merge quick messages.
    safety: { batch: { text: { delayMs: 0 } } },
    policy: { requireMention: true, respondToMentionAll: false, dmMode: 'open' },
    logger: sdkLogger(logger),
    handshakeTimeoutMs: 10_000,
    // The SDK's placeholder is English ("Thinking...").
    outbound: { streamInitialText: '正在查找相关政策…' },
    source: 'zhengwu-qa-bot',
  });
  const transport = new LarkTransport(channel);
  const bot = options.bot(transport);
  channel.on('message', (message) => bot.handleMessage(toIncoming(message)));
  channel.on('cardAction', (event) =>
    bot.handleCardAction({ messageId: event.messageId, chatId: event.chatId, operatorId: event.operator.openId, value: event.action.value }),
  );
  channel.on('error', (error) => logger.error('lark channel error', { code: error.code, error: error.message }));
  channel.on('reconnecting', () => logger.warn('lark websocket reconnecting'));
  channel.on('reconnected', () => logger.info('lark websocket reconnected'));

  let server: http.Server | undefined;
  try {
    await channel.connect();
    if (webhook) {
      // The SDK keeps the dispatcher private; it is the documented way to mount webhook mode.
      const dispatcher = (channel as unknown as { dispatcher: EventDispatcher }).dispatcher;
      const handlers = new Map([WEBHOOK_EVENT_PATH, WEBHOOK_CARD_PATH].map((path) => [path, adaptDefault(path, dispatcher, { autoChallenge: true })]));
      server = http.createServer((request, response) => {
        const path = (request.url ?? '').split('?')[0] ?? '';
        const handler = handlers.get(path);
        if (request.method === 'GET' && path === '/healthz') {
          response.end('ok');
        } else if (handler && request.method === 'POST') {
          // adaptDefault compares req.url exactly; a query string would leave the request hanging.
          request.url = path;
          void handler(request, response);
        } else {
          response.statusCode = 404;
          response.end();
        }
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(config.PORT, resolve);
      });
    }
  } catch (error) {
    await channel.disconnect().catch(() => {});
    throw new AppError('send_failed', `无法连接飞书/Lark（${config.LARK_DOMAIN}）：${(error as Error).message}。请检查 LARK_APP_ID / LARK_APP_SECRET / LARK_DOMAIN`, { cause: error });
  }
  const port = server ? (server.address() as AddressInfo).port : undefined;
  logger.info('connected to lark', { transport: config.LARK_TRANSPORT, bot: channel.botIdentity?.name, ...(port ? { port } : {}) });
  return {
    transport,
    ...(port ? { port } : {}),
    async stop() {
      // Stop intake first, then let accepted messages finish, then tear the channel down.
      const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      channel.rawWsClient?.close({});
      await bot.drain();
      server?.closeAllConnections();
      await closed;
      await channel.disconnect();
    },
  };
}
