/**
 * @module The console's HTTP server inside the bot process, on `CONSOLE_HOST:CONSOLE_PORT`, and
 * the sign-in links it hands to admins.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { AppError, type Config, type Logger } from '../../core/index.ts';
import type { KnowledgeAdmin } from '../../ingest/index.ts';
import type { IngestActivity } from './activity.ts';
import { createConsoleApp } from './app.ts';
import { ConsoleAuth } from './auth.ts';
import type { ConsoleDeps } from './deps.ts';
import { loadConsoleSecret } from './secret.ts';

export interface ConsoleServer {
  /** Where the console is reached, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** A one-time sign-in link for an admin; undefined for anyone else. */
  signInLink(adminId: string): string | undefined;
  close(): Promise<void>;
}

export interface StartConsoleOptions {
  config: Pick<Config, 'CONSOLE_PORT' | 'CONSOLE_HOST' | 'CONSOLE_URL' | 'CONSOLE_SECRET' | 'DATA_DIR' | 'KNOWLEDGE_DIR' | 'INDEX_DIR'>;
  /** The bot's admins (with the local user in terminal mode). */
  adminIds: string[];
  admin: KnowledgeAdmin;
  activity: IngestActivity;
  qa: ConsoleDeps['qa'];
  index: ConsoleDeps['index'];
  curation: ConsoleDeps['curation'];
  questionLog: ConsoleDeps['questionLog'];
  logger: Logger;
}

function listen(app: ReturnType<typeof createConsoleApp>, port: number, hostname: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }) as Server;
    server.once('listening', () => resolve(server));
    server.once('error', (cause: Error) => reject(new AppError('config_invalid', `管理后台无法监听 ${hostname}:${port}（${cause.message}）；请检查 CONSOLE_PORT 与 CONSOLE_HOST`, { cause })));
  });
}

export async function startConsole(options: StartConsoleOptions): Promise<ConsoleServer> {
  const { config } = options;
  if (!config.CONSOLE_PORT) throw new AppError('config_invalid', '未设置 CONSOLE_PORT，管理后台未启用');
  const auth = new ConsoleAuth({
    secret: loadConsoleSecret({ configured: config.CONSOLE_SECRET, dataDir: config.DATA_DIR }),
    isAdmin: (adminId) => options.adminIds.includes(adminId),
  });
  const base = config.CONSOLE_URL ?? `http://${config.CONSOLE_HOST === '0.0.0.0' ? '127.0.0.1' : config.CONSOLE_HOST}:${config.CONSOLE_PORT}`;
  const url = base.replace(/\/+$/, '');
  const app = createConsoleApp({
    auth,
    admin: options.admin,
    activity: options.activity,
    qa: options.qa,
    index: options.index,
    knowledgeDir: config.KNOWLEDGE_DIR,
    indexDir: config.INDEX_DIR,
    curation: options.curation,
    questionLog: options.questionLog,
    logger: options.logger,
    secureCookies: url.startsWith('https:'),
  });
  const server = await listen(app, config.CONSOLE_PORT, config.CONSOLE_HOST);
  options.logger.info('console listening', { url, port: (server.address() as AddressInfo).port });
  return {
    url,
    signInLink(adminId) {
      const token = auth.issueLinkToken(adminId);
      return token ? `${url}/login?token=${token}` : undefined;
    },
    close: () =>
      new Promise((resolve) => {
        // Progress streams stay open while a page is; they must not hold up shutdown.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
