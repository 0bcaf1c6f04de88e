/**
 * The chat bot against the fake Lark platform (tests/fake-lark/): in this process through
 * `connectLark` (`connectTestBot`), or as the real bot process (`startBotOnFakeLark`).
 */
import { BotStore, ChatBot, type ChatQa } from '../../bot/chat/index.ts';
import { connectLark, type LarkConnection } from '../../bot/chat/lark/index.ts';
import { loadConfig } from '../../core/index.ts';
import { KnowledgeAdmin } from '../../ingest/index.ts';
import { startFakeLark, type FakeLark } from '../fake-lark/index.ts';
import { startBot, type BotProcess } from './bot-process.ts';
import { bundledWorkspace } from './qa.ts';
import type { Workspace } from './workspace.ts';

const logger = { info() {}, warn() {}, error() {} };

interface Webhook {
  encryptKey: string;
  port: number;
  verificationToken?: string;
}

/** The bot's Lark settings for the fake platform: websocket, or webhook when `webhook` is given. */
export function larkEnv(fake: FakeLark, webhook?: Webhook): Record<string, string> {
  const env: Record<string, string> = { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.baseUrl };
  if (!webhook) return env;
  return {
    ...env,
    LARK_TRANSPORT: 'webhook',
    LARK_ENCRYPT_KEY: webhook.encryptKey,
    ...(webhook.verificationToken ? { LARK_VERIFICATION_TOKEN: webhook.verificationToken } : {}),
    PORT: String(webhook.port),
  };
}

interface TestBotOptions {
  qa: ChatQa;
  webhook?: Webhook;
  /** A store the test has already wrapped (default: a fresh in-memory one). */
  store?: BotStore;
  streamAnswers?: boolean;
}

export interface TestBot {
  connection: LarkConnection;
  store: BotStore;
  stop(): Promise<void>;
}

/** A `ChatBot` in this process connected to `fake`; its knowledge admin refuses to ingest. */
export async function connectTestBot(fake: FakeLark, options: TestBotOptions): Promise<TestBot> {
  const store = options.store ?? new BotStore(':memory:');
  const config = loadConfig(larkEnv(fake, options.webhook));
  const admin = new KnowledgeAdmin({
    knowledgeDir: config.KNOWLEDGE_DIR,
    indexDir: config.INDEX_DIR,
    maxFileBytes: config.maxFileBytes,
    runIngest: () => Promise.reject(new Error('no ingest in this test')),
    onIndexSwitched: async () => {},
    logger,
  });
  const streamAnswers = options.streamAnswers ?? false;
  const connection = await connectLark({ config, logger, bot: (transport) => new ChatBot({ qa: options.qa, admin, store, transport, adminIds: [], logger, streamAnswers }) });
  return {
    connection,
    store,
    async stop() {
      await connection.stop();
      await store.close();
    },
  };
}

interface BotOnFakeLark {
  fake: FakeLark;
  workspace: Workspace;
  bot: BotProcess;
}

/**
 * The real bot process on a workspace with the bundled index, connected to a new fake platform;
 * `env` gets that platform. Over the websocket it resolves once the bot's client is connected.
 */
export async function startBotOnFakeLark(env: (fake: FakeLark) => Record<string, string>): Promise<BotOnFakeLark> {
  const fake = await startFakeLark();
  const workspace = await bundledWorkspace();
  const settings = env(fake);
  const bot = await startBot(workspace, settings);
  if (settings['LARK_TRANSPORT'] !== 'webhook') await fake.waitForWsClient();
  return { fake, workspace, bot };
}

/** Stops whatever of `startBotOnFakeLark`'s parts were started. */
export async function stopBotOnFakeLark(parts: Partial<BotOnFakeLark>): Promise<void> {
  await parts.bot?.stop();
  await parts.fake?.close();
  parts.workspace?.remove();
}
