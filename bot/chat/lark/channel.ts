/**
 * @module Lark/Feishu through the SDK's `createLarkChannel`, which already does dedup by message
 * id, the group mention policy, per-chat ordering, retries and reply fallbacks; this module only
 * wires its events to the bot and owns the connection's lifetime.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, type Config, type Logger } from '../../../core/index.ts';
import type { ChatBot } from '../pipeline.ts';
import { createHttpInstance } from './http-instance.ts';
import { createLarkChannel, larkDomain, sdkLogger } from './sdk.ts';
import { LarkTransport, toIncoming } from './transport.ts';
import { channelDispatcher, serveWebhooks } from './webhook.ts';

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
    safety: { batch: { text: { delayMs: 0 } } },
    policy: { requireMention: true, respondToMentionAll: false, dmMode: 'open' },
    logger: sdkLogger(logger),
    handshakeTimeoutMs: 10_000,
    // The SDK's placeholder is English ("Thinking...").
    outbound: { streamInitialText: '正在查找相关政策…' },
    source: 'zhengwu-qa-bot',
  });
  // Before connecting: an SDK that no longer exposes the dispatcher is a version problem, not a
  // connection problem, and should say so.
  const dispatcher = webhook ? channelDispatcher(channel) : undefined;
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
    if (dispatcher) server = await serveWebhooks(dispatcher, config.PORT);
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
