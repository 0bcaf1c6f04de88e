/**
 * `npm start`: validates config, opens the index (ingesting knowledge/ first if there is none),
 * then serves Lark (with credentials) or a local terminal chat (without). SIGINT/SIGTERM stop
 * intake, let replies in flight finish, and disconnect.
 */
import 'dotenv/config';
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { createEmbedder } from '../core/embeddings/index.ts';
import { describeError } from '../core/errors.ts';
import { currentIndexDir } from '../core/index-format.ts';
import { ingestKnowledge, type IngestSummary } from '../ingest/index.ts';
import { LocalChatQa, type ChatQa } from './chat-qa.ts';
import { ChatBot } from './chat/pipeline.ts';
import { BotStore } from './chat/store.ts';
import type { ChatTransport, Logger } from './chat/types.ts';
import { ConversationMemory, createFollowUpResolver } from './conversation.ts';
import { KnowledgeAdmin } from './knowledge-admin.ts';
import { createLogger } from './logger.ts';
import { createRuntime, ensureIndex } from './setup.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger: Logger = createLogger(config.LOG_LEVEL);
  const paths = { knowledgeDir: config.KNOWLEDGE_DIR, indexDir: config.INDEX_DIR, maxFileBytes: config.MAX_FILE_MB * 1024 * 1024 };
  const store = new BotStore(path.join(config.DATA_DIR, 'bot.sqlite'));
  store.pruneHandled();
  const memory = new ConversationMemory({ maxTurns: config.CHAT_CONTEXT_TURNS, ttlMs: config.CHAT_CONTEXT_TTL_MINUTES * 60_000 });
  const withQa = (qa: ChatQa, runIngest: () => Promise<IngestSummary>) => ({
    qa,
    admin: new KnowledgeAdmin({ ...paths, runIngest, onIndexSwitched: () => qa.refresh(), logger }),
  });
  const createBot = (transport: ChatTransport, adminIds: string[], parts: ReturnType<typeof withQa>) =>
    new ChatBot({ ...parts, store, transport, adminIds, logger, memory, streamAnswers: Boolean(config.LLM_BASE_URL && config.LLM_MODEL) });

  if (!config.LARK_APP_ID) {
    const { TerminalTransport, runTerminalChat, LOCAL_USER_ID } = await import('./chat/terminal.ts');
    const runtime = await createRuntime(config, { logger });
    runtime.index.watch(2_000, () => {}, (error) => logger.error('index refresh failed', { error: describeError(error) }));
    const parts = withQa(new LocalChatQa(runtime.qa, await createFollowUpResolver(config, runtime.qa, logger)), () =>
      ingestKnowledge({ ...paths, embedder: runtime.embedder }),
    );
    const transport = new TerminalTransport((text) => process.stdout.write(text));
    await runTerminalChat({ bot: createBot(transport, [...config.ADMIN_OPEN_IDS, LOCAL_USER_ID], parts), transport });
    await parts.qa.close();
    store.close();
    return;
  }

  // The embedder is needed here only to build a first index; the question worker makes its own.
  if (!currentIndexDir(config.INDEX_DIR)) await ensureIndex(config, await createEmbedder(config));
  // With Lark, answers are computed in a worker thread so acks and other chats never wait on them.
  const { WorkerChatQa } = await import('./qa-worker-client.ts');
  const { connectLark } = await import('./chat/lark.ts');
  const { ingestInWorker } = await import('../ingest/ingest-in-worker.ts');
  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { reason });
    await connection?.stop().catch((error: unknown) => logger.error('shutdown error', { error: describeError(error) }));
    await qa?.close();
    store.close();
    process.exit(exitCode);
  };
  let qa: ChatQa | undefined;
  let connection: Awaited<ReturnType<typeof connectLark>> | undefined;
  try {
    // A dead question worker would leave every chat unanswered: exit so the supervisor restarts us.
    qa = await WorkerChatQa.start({ env: process.env, logger, onStop: () => void stop('question worker stopped', 1) });
    const parts = withQa(qa, () => ingestInWorker({ ...paths, env: process.env }));
    connection = await connectLark({ config, logger, bot: (transport) => createBot(transport, config.ADMIN_OPEN_IDS, parts) });
  } catch (error) {
    console.error(`启动失败：${describeError(error)}`);
    await stop('start-up failed', 1);
    return;
  }
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
}

main().catch((error: unknown) => {
  console.error(`启动失败：${describeError(error)}`);
  process.exitCode = 1;
});
