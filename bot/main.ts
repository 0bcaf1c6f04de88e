/**
 * `npm start`: validates config, opens the index (ingesting knowledge/ first if there is none),
 * then serves Lark (with credentials) or a local terminal chat (without). SIGINT/SIGTERM stop
 * intake, let replies in flight finish, and disconnect.
 */
import 'dotenv/config';
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import { ChatBot } from './chat/pipeline.ts';
import { ConversationMemory, RuleFollowUpResolver } from './conversation.ts';
import { BotStore } from './chat/store.ts';
import type { ChatTransport, Logger } from './chat/types.ts';
import { KnowledgeAdmin } from './knowledge-admin.ts';
import { createLogger } from './logger.ts';
import { createRuntime } from './setup.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger: Logger = createLogger(config.LOG_LEVEL);
  const runtime = await createRuntime(config);
  const store = new BotStore(path.join(config.DATA_DIR, 'bot.sqlite'));
  store.pruneHandled();
  const admin = new KnowledgeAdmin({
    knowledgeDir: config.KNOWLEDGE_DIR,
    embedder: runtime.embedder,
    index: runtime.index,
    maxFileBytes: config.MAX_FILE_MB * 1024 * 1024,
  });
  runtime.index.watch(
    2_000,
    (handle) => logger.info('index switched', { version: handle.manifest.version }),
    (error) => logger.error('index refresh failed', { error: describeError(error) }),
  );
  const memory = new ConversationMemory({ maxTurns: config.CHAT_CONTEXT_TURNS, ttlMs: config.CHAT_CONTEXT_TTL_MINUTES * 60_000 });
  const followUps = new RuleFollowUpResolver(runtime.qa);
  const createBot = (transport: ChatTransport, adminIds: string[]) =>
    new ChatBot({ qa: runtime.qa, admin, store, transport, adminIds, logger, memory, followUps });

  if (!config.LARK_APP_ID) {
    const { TerminalTransport, runTerminalChat, LOCAL_USER_ID } = await import('./chat/terminal.ts');
    const transport = new TerminalTransport((text) => process.stdout.write(text));
    await runTerminalChat({ bot: createBot(transport, [...config.ADMIN_OPEN_IDS, LOCAL_USER_ID]), transport });
    runtime.index.close();
    store.close();
    return;
  }

  const { connectLark } = await import('./chat/lark.ts');
  const connection = await connectLark({ config, logger, bot: (transport) => createBot(transport, config.ADMIN_OPEN_IDS) });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    await connection.stop().catch((error: unknown) => logger.error('shutdown error', { error: describeError(error) }));
    runtime.index.close();
    store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`启动失败：${describeError(error)}`);
  process.exitCode = 1;
});
