/**
 * Hostile and odd webhook traffic against the real bot process in webhook mode: forged, stale,
 * mis-tokened and oversize requests are refused and the bot keeps answering; rich-text posts,
 * other bots' messages and late redeliveries are handled as a user would expect.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sentText, type FakeLark } from '../../../fake-lark/index.ts';
import type { BotProcess } from '../../../helpers/bot-process.ts';
import { larkEnv, startBotOnFakeLark, stopBotOnFakeLark } from '../../../helpers/lark-bot.ts';
import { freePort } from '../../../helpers/net.ts';
import type { Workspace } from '../../../helpers/workspace.ts';

const ENCRYPT_KEY = 'test-encrypt-key-0123456789';
const TOKEN = 'verification-token';
let fake: FakeLark;
let workspace: Workspace;
let bot: BotProcess;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  ({ fake, workspace, bot } = await startBotOnFakeLark((lark) => larkEnv(lark, { encryptKey: ENCRYPT_KEY, verificationToken: TOKEN, port })));
  base = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(() => stopBotOnFakeLark({ bot, fake, workspace }));

type Envelope = ReturnType<FakeLark['messageEvent']>;
const messageId = (event: Envelope): string => event['event'].message.message_id;
const chatId = (event: Envelope): string => event['event'].message.chat_id;
const repliesTo = (event: Envelope) => fake.sent.filter((record) => record.kind === 'reply' && record.replyTo === messageId(event));

/** Sends a signed question in `chat` and waits for its answer. */
async function answered(text: string, chat?: string): Promise<string> {
  const event = fake.messageEvent({ chatType: 'p2p', text, ...(chat ? { chatId: chat } : {}) });
  const response = await fake.postWebhook(`${base}/webhook/event`, event, { encryptKey: ENCRYPT_KEY });
  expect(response.status).toBe(200);
  return sentText(await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === messageId(event), 15_000));
}

/** `event` has `count` replies and gets no more: a later message in its chat is answered (a chat is served in order). */
async function expectReplies(event: Envelope, count = 0): Promise<void> {
  expect(await answered('一窗通办是什么？', chatId(event))).toContain('一窗');
  expect(repliesTo(event)).toHaveLength(count);
}

function residentBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(line?.[1]) * 1024;
}

/**
 * POSTs `totalBytes` of a never-ending `{"encrypt":"AAAA…` in 64 KB writes, stopping once the bot
 * answers. With `chunked`, no Content-Length is sent, so the bot can only find out by reading.
 */
function postLarge(url: string, totalBytes: number, chunked: boolean): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const piece = Buffer.alloc(64 * 1024, 0x41);
  piece.write('{"encrypt":"');
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const request = http.request(url, { method: 'POST', agent: false, headers: chunked ? {} : { 'Content-Length': totalBytes } }, (response) => {
      status = response.statusCode ?? 0;
      response.resume();
      resolve({ status, ms: Date.now() - started });
    });
    // An upload the bot cuts off may break before its end: only a missing answer is a failure.
    request.on('error', (error) => (status === undefined ? reject(error) : undefined));
    let written = 0;
    const write = () => {
      while (written < totalBytes && status === undefined && !request.destroyed) {
        const part = piece.subarray(0, Math.min(piece.length, totalBytes - written));
        written += part.length;
        if (!request.write(part)) return void request.once('drain', write);
      }
      if (written >= totalBytes) request.end();
    };
    write();
  });
}

describe('webhook faults', () => {
  it('refuses an unsigned {"encrypt":"AAAA"} on both paths and keeps answering', async () => {
    for (const route of ['/webhook/event', '/webhook/card']) {
      const response = await fake.postWebhook(`${base}${route}`, { encrypt: 'AAAA' }, { encryptKey: ENCRYPT_KEY, plain: true, unsigned: true });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect(bot.child.exitCode).toBeNull();
    expect(await answered('容缺承诺制是什么？')).toContain('容缺');
  });

  it('refuses a correctly signed event whose timestamp is two days old', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '一网通办是什么？' });
    const twoDaysAgo = Math.floor(Date.now() / 1000) - 2 * 24 * 3600;
    const response = await fake.postWebhook(`${base}/webhook/event`, event, { encryptKey: ENCRYPT_KEY, timestamp: twoDaysAgo });
    expect(response.status).toBe(401);
    await expectReplies(event);
  });

  it('refuses a signed event carrying the wrong verification token', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '一网通办是什么？' });
    event['header'].token = 'someone-elses-token';
    const response = await fake.postWebhook(`${base}/webhook/event`, event, { encryptKey: ENCRYPT_KEY });
    expect(response.status).toBe(401);
    await expectReplies(event);
  });

  it('answers an unsigned URL verification only with the right token', async () => {
    const challenge = (token: string) => ({ type: 'url_verification', challenge: `challenge-${token}`, token });
    const refused = await fake.postWebhook(`${base}/webhook/event`, challenge('wrong-token'), { encryptKey: ENCRYPT_KEY, unsigned: true });
    expect(refused.status).toBe(401);
    expect(refused.body).not.toContain('challenge-wrong-token');
    const accepted = await fake.postWebhook(`${base}/webhook/event`, challenge(TOKEN), { encryptKey: ENCRYPT_KEY, unsigned: true });
    expect(accepted.status).toBe(200);
    expect(JSON.parse(accepted.body)).toEqual({ challenge: `challenge-${TOKEN}` });
  });

  it('refuses a 10 MB body and 5 more at once with 413 without buffering them, declared or streamed, with resident memory bounded', async () => {
    const before = residentBytes(bot.child.pid!);
    const declared = await postLarge(`${base}/webhook/event`, 10 * 1024 * 1024, false);
    expect(declared.status).toBe(413);
    expect(declared.ms).toBeLessThan(2_000);
    const results = await Promise.all(Array.from({ length: 5 }, () => postLarge(`${base}/webhook/card`, 10 * 1024 * 1024, true)));
    for (const result of results) expect(result.status).toBe(413);
    expect(residentBytes(bot.child.pid!) - before).toBeLessThan(64 * 1024 * 1024);
    expect(await answered('容缺承诺制是什么？')).toContain('容缺');
  });

  it('asks the clean text of a rich-text post: title and runs, link text kept, mention and image dropped', async () => {
    const post = {
      title: '请教',
      content: [
        [
          { tag: 'a', text: '容缺承诺制', href: 'https://example.gov.cn/policy?id=1' },
          { tag: 'text', text: '是什么？' },
          { tag: 'at', user_id: 'ou_someone_else', user_name: '张三' },
        ],
        [{ tag: 'img', image_key: 'img_v3_0123' }],
      ],
    };
    const event = fake.messageEvent({ chatType: 'p2p', messageType: 'post', content: post });
    await fake.postWebhook(`${base}/webhook/event`, event, { encryptKey: ENCRYPT_KEY });
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === messageId(event), 15_000);
    expect(sentText(reply)).toContain('容缺');
    // What was asked, as the bot stored it with the answer (saved right after the reply went out).
    const store = new Database(path.join(workspace.dataDir, 'bot.sqlite'), { readonly: true });
    try {
      const asked = () => (store.prepare('SELECT question FROM answers WHERE chat_id = ?').all(chatId(event)) as { question: string }[]).map((row) => row.question);
      await vi.waitFor(() => expect(asked()).toEqual(['请教 容缺承诺制是什么？']), { timeout: 5_000 });
    } finally {
      store.close();
    }
  });

  it("ignores another bot's message (and logs it)", async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '容缺承诺制是什么？', senderType: 'app' });
    await fake.postWebhook(`${base}/webhook/event`, event, { encryptKey: ENCRYPT_KEY });
    await expectReplies(event);
    expect(bot.logs.some((line) => line.includes('message from an app ignored') && line.includes(messageId(event)))).toBe(true);
  });

  it('answers a redelivery older than the SDK’s 30-minute window (and logs it as late)', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '容缺承诺制是什么？', createTime: Date.now() - 2 * 3600_000 });
    await fake.postWebhook(`${base}/webhook/event`, event, { encryptKey: ENCRYPT_KEY });
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === messageId(event), 15_000);
    expect(sentText(reply)).toContain('容缺');
    expect(bot.logs.some((line) => line.includes('late (re)delivery') && line.includes(messageId(event)))).toBe(true);
    // The platform's next retry of the same message is not answered again.
    await fake.postWebhook(`${base}/webhook/event`, event, { encryptKey: ENCRYPT_KEY });
    await expectReplies(event, 1);
  });
});

