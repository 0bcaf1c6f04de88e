/**
 * Starts the real bot (`bot/main.ts`) as a child process against a fake Lark platform, in its own
 * temp folders, and waits until it reports being connected.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalLexicalEmbeddings } from '../../core/embeddings/index.ts';
import { ingestKnowledge } from '../../ingest/index.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BotWorkspace {
  root: string;
  knowledgeDir: string;
  indexDir: string;
  dataDir: string;
  remove(): void;
}

/** A private copy of the bundled knowledge with a ready index, so tests may add and remove documents. */
export async function createWorkspace(): Promise<BotWorkspace> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'qa-bot-'));
  const knowledgeDir = path.join(root, 'knowledge');
  cpSync(path.join(ROOT, 'knowledge'), knowledgeDir, { recursive: true });
  const indexDir = path.join(root, 'index');
  await ingestKnowledge({ knowledgeDir, indexDir, embedder: new LocalLexicalEmbeddings(), maxFileBytes: 20 * 1024 * 1024 });
  return { root, knowledgeDir, indexDir, dataDir: path.join(root, 'data'), remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface BotProcess {
  child: ChildProcess;
  logs: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `compiled` runs `dist/bot/main.js` (what `npm start` runs; build it first) instead of the
 * TypeScript sources through tsx, for measurements that should match production.
 */
export async function startBot(
  workspace: BotWorkspace,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; readyPattern?: RegExp; compiled?: boolean } = {},
): Promise<BotProcess> {
  const readyPattern = options.readyPattern ?? /connected to lark/;
  const entry = options.compiled ? [path.join(ROOT, 'dist/bot/main.js')] : ['--import', 'tsx', path.join(ROOT, 'bot/main.ts')];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      KNOWLEDGE_DIR: workspace.knowledgeDir,
      INDEX_DIR: workspace.indexDir,
      DATA_DIR: workspace.dataDir,
      LOG_LEVEL: 'info',
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
  };
}
