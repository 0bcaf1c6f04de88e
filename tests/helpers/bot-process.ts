/**
 * Starts the real bot (`bot/main.ts`) as a child process against a fake Lark platform, in a
 * workspace of its own (./workspace.ts), and waits until it reports being connected.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths.ts';
import type { Workspace } from './workspace.ts';

export interface BotProcess {
  child: ChildProcess;
  logs: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends SIGKILL (a crash: nothing is flushed or finished) and resolves once the process is gone. */
  kill(): Promise<void>;
}

/** Whether `startBot` can give a bot a host name of its own (a UTS namespace needs root). */
export const canSetHostname = process.getuid?.() === 0;

/**
 * `compiled` runs `dist/bot/main.js` (what `npm start` runs; build it first) instead of the
 * TypeScript sources through tsx, for measurements that should match production. `hostname` runs
 * the bot under a host name of its own, as if on another machine (only where `canSetHostname`).
 */
export async function startBot(
  workspace: Workspace,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; readyPattern?: RegExp; compiled?: boolean; hostname?: string } = {},
): Promise<BotProcess> {
  const readyPattern = options.readyPattern ?? /connected to lark/;
  const entry = options.compiled ? [path.join(REPO_ROOT, 'dist/bot/main.js')] : ['--import', 'tsx', path.join(REPO_ROOT, 'bot/main.ts')];
  const node = [process.execPath, ...(options.nodeArgs ?? []), ...entry];
  // unshare and sh exec the next program, so the child's pid stays the bot's (kill -9 reaches it).
  const [command, ...args] = options.hostname ? ['unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', options.hostname, ...node] : node;
  const child = spawn(command!, args, {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      KNOWLEDGE_DIR: workspace.knowledgeDir,
      INDEX_DIR: workspace.indexDir,
      DATA_DIR: workspace.dataDir,
      LOG_LEVEL: 'info',
      // What `npm start` sets: the question worker's native allocations otherwise keep arenas of their own.
      ...(options.compiled ? { MALLOC_ARENA_MAX: '2' } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${logs.join('\n')}`)), 30_000);
    const onData = (data: Buffer) => {
      for (const line of data.toString().split('\n')) if (line.trim()) logs.push(line);
      if (readyPattern.test(data.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code}:\n${logs.join('\n')}`));
    });
  });
  return {
    child,
    logs,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
