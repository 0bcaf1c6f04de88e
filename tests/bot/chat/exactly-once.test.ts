/**
 * Exactly one reply per message through crashes and platform faults: the real bot process over
 * the real SDK's websocket against the fake Lark platform, with a real SQLite store. A reply held
 * by the platform while the bot is killed (also mid-stream, with a model), a reply accepted after
 * the client gave up, a rate limit, a store that cannot be written, a store that cannot be opened.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentText, type FakeLark, type SentRecord } from '../../fake-lark/index.ts';
import { startFakeOpenAI } from '../../fake-openai/index.ts';
import { startBot, type BotProcess } from '../../helpers/bot-process.ts';
import { larkEnv, startBotOnFakeLark, stopBotOnFakeLark } from '../../helpers/lark-bot.ts';
import { wellBehaved } from '../../helpers/fake-model.ts';
import type { Workspace } from '../../helpers/workspace.ts';

const USER = 'ou_user_00000000000000000000003';
/** The bot's HTTP deadline for Lark calls (bot/chat/lark/http-instance.ts). */
const CLIENT_TIMEOUT_MS = 15_000;

let fake: FakeLark;
let workspace: Workspace;
let bot: BotProcess;

const env = () => larkEnv(fake);
const storeFile = () => path.join(workspace.dataDir, 'bot.sqlite');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type MessageEvent = ReturnType<FakeLark['messageEvent']>;
const idOf = (event: MessageEvent): string => event['event'].message.message_id as string;
const chatOf = (event: MessageEvent): string => event['event'].message.chat_id as string;
const repliesTo = (messageId: string): SentRecord[] => fake.sent.filter((record) => record.kind === 'reply' && record.replyTo === messageId);
const isErrorCard = (record: SentRecord): boolean => /出了点问题|稍后再试/.test(sentText(record));

/** Whether this machine lets us make a file immutable (root on ext4 and the like): a write-failure fault that needs no full disk. */
const canFreezeFiles = (() => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'qa-chattr-'));
  const file = path.join(directory, 'probe');
  writeFileSync(file, '');
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
})();
const chattr = (flag: '+i' | '-i', ...files: string[]) => execFileSync('chattr', [flag, ...files], { stdio: 'ignore' });

function question(text: string, chatId?: string): MessageEvent {
  return fake.messageEvent({ chatType: 'p2p', text, senderOpenId: USER, ...(chatId ? { chatId } : {}) });
}

/**
 * Once a later message of the same chat is answered, every earlier one has been handled (the
 * channel runs one chat's messages in order), so counting replies after it is final.
 */
async function answeredControl(chatId: string): Promise<void> {
  const control = question('帮助', chatId);
  await fake.deliverEvent(control);
  await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(control), 20_000);
}

async function waitForRequest(route: string, messageId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fake.requests.some((request) => request.route === route && request.path.includes(messageId))) {
    if (Date.now() > deadline) throw new Error(`no ${route} request for ${messageId}`);
    await sleep(20);
  }
}

async function restart(): Promise<void> {
  while (fake.wsClientCount() > 0) await sleep(20);
  bot = await startBot(workspace, env());
  await fake.waitForWsClient();
}

beforeAll(async () => {
  ({ fake, workspace, bot } = await startBotOnFakeLark(larkEnv));
}, 60_000);

afterAll(() => stopBotOnFakeLark({ bot, fake, workspace }));

describe('exactly one reply', () => {
  it('answers once after a kill -9 between the ack and the reply, and ignores the redelivery', async () => {
    // The platform holds the reply (and then loses it) while the bot dies.
    fake.failNext('reply', { hangMs: 60_000, reset: true });
    const event = question('孵化器要建多少个？');
    const { ack } = await fake.deliverEvent(event);
    expect(ack.code).toBe(200);
    await waitForRequest('reply', idOf(event));
    await bot.kill();
    await restart();
    // The platform redelivers what it may think was lost.
    await fake.deliverEvent(event);
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(event), 20_000);
    expect(isErrorCard(reply)).toBe(false);
    await answeredControl(chatOf(event));
    expect(repliesTo(idOf(event))).toHaveLength(1);
  }, 90_000);

  it('shows a reply the platform accepted after the client timed out once, without an error card', async () => {
    fake.failNext('reply', { hangMs: CLIENT_TIMEOUT_MS + 1_500 });
    const event = question('技术改造有什么奖补政策？');
    const startedAt = Date.now();
    await fake.deliverEvent(event);
    await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(event), 40_000);
    // Until the held request has been accepted too, a second message could still appear.
    await sleep(Math.max(0, startedAt + CLIENT_TIMEOUT_MS + 2_500 - Date.now()));
    await answeredControl(chatOf(event));
    const replies = repliesTo(idOf(event));
    expect(replies).toHaveLength(1);
    expect(isErrorCard(replies[0]!)).toBe(false);
    expect(sentText(replies[0]!)).toContain('技术改造');
  }, 90_000);

  it.each([
    ['HTTP 429', { status: 429 }],
    ['code 99991400 (the app rate limit)', { status: 400, code: 99991400 }],
    ['code 230020 (the chat rate limit)', { status: 400, code: 230020 }],
  ])('retries a reply refused once with %s and delivers the answer', async (_name, failure) => {
    fake.failNext('reply', failure);
    const event = question('容缺承诺制是什么？');
    await fake.deliverEvent(event);
    await answeredControl(chatOf(event));
    const replies = repliesTo(idOf(event));
    expect(replies).toHaveLength(1);
    expect(isErrorCard(replies[0]!)).toBe(false);
    expect(sentText(replies[0]!)).toContain('容缺');
  }, 60_000);

  it.runIf(canFreezeFiles)('answers while the store cannot be written, and logs the store file', async () => {
    const wal = `${storeFile()}-wal`;
    const logged = bot.logs.length;
    chattr('+i', wal);
    try {
      const event = question('一窗通办是什么？');
      await fake.deliverEvent(event);
      const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(event), 20_000);
      expect(isErrorCard(reply)).toBe(false);
      expect(sentText(reply)).toContain('一窗');
      expect(bot.logs.slice(logged).join('\n')).toContain(storeFile());
    } finally {
      chattr('-i', wal);
    }
  }, 60_000);
});

describe('exactly one streamed reply', () => {
  let model: Awaited<ReturnType<typeof startFakeOpenAI>>;
  const modelEnv = () => ({ ...env(), LLM_BASE_URL: model.baseUrl, LLM_API_KEY: 'model-key', LLM_MODEL: 'fake-model' });

  beforeAll(async () => {
    model = await startFakeOpenAI({ apiKey: 'model-key', chat: wellBehaved });
    await bot.stop();
    while (fake.wsClientCount() > 0) await sleep(20);
    bot = await startBot(workspace, modelEnv());
    await fake.waitForWsClient();
  }, 60_000);

  afterAll(() => model?.close());

  it('answers in the one streamed message after a kill -9 mid-stream', async () => {
    // The first stream update is held while the bot dies: the streaming card is already in the chat.
    fake.failNext('card_element_content', { hangMs: 60_000, reset: true });
    const event = question('技术改造有什么奖补政策？');
    await fake.deliverEvent(event);
    const streamed = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === idOf(event), 20_000);
    await waitForRequest('card_element_content', '');
    await bot.kill();
    while (fake.wsClientCount() > 0) await sleep(20);
    bot = await startBot(workspace, modelEnv());
    await fake.waitForWsClient();
    await fake.deliverEvent(event);
    const final = await fake.waitFor((record) => record.kind === 'patch' && record.messageId === streamed.messageId, 30_000);
    expect(sentText(final)).toContain('来源');
    await answeredControl(chatOf(event));
    expect(repliesTo(idOf(event))).toHaveLength(1);
  }, 90_000);
});

describe('a store that cannot be opened', () => {
  const startWith = async (prepare: (file: string) => void): Promise<string> => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qa-bad-store-'));
    const file = path.join(dataDir, 'bot.sqlite');
    mkdirSync(dataDir, { recursive: true });
    prepare(file);
    try {
      const started = await startBot(workspace, { ...env(), DATA_DIR: dataDir }).then(
        async (process) => {
          await process.stop();
          return undefined;
        },
        (error: Error) => error.message,
      );
      return started ?? 'the bot started';
    } finally {
      if (canFreezeFiles) chattr('-i', file);
      rmSync(dataDir, { recursive: true, force: true });
    }
  };

  it('stops at start with a Chinese message naming a corrupt file and what to do', async () => {
    let file = '';
    const message = await startWith((location) => {
      file = location;
      writeFileSync(location, 'this is not a database '.repeat(200));
    });
    expect(message).toContain(file);
    expect(message).toMatch(/已损坏.*移走或改名后重启/);
  }, 60_000);

  it.runIf(canFreezeFiles)('stops at start with a Chinese message naming a read-only file', async () => {
    let file = '';
    const message = await startWith((location) => {
      file = location;
      writeFileSync(location, '');
      chattr('+i', location);
    });
    expect(message).toContain(file);
    expect(message).toContain('不可写');
  }, 60_000);
});
