/**
 * Replicas benchmark: two real bot processes (compiled, as `npm start` runs them; as root each
 * under its own host name, as on two machines) behind one fake Lark app, sharing one PostgreSQL
 * database and one index folder. 200 chats ask 2 questions each (waiting for each answer); every
 * event goes to a random replica and about a third are delivered again to the other one, at once or
 * after the answer (a lost ack). Counts messages never answered and answered more than once, and
 * the latencies.
 */
import { execSync } from 'node:child_process';
import path from 'node:path';
import { percentile, readQuestions } from '../../bot/eval/index.ts';
import { sentText, startFakeLark, type FakeLark } from '../fake-lark/index.ts';
import { canSetHostname, startBot, type BotProcess } from '../helpers/bot-process.ts';
import { REPO_ROOT as ROOT } from '../helpers/paths.ts';
import { createDatabase, startPostgres } from '../helpers/postgres.ts';
import { createWorkspace, type Workspace } from '../helpers/workspace.ts';
import type { BenchRow } from './core.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentileMs = (values: number[], p: number): number => Math.round(percentile([...values].sort((a, b) => a - b), p) * 10) / 10;
/** How long a message may take before it counts as lost. */
const LOST_AFTER_MS = 60_000;

interface Tally {
  messages: string[];
  redeliveries: number;
  replies: number[];
  acksByReplica: Map<number, number>;
}

async function ask(fake: FakeLark, chatId: string, text: string, tally: Tally): Promise<void> {
  const event = fake.messageEvent({ chatType: 'p2p', chatId, text });
  const messageId = event['event'].message.message_id as string;
  tally.messages.push(messageId);
  const started = performance.now();
  const replied = fake.waitFor((record) => record.kind === 'reply' && record.replyTo === messageId, LOST_AFTER_MS).then(
    () => tally.replies.push(performance.now() - started),
    () => {},
  );
  const { clientId } = await fake.deliverEvent(event, { redeliverForMs: 10_000 });
  tally.acksByReplica.set(clientId, (tally.acksByReplica.get(clientId) ?? 0) + 1);
  const chance = Math.random();
  const again = () => fake.deliverEvent(event, fake.wsClientCount() > 1 ? { notToClients: [clientId] } : {}).then(() => void tally.redeliveries++);
  if (chance < 0.2) await again();
  await replied;
  if (chance >= 0.2 && chance < 0.35) await again();
}

async function startReplica(workspace: Workspace, fake: FakeLark, databaseUrl: string, hostname: string, compiled: boolean): Promise<BotProcess> {
  const env = { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.baseUrl, DATABASE_URL: databaseUrl };
  return startBot(workspace, env, { compiled, ...(canSetHostname ? { hostname } : {}) });
}

/** `compiled: false` runs the sources through tsx (when dist/ cannot be built right now); `replicas` other than 2 compares. */
export async function benchReplicas(options: { chats?: number; replicas?: number; compiled?: boolean; log?: (line: string) => void } = {}): Promise<Record<string, unknown>> {
  const chats = options.chats ?? 200;
  const count = options.replicas ?? 2;
  const compiled = options.compiled ?? true;
  const log = options.log ?? (() => {});
  if (compiled) {
    log('building dist/ (npm run build) so the bots run as in production …');
    execSync('npm run -s build', { cwd: ROOT, stdio: 'ignore' });
  }
  log('starting a private PostgreSQL server …');
  const postgres = await startPostgres();
  const fake = await startFakeLark();
  const workspace = await createWorkspace();
  const replicas: BotProcess[] = [];
  try {
    const databaseUrl = await createDatabase(postgres.url);
    for (let index = 0; index < count; index++) replicas.push(await startReplica(workspace, fake, databaseUrl, `replica-${index + 1}`, compiled));
    while (fake.wsClientCount() < count) await sleep(20);
    const questions = readQuestions(path.join(ROOT, 'tests/eval/questions.jsonl')).map((question) => question.question);
    // The first answer loads lazy parts (jieba dictionary, OpenCC tables): one per replica before measuring.
    for (const clientId of fake.wsClientIds()) {
      const warmup = fake.messageEvent({ chatType: 'p2p', chatId: `oc_warmup_${clientId}`, text: questions[0]! });
      const replied = fake.waitFor((record) => record.kind === 'reply' && record.replyTo === warmup['event'].message.message_id, LOST_AFTER_MS);
      await fake.deliverEvent(warmup, { toClient: clientId });
      await replied;
    }
    log(`${chats} chats × 2 questions over ${count} replicas, random delivery, ~35 % delivered again to another replica …`);
    const tally: Tally = { messages: [], redeliveries: 0, replies: [], acksByReplica: new Map() };
    const started = performance.now();
    await Promise.all(
      Array.from({ length: chats }, async (_, chat) => {
        for (let round = 0; round < 2; round++) {
          await sleep(Math.random() * 2000);
          await ask(fake, `oc_replicas_${chat}`, questions[(chat * 2 + round) % questions.length]!, tally);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // Late duplicates would come from a redelivery still in flight: give them time to show.
    await sleep(3_000);
    const counts = new Map<string, number>();
    for (const record of fake.sent) if (record.kind === 'reply' && record.replyTo) counts.set(record.replyTo, (counts.get(record.replyTo) ?? 0) + 1);
    const measured = new Set(tally.messages);
    const errorCards = fake.sent.filter((record) => record.kind === 'reply' && measured.has(record.replyTo ?? '') && /出了点问题|稍后再试/.test(sentText(record))).length;
    return {
      chats,
      replicas: count,
      compiled,
      messages: tally.messages.length,
      redeliveries: tally.redeliveries,
      'separate hosts': canSetHostname,
      'messages per replica': [...tally.acksByReplica.values()].join(' / '),
      lost: tally.messages.filter((id) => !counts.has(id)).length,
      duplicates: tally.messages.filter((id) => (counts.get(id) ?? 0) > 1).length,
      'error cards': errorCards,
      'reply ms p50': percentileMs(tally.replies, 50),
      'reply ms p99': percentileMs(tally.replies, 99),
      'messages per second': Math.round((tally.messages.length / seconds) * 10) / 10,
    };
  } finally {
    await Promise.all(replicas.map((bot) => bot.stop()));
    await fake.close();
    workspace.remove();
    postgres.stop();
  }
}

/** Table rows for the figures `benchReplicas` returned. */
export function replicasRows(result: Record<string, unknown>): BenchRow[] {
  const exact = (metric: string, key: string) => ({ metric, value: String(result[key]), target: '0', met: Number(result[key]) === 0 });
  return [
    { metric: 'chats, replicas', value: `${String(result['chats'])}, ${String(result['replicas'])}${result['compiled'] ? '' : ' (sources through tsx)'}` },
    { metric: 'messages (deliveries again)', value: `${String(result['messages'])} (${String(result['redeliveries'])})` },
    { metric: 'messages acked per replica', value: String(result['messages per replica']) },
    { metric: 'replicas on separate host names', value: String(result['separate hosts']) },
    exact('lost (no reply within 60 s)', 'lost'),
    exact('duplicates (more than one reply)', 'duplicates'),
    exact('error cards', 'error cards'),
    { metric: 'event → reply sent p50', value: `${String(result['reply ms p50'])} ms` },
    { metric: 'event → reply sent p99', value: `${String(result['reply ms p99'])} ms` },
    { metric: 'throughput', value: `${String(result['messages per second'])} messages/s` },
  ];
}
