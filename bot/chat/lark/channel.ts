/**
 * @module Lark/Feishu through the SDK's `createLarkChannel`, which already does dedup by message
 * id, the group mention policy, per-chat ordering, retries and reply fallbacks; this module only
 * wires its events to the bot and owns the connection's lifetime.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventDispatcher } from '@larksuiteoapi/node-sdk';
import { AppError, type Config, type Logger } from '../../../core/index.ts';
import type { ChatBot } from '../pipeline.ts';
import { answerCardCallbacks } from './card-callbacks.ts';
import { createHttpInstance } from './http-instance.ts';
import { createLarkChannel, larkDomain, sdkLogger } from './sdk.ts';
import { sentByApp, toIncoming } from './incoming.ts';
import { LarkTransport } from './transport.ts';
import { channelDispatcher, serveWebhooks } from './webhook.ts';

/** The SDK's default `staleMessageWindowMs`: past it, the SDK would drop a message without a word. */
const SDK_STALE_WINDOW_MS = 30 * 60_000;

/**
 * How old a (re)delivered message may be and still be answered. Lark retries an unacknowledged
 * webhook event for about 7.1 h (after 15 s, 5 min, 1 h, 6 h), and after an outage the bot must
 * answer what was never answered; `ChatStore.claimMessage` keeps a redelivery from being answered
 * twice, and it remembers claims for 24 h, so the window stays well inside that.
 */
const REDELIVERY_WINDOW_MS = 12 * 60 * 60_000;

export interface LarkConnection {
  transport: LarkTransport;
  /** The webhook server's port, when serving webhooks. */
  port?: number;
  /** The websocket is up, or the webhook server listening. */
  connected(): boolean;
  stop(): Promise<void>;
}

/** Sees every push Lark delivers, by event type, and whether it was acknowledged as handled. */
export interface LarkEventObserver {
  received(eventType: string): void;
  acknowledged(eventType: string, ok: boolean): void;
}

/**
 * Both transports hand every push to the dispatcher's `invoke` and acknowledge it when that settles
 * (the websocket's response frame, the webhook's HTTP status), so wrapping it sees events and acks alike.
 */
function observeEvents(dispatcher: EventDispatcher, observer: LarkEventObserver): void {
  const invoke = dispatcher.invoke.bind(dispatcher);
  dispatcher.invoke = async (data, params) => {
    const type = (data as { header?: { event_type?: unknown } } | undefined)?.header?.event_type;
    const eventType = typeof type === 'string' ? type : 'other';
    observer.received(eventType);
    try {
      const value: unknown = await invoke(data, params);
      observer.acknowledged(eventType, true);
      return value;
    } catch (error) {
      observer.acknowledged(eventType, false);
      throw error;
    }
  };
}

/**
 * Lark never sends an acknowledged event again, and the SDK hands a message to the bot without
 * awaiting it, so the ack could leave before the bot's claim (which keeps the message for a
 * restart) is written — with PostgreSQL that is a network round trip. The ack waits for the claims
 * the event started.
 */
function ackAfterClaims(dispatcher: EventDispatcher, bot: Pick<ChatBot, 'claimsWritten'>): void {
  const invoke = dispatcher.invoke.bind(dispatcher);
  dispatcher.invoke = async (data, params) => {
    const value: unknown = await invoke(data, params);
    await bot.claimsWritten();
    return value;
  };
}

/**
 * Connects the bot to Lark. Order matters: handlers are registered before `connect()` so no event
 * arriving right after the handshake is lost.
 */
export async function connectLark(options: { config: Config; bot: (transport: LarkTransport) => ChatBot; logger: Logger; events?: LarkEventObserver }): Promise<LarkConnection> {
  const { config, logger } = options;
  const webhook = config.LARK_TRANSPORT === 'webhook';
  const channel = createLarkChannel({
    appId: config.LARK_APP_ID!,
    appSecret: config.LARK_APP_SECRET!,
    domain: larkDomain(config.LARK_DOMAIN),
    transport: config.LARK_TRANSPORT,
    ...(webhook
      ? { webhook: { encryptKey: config.LARK_ENCRYPT_KEY!, ...(config.LARK_VERIFICATION_TOKEN ? { verificationToken: config.LARK_VERIFICATION_TOKEN } : {}) } }
      : {}),
    httpInstance: createHttpInstance(),
    // Each message is its own question: keep per-chat order but do not merge quick messages.
    // The SDK acknowledges a message as soon as it is queued, and Lark never pushes it again: its
    // per-chat queue would hold acknowledged messages nobody has kept yet. The bot claims each at
    // once and keeps the chat's order itself (ChatBot.handleMessage).
    safety: { batch: { text: { delayMs: 0 } }, chatQueue: { enabled: false }, staleMessageWindowMs: REDELIVERY_WINDOW_MS },
    // For the sender's type and a post's own elements (./incoming.ts).
    includeRawEvent: true,
    policy: { requireMention: true, respondToMentionAll: false, dmMode: 'open' },
    logger: sdkLogger(logger),
    handshakeTimeoutMs: 10_000,
    source: 'zhengwu-qa-bot',
  });
  // Before connecting: an SDK that no longer exposes the dispatcher is a version problem, not a
  // connection problem, and should say so.
  const dispatcher = channelDispatcher(channel);
  const transport = new LarkTransport(channel);
  const bot = options.bot(transport);
  ackAfterClaims(dispatcher, bot);
  if (options.events) observeEvents(dispatcher, options.events);
  channel.on('message', (message) => {
    const context = { messageId: message.messageId, chatId: message.chatId };
    if (sentByApp(message)) {
      logger.info('message from an app ignored', context);
      return;
    }
    const ageMs = Date.now() - message.createTime;
    if (ageMs > SDK_STALE_WINDOW_MS) logger.warn('late (re)delivery, answered unless already answered', { ...context, ageMinutes: Math.round(ageMs / 60_000) });
    return bot.handleMessage(toIncoming(message));
  });
  channel.on('error', (error) => logger.error('lark channel error', { code: error.code, error: error.message }));
  channel.on('reconnecting', () => logger.warn('lark websocket reconnecting'));
  channel.on('reconnected', () => logger.info('lark websocket reconnected'));

  let server: http.Server | undefined;
  try {
    await channel.connect();
    answerCardCallbacks(dispatcher, bot);
    if (webhook) server = await serveWebhooks(dispatcher, { port: config.PORT, logger });
  } catch (error) {
    await channel.disconnect().catch(() => {});
    throw new AppError('send_failed', `无法连接飞书/Lark（${config.LARK_DOMAIN}）：${(error as Error).message}。请检查 LARK_APP_ID / LARK_APP_SECRET / LARK_DOMAIN`, { cause: error });
  }
  const port = server ? (server.address() as AddressInfo).port : undefined;
  logger.info('connected to lark', { transport: config.LARK_TRANSPORT, bot: channel.botIdentity?.name, ...(port ? { port } : {}) });
  return {
    transport,
    ...(port ? { port } : {}),
    connected: () => (server ? server.listening : channel.getConnectionStatus()?.state === 'connected'),
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
