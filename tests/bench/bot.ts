/**
 * Bot benchmark: the real bot process (compiled, as `npm start` runs it), connected over the
 * real SDK's websocket to the fake Lark platform. Two loads from 200 chats:
 *  - steady: every chat asks 3 questions, waiting for each answer and pausing 1–4 s between them
 *    (how 200 people actually chat);
 *  - burst: all 200 chats send a question at the same instant (worst case: everything queues on
 *    one event loop).
 * Event → ack and event → reply-sent latencies, and the bot's resident memory idle and under load.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { percentile, readQuestions } from '../../bot/eval/index.ts';
import { startFakeLark, type FakeLark } from '../fake-lark/index.ts';
import { startBot } from '../helpers/bot-process.ts';
import { REPO_ROOT as ROOT } from '../helpers/paths.ts';
import { createWorkspace } from '../helpers/workspace.ts';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 102.4) / 10;
}

function percentileMs(values: number[], p: number): number {
  return Math.round(percentile([...values].sort((a, b) => a - b), p) * 10) / 10;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ask(fake: FakeLark, chatId: string, text: string, acks: number[], replies: number[]): Promise<void> {
  const event = fake.messageEvent({ chatType: 'p2p', chatId, text });
  const messageId = event['event'].message.message_id as string;
  const started = performance.now();
  const replied = fake.waitFor((record) => record.kind === 'reply' && record.replyTo === messageId, 60_000);
  const { ackMs } = await fake.deliverEvent(event);
  acks.push(ackMs);
  await replied;
  replies.push(performance.now() - started);
}

/** The compiled bot (built first, as `npm start` does) connected to a fresh fake platform. */
async function startCompiledBot(log: (line: string) => void, env: Record<string, string> = {}) {
  log('building dist/ (npm run build) so the bot runs as in production …');
  execSync('npm run -s build', { cwd: ROOT, stdio: 'ignore' });
  const fake = await startFakeLark();
  const workspace = await createWorkspace();
  const bot = await startBot(workspace, { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.baseUrl, ...env }, { compiled: true });
  await fake.waitForWsClient();
  const close = async () => {
    await bot.stop();
    await fake.close();
    workspace.remove();
  };
  return { fake, pid: bot.child.pid!, close };
}

/**
 * The bot serving an existing index (INDEX_DIR), idle after answering the question set once:
 * what a deployment on that index holds, Lark client and question worker included.
 */
export async function botIdleOnIndex(indexRoot: string, log: (line: string) => void): Promise<{ connectedRssMb: number; idleRssMb: number }> {
  // The embedder the index was built with, when the bench was told another (LOCAL_EMBEDDINGS_DIMENSIONS).
  const dimensions = process.env['LOCAL_EMBEDDINGS_DIMENSIONS'];
  const { fake, pid, close } = await startCompiledBot(log, { INDEX_DIR: indexRoot, ...(dimensions ? { LOCAL_EMBEDDINGS_DIMENSIONS: dimensions } : {}) });
  try {
    const connectedRssMb = rssMb(pid);
    log(`bot connected on ${indexRoot} (${connectedRssMb} MB); answering the question set …`);
    const questions = readQuestions(path.join(ROOT, 'tests/eval/questions.jsonl'));
    for (const question of questions) await ask(fake, 'oc_bench_index', question.question, [], []);
    await sleep(1000);
    return { connectedRssMb, idleRssMb: rssMb(pid) };
  } finally {
    await close();
  }
}

export async function benchBot(options: { chats?: number; log?: (line: string) => void } = {}): Promise<Record<string, unknown>> {
  const chats = options.chats ?? 200;
  const log = options.log ?? (() => {});
  const { fake, pid, close } = await startCompiledBot(log);
  const questions = readQuestions(path.join(ROOT, 'tests/eval/questions.jsonl')).map((question) => question.question);
  try {
    // The first answer loads lazy parts (jieba dictionary, OpenCC tables); measure idle after it.
    await ask(fake, 'oc_bench_warmup', questions[0]!, [], []);
    await sleep(1000);
    const idleRss = rssMb(pid);
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 25);

    log(`steady load: ${chats} chats × 3 questions, 1–4 s between questions …`);
    const steady = { acks: [] as number[], replies: [] as number[] };
    await Promise.all(
      Array.from({ length: chats }, async (_, chat) => {
        for (let round = 0; round < 3; round++) {
          await sleep(1000 + Math.random() * 3000);
          await ask(fake, `oc_steady_${chat}`, questions[(chat * 3 + round) % questions.length]!, steady.acks, steady.replies);
        }
      }),
    );
    log(`burst: ${chats} chats at the same instant …`);
    const burst = { acks: [] as number[], replies: [] as number[] };
    await Promise.all(Array.from({ length: chats }, (_, chat) => ask(fake, `oc_burst_${chat}`, questions[chat % questions.length]!, burst.acks, burst.replies)));
    clearInterval(sampler);
    return {
      chats,
      'steady ack ms p50': percentileMs(steady.acks, 50),
      'steady ack ms p99': percentileMs(steady.acks, 99),
      'steady reply ms p50': percentileMs(steady.replies, 50),
      'steady reply ms p99': percentileMs(steady.replies, 99),
      'burst ack ms p50': percentileMs(burst.acks, 50),
      'burst ack ms p99': percentileMs(burst.acks, 99),
      'burst reply ms p50': percentileMs(burst.replies, 50),
      'burst reply ms p99': percentileMs(burst.replies, 99),
      'bot RSS idle MB': idleRss,
      'bot RSS under load MB': peakRss,
    };
  } finally {
    await close();
  }
}

/** Table rows for the figures `benchBot` returned; targets apply to the steady load. */
export function botRows(result: Record<string, unknown>): { metric: string; value: string; target?: string; met?: boolean }[] {
  const figure = (key: string) => Number(result[key]);
  const row = (metric: string, key: string, unit: string, limit?: number) => ({
    metric,
    value: `${figure(key)} ${unit}`,
    ...(limit === undefined ? {} : { target: `< ${limit} ${unit}`, met: figure(key) < limit }),
  });
  return [
    { metric: 'chats', value: String(result['chats']) },
    row('steady: event → ack p50', 'steady ack ms p50', 'ms'),
    row('steady: event → ack p99', 'steady ack ms p99', 'ms', 50),
    row('steady: event → reply sent p50', 'steady reply ms p50', 'ms', 150),
    row('steady: event → reply sent p99', 'steady reply ms p99', 'ms'),
    row('burst: event → ack p50', 'burst ack ms p50', 'ms'),
    row('burst: event → ack p99', 'burst ack ms p99', 'ms'),
    row('burst: event → reply sent p50', 'burst reply ms p50', 'ms'),
    row('burst: event → reply sent p99', 'burst reply ms p99', 'ms'),
    row('bot RSS idle', 'bot RSS idle MB', 'MB', 250),
    row('bot RSS under load', 'bot RSS under load MB', 'MB'),
  ];
}
