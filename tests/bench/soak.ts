/**
 * Soak: the real bot process (compiled, as `npm start` runs it) over the real SDK's websocket
 * against the fake Lark platform for minutes, 200 chats asking at a steady rate (questions, some
 * commands, some quick second messages while the first is still being answered), and in the middle:
 *  - a re-ingest: a new document lands in the knowledge folder and an admin sends 重新导入;
 *  - a kill -9 of the bot while the platform holds 20 replies (then loses them) and a second
 *    message waits behind each in its chat, and an immediate restart (as a supervisor would); the
 *    platform pushes again what was not acknowledged, as Lark does;
 *  - a burst of redeliveries of events that were already answered.
 * Every message must get exactly one reply, counted from the platform's records by the replied-to
 * message id: 0 is a lost message, more than 1 a duplicate.
 */
import { execSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readQuestions } from '../../bot/eval/index.ts';
import { sentText, startFakeLark, type FakeLark } from '../fake-lark/index.ts';
import { startBot, type BotProcess } from '../helpers/bot-process.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { createWorkspace, type Workspace } from '../helpers/workspace.ts';
import type { BenchRow } from './core.ts';
import { latencyStats, round } from './util.ts';

export interface SoakOptions {
  minutes?: number;
  chats?: number;
  log?: (line: string) => void;
}

/** A message the soak sent, and when (ms epoch, the clock the platform stamps its records with). */
interface Sent {
  messageId: string;
  sentAt: number;
  envelope: ReturnType<FakeLark['messageEvent']>;
  /** Settles once the platform has its ack (or gave up). */
  delivered: Promise<void>;
}

const ADMIN = 'ou_soak_admin';
/** Each chat pauses this long (uniformly) between its messages: 200 chats ≈ 10 messages a second. */
const PAUSE_MS = [10_000, 30_000] as const;
/** Share of sends that are a command, and that are a question followed at once by a second one. */
const COMMAND_SHARE = 0.1;
const DOUBLE_SHARE = 0.05;
const COMMANDS = ['帮助', '文档', '新对话'];
const FOLLOW_UPS = ['那具体怎么申请？', '有什么条件？', '找谁办？'];
/** The platform keeps pushing an unacknowledged event for hours; the soak waits this long at most. */
const REDELIVER_FOR_MS = 180_000;
/** At the end: how long every message may still take to get its reply, then how long to watch for late duplicates. */
const DRAIN_MS = 120_000;
const SETTLE_MS = 5_000;
const BURST_SIZE = 500;
/** Replies the platform holds (and then loses) at the kill, so it lands between acks and replies. */
const HELD_REPLIES = 20;
/** The document the re-ingest adds, and a question only it answers (with the words its answer must contain). */
const NEW_DOCUMENT = path.join(REPO_ROOT, 'tests/fixtures/unseen/anyang-zhengwu-fuwu-tiaoli.txt');
const NEW_DOCUMENT_QUESTION = { text: '安阳12345半夜打能有人接吗？', expect: '24小时' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const isErrorCard = (text: string): boolean => /出了点问题|稍后再试/.test(text);

/** Highest resident memory of the process so far (VmHWM), in MB; 0 once it is gone. */
function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return round(Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024, 1);
  } catch {
    return 0;
  }
}

class Soak {
  readonly sent = new Map<string, Sent>();
  readonly deliveries: Promise<void>[] = [];
  undelivered = 0;
  redelivered = 0;
  readonly #fake: FakeLark;

  constructor(fake: FakeLark) {
    this.#fake = fake;
  }

  /** Sends one message; the platform keeps pushing it until acknowledged. */
  send(chatId: string, text: string, options: { group?: boolean; sender?: string } = {}): Sent {
    const envelope = this.#fake.messageEvent({
      chatType: options.group ? 'group' : 'p2p',
      chatId,
      text,
      ...(options.group ? { mentionBot: true } : {}),
      ...(options.sender ? { senderOpenId: options.sender } : {}),
    });
    const message: Sent = { messageId: envelope['event'].message.message_id as string, sentAt: Date.now(), envelope, delivered: this.deliver(envelope) };
    this.sent.set(message.messageId, message);
    this.deliveries.push(message.delivered);
    return message;
  }

  async deliver(envelope: object): Promise<void> {
    try {
      const { pushes } = await this.#fake.deliverEvent(envelope, { redeliverForMs: REDELIVER_FOR_MS });
      this.redelivered += pushes - 1;
    } catch {
      this.undelivered++;
    }
  }

  /** First reply time per replied-to message id, and how many replies each got. */
  replies(): Map<string, { count: number; firstAt: number; texts: string[] }> {
    const byMessage = new Map<string, { count: number; firstAt: number; texts: string[] }>();
    for (const record of this.#fake.sent) {
      if (record.kind !== 'reply' || !record.replyTo || !this.sent.has(record.replyTo)) continue;
      const entry = byMessage.get(record.replyTo) ?? { count: 0, firstAt: record.at, texts: [] };
      entry.count++;
      entry.texts.push(sentText(record));
      byMessage.set(record.replyTo, entry);
    }
    return byMessage;
  }

  async waitForReply(messageId: string, timeoutMs: number): Promise<string> {
    const record = await this.#fake.waitFor((candidate) => candidate.kind === 'reply' && candidate.replyTo === messageId, timeoutMs);
    return sentText(record);
  }
}

/** One chat: a message every 10–30 s until `endAt`; some commands, some quick pairs. */
async function chat(soak: Soak, index: number, questions: string[], endAt: number): Promise<void> {
  const chatId = `oc_soak_${String(index).padStart(3, '0')}`;
  // Every tenth chat is a group where the bot is @-mentioned.
  const group = index % 10 === 0;
  await sleep(Math.random() * PAUSE_MS[1]);
  while (Date.now() < endAt) {
    const roll = Math.random();
    if (roll < COMMAND_SHARE) soak.send(chatId, pick(COMMANDS), { group });
    else {
      soak.send(chatId, pick(questions), { group });
      // A second message while the first is still queued or being answered.
      if (roll < COMMAND_SHARE + DOUBLE_SHARE) {
        await sleep(50 + Math.random() * 250);
        soak.send(chatId, pick(FOLLOW_UPS), { group });
      }
    }
    await sleep(PAUSE_MS[0] + Math.random() * (PAUSE_MS[1] - PAUSE_MS[0]));
  }
}

interface Faults {
  reingestMs: number;
  newDocumentAnswered: boolean;
  killedAt: number;
  reconnectedAt: number;
  inFlightAtKill: number;
  takenOverAtStart: number;
  burst: number;
  burstMs: number;
}

const chatOf = (message: Sent): string => message.envelope['event'].message.chat_id as string;
const isGroup = (message: Sent): boolean => message.envelope['event'].message.chat_type === 'group';

/** Makes the platform hold the next replies (never answering them) and resolves with the messages they answer. */
async function holdReplies(soak: Soak, fake: FakeLark): Promise<Sent[]> {
  const mark = fake.requests.length;
  fake.failNext('reply', { hangMs: 10 * 60_000, reset: true }, HELD_REPLIES);
  const heldIds = () => fake.requests.slice(mark).flatMap((request) => (request.route === 'reply' ? [request.path.match(/messages\/([^/]+)\/reply/)?.[1] ?? ''] : []));
  while (heldIds().length < HELD_REPLIES) await sleep(10);
  return heldIds().flatMap((id) => soak.sent.get(id) ?? []);
}

/** The three faults at 30 %, 50 % and 70 % of the run. */
async function faults(soak: Soak, fake: FakeLark, workspace: Workspace, botRef: { bot: BotProcess; peakRss: number }, env: Record<string, string>, startedAt: number, durationMs: number, log: (line: string) => void): Promise<Faults> {
  const at = (share: number) => sleep(Math.max(0, startedAt + durationMs * share - Date.now()));

  await at(0.3);
  log('fault: a new document and 重新导入 while questions flow …');
  copyFileSync(NEW_DOCUMENT, path.join(workspace.knowledgeDir, path.basename(NEW_DOCUMENT)));
  const reingest = soak.send('oc_soak_admin', '重新导入', { sender: ADMIN });
  const reingestText = await soak.waitForReply(reingest.messageId, DRAIN_MS);
  const reingestMs = Date.now() - reingest.sentAt;
  log(`  ${reingestText.split('\n')[0] ?? ''} (${reingestMs} ms)`);
  const check = soak.send('oc_soak_admin', NEW_DOCUMENT_QUESTION.text, { sender: ADMIN });
  const newDocumentAnswered = (await soak.waitForReply(check.messageId, DRAIN_MS)).includes(NEW_DOCUMENT_QUESTION.expect);

  await at(0.5);
  log(`fault: kill -9 of the bot with ${HELD_REPLIES} replies held by the platform and a second message queued in each of their chats, restart at once …`);
  const held = await holdReplies(soak, fake);
  // Impatient users write again: acknowledged, but queued behind the held reply in their chat.
  await Promise.all(held.map((message) => soak.send(chatOf(message), pick(FOLLOW_UPS), { group: isGroup(message) }).delivered));
  const repliedBeforeKill = soak.replies();
  const inFlightAtKill = [...soak.sent.values()].filter((message) => !repliedBeforeKill.has(message.messageId)).length;
  botRef.peakRss = Math.max(botRef.peakRss, peakRssMb(botRef.bot.child.pid!));
  const killedAt = Date.now();
  await botRef.bot.kill();
  while (fake.wsClientCount() > 0) await sleep(10);
  botRef.bot = await startBot(workspace, env, { compiled: true });
  await fake.waitForWsClient(30_000);
  const reconnectedAt = Date.now();
  log(`  reconnected after ${reconnectedAt - killedAt} ms; ${inFlightAtKill} messages were unanswered at the kill`);

  await at(0.7);
  const replied = soak.replies();
  const answered = [...soak.sent.values()].filter((message) => replied.has(message.messageId));
  // Half from before the kill (the new process never saw them: only the store knows), half after.
  const before = answered.filter((message) => message.sentAt < killedAt).slice(-BURST_SIZE / 2);
  const after = answered.filter((message) => message.sentAt >= reconnectedAt).slice(-BURST_SIZE / 2);
  const burst = [...before, ...after];
  log(`fault: a burst of ${burst.length} redeliveries of answered events …`);
  const burstStarted = performance.now();
  await Promise.all(burst.map((message) => soak.deliver(message.envelope)));
  const burstMs = Math.round(performance.now() - burstStarted);
  const takenOver = botRef.bot.logs.find((line) => line.includes('answering messages left unanswered'));
  return {
    reingestMs,
    newDocumentAnswered,
    killedAt,
    reconnectedAt,
    inFlightAtKill,
    takenOverAtStart: Number(takenOver?.match(/"count":(\d+)/)?.[1] ?? 0),
    burst: burst.length,
    burstMs,
  };
}

export async function benchSoak(options: SoakOptions = {}): Promise<Record<string, unknown>> {
  const minutes = options.minutes ?? 10;
  const chats = options.chats ?? 200;
  const log = options.log ?? (() => {});
  const durationMs = minutes * 60_000;
  log('building dist/ (npm run build) so the bot runs as in production …');
  execSync('npm run -s build', { cwd: REPO_ROOT, stdio: 'ignore' });
  const fake = await startFakeLark();
  const workspace = await createWorkspace();
  const env = { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.baseUrl, ADMIN_OPEN_IDS: ADMIN };
  const botRef = { bot: await startBot(workspace, env, { compiled: true }), peakRss: 0 };
  const sampler = setInterval(() => (botRef.peakRss = Math.max(botRef.peakRss, peakRssMb(botRef.bot.child.pid!))), 500);
  const soak = new Soak(fake);
  const questions = readQuestions(path.join(REPO_ROOT, 'tests/eval/questions.jsonl')).map((question) => question.question);
  try {
    await fake.waitForWsClient();
    log(`soak: ${chats} chats for ${minutes} min …`);
    const startedAt = Date.now();
    const endAt = startedAt + durationMs;
    const progress = setInterval(() => log(`  ${Math.round((Date.now() - startedAt) / 1000)} s: ${soak.sent.size} sent, ${soak.replies().size} answered`), 30_000);
    const [fault] = await Promise.all([
      faults(soak, fake, workspace, botRef, env, startedAt, durationMs, log),
      ...Array.from({ length: chats }, (_, index) => chat(soak, index, questions, endAt)),
    ]);
    clearInterval(progress);
    log(`draining: every message answered, or ${DRAIN_MS / 1000} s …`);
    await Promise.all(soak.deliveries);
    const drainEnd = Date.now() + DRAIN_MS;
    while (soak.replies().size < soak.sent.size && Date.now() < drainEnd) await sleep(250);
    await sleep(SETTLE_MS);
    botRef.peakRss = Math.max(botRef.peakRss, peakRssMb(botRef.bot.child.pid!));

    const replies = soak.replies();
    const messages = [...soak.sent.values()];
    const lost = messages.filter((message) => !replies.has(message.messageId));
    const duplicated = messages.filter((message) => (replies.get(message.messageId)?.count ?? 0) > 1);
    const latencies = messages.flatMap((message) => {
      const reply = replies.get(message.messageId);
      return reply ? [reply.firstAt - message.sentAt] : [];
    });
    const backlog = messages.filter((message) => message.sentAt < fault.reconnectedAt).map((message) => replies.get(message.messageId)?.firstAt ?? Number.NaN);
    const stats = latencyStats(latencies);
    for (const message of [...lost, ...duplicated].slice(0, 10)) {
      log(`  ${replies.has(message.messageId) ? 'duplicate' : 'lost'}: ${message.messageId} ${JSON.stringify(message.envelope['event'].message.content)}`);
    }
    return {
      minutes,
      chats,
      'messages sent': messages.length,
      'messages lost': lost.length,
      'messages answered twice or more': duplicated.length,
      'error replies': [...replies.values()].filter((reply) => reply.texts.some(isErrorCard)).length,
      'undelivered (no ack in time)': soak.undelivered,
      'pushes repeated (no ack)': soak.redelivered,
      'reply ms p50': round(stats.p50, 0),
      'reply ms p95': round(stats.p95, 0),
      'reply ms max': round(stats.max, 0),
      're-ingest reply ms': fault.reingestMs,
      'new document answered after re-ingest': fault.newDocumentAnswered,
      'unanswered at the kill': fault.inFlightAtKill,
      'sent while the bot was down': messages.filter((message) => message.sentAt >= fault.killedAt && message.sentAt < fault.reconnectedAt).length,
      'taken over at restart': fault.takenOverAtStart,
      'kill → reconnected ms': fault.reconnectedAt - fault.killedAt,
      'kill → earlier messages all answered ms': backlog.some(Number.isNaN) ? null : Math.max(...backlog) - fault.killedAt,
      'redelivery burst': fault.burst,
      'redelivery burst acked ms': fault.burstMs,
      'bot peak RSS MB': botRef.peakRss,
    };
  } finally {
    clearInterval(sampler);
    await botRef.bot.stop();
    await fake.close();
    workspace.remove();
  }
}

/** Table rows for the figures `benchSoak` returned; the targets are exactly one reply per message. */
export function soakRows(result: Record<string, unknown>): BenchRow[] {
  const value = (key: string) => String(result[key]);
  const zero = (metric: string, key: string): BenchRow => ({ metric, value: value(key), target: '0', met: result[key] === 0 });
  const ms = (metric: string, key: string): BenchRow => ({ metric, value: result[key] === null ? 'never' : `${value(key)} ms` });
  return [
    { metric: 'duration, chats', value: `${value('minutes')} min, ${value('chats')} chats` },
    { metric: 'messages sent', value: value('messages sent') },
    zero('lost (no reply)', 'messages lost'),
    zero('duplicate (2+ replies)', 'messages answered twice or more'),
    zero('error replies', 'error replies'),
    zero('undelivered (never acked)', 'undelivered (no ack in time)'),
    { metric: 'pushes repeated (no ack)', value: value('pushes repeated (no ack)') },
    ms('event → reply p50', 'reply ms p50'),
    ms('event → reply p95', 'reply ms p95'),
    ms('event → reply max', 'reply ms max'),
    ms('re-ingest reply', 're-ingest reply ms'),
    { metric: 'new document answered', value: value('new document answered after re-ingest'), target: 'true', met: result['new document answered after re-ingest'] === true },
    { metric: 'unanswered at the kill -9', value: value('unanswered at the kill') },
    { metric: 'sent while the bot was down', value: value('sent while the bot was down') },
    { metric: 'taken over at restart', value: value('taken over at restart') },
    ms('kill → reconnected', 'kill → reconnected ms'),
    ms('kill → earlier messages answered', 'kill → earlier messages all answered ms'),
    { metric: 'redelivery burst (answered)', value: `${value('redelivery burst')} events, acked in ${value('redelivery burst acked ms')} ms` },
    { metric: 'bot peak RSS', value: `${value('bot peak RSS MB')} MB` },
  ];
}
