/**
 * Bot benchmark: the real bot process, connected over the real SDK's websocket to the fake Lark
 * platform, answering 200 chats at once. Event → ack and event → reply-sent latencies, and the
 * bot's resident memory idle and under load.
 */
import { readFileSync } from 'node:fs';
import { startFakeLark } from '../fake-lark/index.ts';
import { createWorkspace, startBot } from '../bot/bot-process.ts';
import { readQuestions } from '../../bot/evaluation.ts';
import { ROOT } from '../bot/bot-process.ts';
import path from 'node:path';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0) * 10) / 10;
}

export async function benchBot(options: { chats?: number; log?: (line: string) => void } = {}): Promise<Record<string, unknown>> {
  const chats = options.chats ?? 200;
  const log = options.log ?? (() => {});
  const fake = await startFakeLark();
  const workspace = await createWorkspace();
  const bot = await startBot(workspace, { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.baseUrl });
  try {
    await fake.waitForWsClient();
    const pid = bot.child.pid!;
    // Warm up: the first answer loads lazy modules (jieba dictionary, OpenCC tables).
    const warm = fake.messageEvent({ chatType: 'p2p', text: '一窗通办怎么办理？' });
    await fake.deliverEvent(warm);
    await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === warm['event'].message.message_id, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRss = rssMb(pid);
    log(`bot idle RSS ${idleRss} MB; sending ${chats} questions from ${chats} chats at once`);

    const questions = readQuestions(path.join(ROOT, 'tests/eval/questions.jsonl')).map((question) => question.question);
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 25);
    const acks: number[] = [];
    const replies: number[] = [];
    await Promise.all(
      Array.from({ length: chats }, async (_, index) => {
        const event = fake.messageEvent({ chatType: 'p2p', chatId: `oc_bench_${index}`, text: questions[index % questions.length]! });
        const messageId = event['event'].message.message_id as string;
        const sent = performance.now();
        const replied = fake.waitFor((record) => record.kind === 'reply' && record.replyTo === messageId, 60_000);
        const { ackMs } = await fake.deliverEvent(event);
        acks.push(ackMs);
        await replied;
        replies.push(performance.now() - sent);
      }),
    );
    clearInterval(sampler);
    return {
      chats,
      'ack ms p50': percentile(acks, 50),
      'ack ms p99': percentile(acks, 99),
      'reply ms p50': percentile(replies, 50),
      'reply ms p99': percentile(replies, 99),
      'bot RSS idle MB': idleRss,
      'bot RSS under load MB': peakRss,
    };
  } finally {
    await bot.stop();
    await fake.close();
    workspace.remove();
  }
}
