/**
 * `npm start`: validates config, opens the index (ingesting knowledge/ first if there is none),
 * then serves Lark (with credentials) or a local terminal chat (without). SIGINT/SIGTERM stop
 * intake, let replies in flight finish, and disconnect.
 */
import 'dotenv/config';
import path from 'node:path';
import { createEmbedder } from '../core/embeddings/index.ts';
import { createLogger, currentIndexDir, describeError, loadConfig, type Config, type Logger } from '../core/index.ts';
import { ingestInWorker, ingestKnowledge, KnowledgeAdmin, type IngestSummary } from '../ingest/index.ts';
import {
  ChatBot,
  ConversationMemory,
  LOCAL_USER_ID,
  LocalChatQa,
  runTerminalChat,
  openStore,
  TerminalTransport,
  WorkerChatQa,
  type ChatQa,
  type ChatStore,
  type ChatTransport,
} from './chat/index.ts';
import { IngestActivity, consoleSignInReply, startConsole, type ConsoleServer } from './console/index.ts';
import { currentManifest, larkEventCounter, measuredIngest, measuredQa, measuredTransport, Ops, sqliteProbe } from './ops/index.ts';
import { createRuntime, ensureIndex } from './qa/index.ts';

/** How admins' changes are ingested: one instance for chat and console, so their runs queue up. */
function knowledgeAdmin(config: Config, logger: Logger, qa: ChatQa, runIngest: () => Promise<IngestSummary>): KnowledgeAdmin {
  return new KnowledgeAdmin({ knowledgeDir: config.KNOWLEDGE_DIR, indexDir: config.INDEX_DIR, maxFileBytes: config.maxFileBytes, runIngest, onIndexSwitched: () => qa.refresh(), logger });
}

/** The admin console when CONSOLE_PORT is set (answering in this process, on the runtime given). */
function openConsole(
  config: Config,
  options: { logger: Logger; adminIds: string[]; admin: KnowledgeAdmin; activity: IngestActivity; questionLog: ChatStore; runtime: () => ReturnType<typeof createRuntime> },
): Promise<ConsoleServer | undefined> {
  if (!config.CONSOLE_PORT) return Promise.resolve(undefined);
  return options.runtime().then((runtime) => startConsole({ ...options, config, qa: runtime.qa, index: runtime.index, curation: runtime.curation }));
}

/** QUESTION_LOG_DAYS: older questions go at start and then daily; their days' figures stay. */
function pruneQuestionLog(store: ChatStore, keepDays: number, logger: Logger): void {
  const prune = () =>
    store.pruneQuestions(keepDays).then(
      (deleted) => deleted > 0 && logger.info('question log pruned', { deleted, keepDays }),
      (error: unknown) => logger.warn('pruning the question log failed', { error: describeError(error) }),
    );
  void prune();
  setInterval(prune, 24 * 60 * 60 * 1000).unref();
}

/** What every transport's bot shares: the store and the memory, kept in the store so every replica sees each conversation. */
function botFactory(config: Config, logger: Logger, store: ChatStore) {
  const memory = new ConversationMemory({ maxTurns: config.CHAT_CONTEXT_TURNS, ttlMs: config.CHAT_CONTEXT_TTL_MINUTES * 60_000, turns: store });
  return (options: { transport: ChatTransport; adminIds: string[]; qa: ChatQa; admin: KnowledgeAdmin; console: ConsoleServer | undefined }) =>
    new ChatBot({
      qa: options.qa,
      admin: options.admin,
      store,
      transport: options.transport,
      adminIds: options.adminIds,
      logger,
      memory,
      streamAnswers: Boolean(config.llm),
      consoleSignIn: (message) => consoleSignInReply(options.console, message),
    });
}

async function runTerminal(config: Config, logger: Logger, store: ChatStore, ops: Ops): Promise<void> {
  const runtime = await createRuntime(config, { logger, watchIndexMs: 2_000 });
  ops.live.index = () => runtime.index.current.manifest;
  const qa = new LocalChatQa(runtime);
  const transport = new TerminalTransport((text) => process.stdout.write(text));
  const adminIds = [...config.ADMIN_OPEN_IDS, LOCAL_USER_ID];
  const activity = new IngestActivity({ logger });
  const admin = knowledgeAdmin(config, logger, qa, measuredIngest(activity.wrap((onProgress) => store.withIngestLock(() => ingestKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, indexDir: config.INDEX_DIR, maxFileBytes: config.maxFileBytes, embedder: runtime.embedder, onProgress }))), ops.metrics));
  const consoleServer = await openConsole(config, { logger, adminIds, admin, activity, questionLog: store, runtime: async () => runtime });
  if (consoleServer) process.stdout.write(`管理后台：${consoleServer.signInLink(LOCAL_USER_ID)}\n（登录链接 5 分钟内有效、只能用一次；发送“管理后台”可获取新链接）\n`);
  const bot = botFactory(config, logger, store)({ transport: measuredTransport(transport, ops.metrics), adminIds, qa: measuredQa(qa, ops.metrics), admin, console: consoleServer });
  await runTerminalChat({ bot, transport });
  await consoleServer?.close();
  await ops.close();
  await qa.close();
  await store.close();
}

async function runLark(config: Config, logger: Logger, store: ChatStore, ops: Ops): Promise<void> {
  // The embedder is needed here only to build a first index; the question worker makes its own.
  if (!currentIndexDir(config.INDEX_DIR)) await ensureIndex(config, await createEmbedder(config));
  const { connectLark } = await import('./chat/lark/index.ts');
  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { reason });
    await connection?.stop().catch((error: unknown) => logger.error('shutdown error', { error: describeError(error) }));
    await consoleServer?.close();
    await qa?.close();
    await store.close();
    process.exit(exitCode);
  };
  let qa: ChatQa | undefined;
  let consoleServer: ConsoleServer | undefined;
  let connection: Awaited<ReturnType<typeof connectLark>> | undefined;
  try {
    // With Lark, answers are computed in a worker thread so acks and other chats never wait on them.
    // A dead question worker would leave every chat unanswered: exit so the supervisor restarts us.
    const workerQa = await WorkerChatQa.start({ env: process.env, logger, onStop: () => void stop('question worker stopped', 1) });
    qa = workerQa;
    ops.live.index = () => currentManifest(config.INDEX_DIR);
    ops.live.queueDepth = () => workerQa.queueDepth;
    ops.live.larkConnected = () => connection?.connected() ?? false;
    const createBot = botFactory(config, logger, store);
    const activity = new IngestActivity({ logger });
    const admin = knowledgeAdmin(config, logger, workerQa, measuredIngest(activity.wrap((onProgress) => store.withIngestLock(() => ingestInWorker({ knowledgeDir: config.KNOWLEDGE_DIR, indexDir: config.INDEX_DIR, maxFileBytes: config.maxFileBytes, env: process.env, onProgress }))), ops.metrics));
    // The console's "try a question" answers on this thread: an admin's occasional question, not the chats' load.
    consoleServer = await openConsole(config, { logger, adminIds: config.ADMIN_OPEN_IDS, admin, activity, questionLog: store, runtime: () => createRuntime(config, { logger, watchIndexMs: 2_000 }) });
    let bot: ChatBot | undefined;
    connection = await connectLark({
      config,
      logger,
      events: larkEventCounter(ops.metrics),
      bot: (transport) =>
        (bot = createBot({
          transport: measuredTransport(transport, ops.metrics),
          adminIds: config.ADMIN_OPEN_IDS,
          qa: measuredQa(workerQa, ops.metrics),
          admin,
          console: consoleServer,
        })),
    });
    // What a crashed run or a dead replica claimed and never answered, now that replies can be sent,
    // and from then on whenever a replica's lease runs out.
    bot?.watchUnfinished(config.CLAIM_LEASE_SECONDS * 500);
  } catch (error) {
    console.error(`启动失败：${describeError(error)}`);
    await stop('start-up failed', 1);
    return;
  }
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
}

async function main(): Promise<void> {
  const config = loadConfig();
  // In the terminal chat, log lines on the screen would land between the user's lines.
  const logFile = config.LARK_APP_ID ? undefined : path.join(config.DATA_DIR, 'logs', 'bot.log');
  const logger = createLogger(config.LOG_LEVEL, logFile);
  if (logFile) process.stdout.write(`日志写入 ${logFile}\n`);
  // A stray rejection (a library's promise nobody awaits) must not end the process and the replies in flight with it.
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: describeError(reason) }));
  const databaseFile = path.join(config.DATA_DIR, 'bot.sqlite');
  const store = await openStore({ databaseUrl: config.DATABASE_URL, file: databaseFile }, { leaseMs: config.CLAIM_LEASE_SECONDS * 1000, logger });
  await store.pruneHandled();
  pruneQuestionLog(store, config.QUESTION_LOG_DAYS, logger);
  const database = config.DATABASE_URL ? { name: 'database', check: () => store.ping() } : sqliteProbe(databaseFile);
  // Before the slow parts (a first ingest, connecting): /healthz answers and /readyz says what is missing.
  const ops = await Ops.start(config, { logger, lark: Boolean(config.LARK_APP_ID), probes: [database] });
  if (logFile && ops.server) process.stdout.write(`健康检查与指标：http://${config.OPS_HOST}:${ops.server.port}/metrics（另有 /healthz、/readyz）\n`);
  await (config.LARK_APP_ID ? runLark(config, logger, store, ops) : runTerminal(config, logger, store, ops));
}

main().catch((error: unknown) => {
  console.error(`启动失败：${describeError(error)}`);
  process.exitCode = 1;
});
