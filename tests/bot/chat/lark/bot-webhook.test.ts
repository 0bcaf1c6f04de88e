
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentText, type FakeLark } from '../../../fake-lark/index.ts';
import type { BotProcess } from '../../../helpers/bot-process.ts';
import { larkEnv, startBotOnFakeLark, stopBotOnFakeLark } from '../../../helpers/lark-bot.ts';
import type { Workspace } from '../../../helpers/workspace.ts';
import { freePort } from '../../../helpers/net.ts';

const ENCRYPT_KEY = 'test-encrypt-key-0123456789';
let fake: FakeLark;
let workspace: Workspace;
let bot: BotProcess;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  ({ fake, workspace, bot } = await startBotOnFakeLark((lark) => larkEnv(lark, { encryptKey: ENCRYPT_KEY, verificationToken: 'verification-token', port })));
  url = `http://127.0.0.1:${port}/webhook/event`;
}, 60_000);

afterAll(() => stopBotOnFakeLark({ bot, fake, workspace }));

describe('bot over webhooks', () => {
  it('answers the URL verification challenge', async () => {
    const response = await fake.postWebhook(url, { type: 'url_verification', challenge: 'challenge-123', token: 'verification-token' }, { encryptKey: ENCRYPT_KEY });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: 'challenge-123' });
  });

  it('answers an encrypted, signed message event', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '容缺承诺制是什么？' });
    const response = await fake.postWebhook(url, event, { encryptKey: ENCRYPT_KEY });
    expect(response.status).toBe(200);
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === event['event'].message.message_id, 10_000);
    expect(sentText(reply)).toContain('容缺');
  });

  it('rejects an event with a forged signature and does not reply', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '一网通办是什么？' });
    await fake.postWebhook(url, event, { encryptKey: ENCRYPT_KEY, forgeSignature: true });
    // The control, in the same chat: the channel handles a chat's messages in order, so once the
    // control is answered the forged event would have been answered too.
    const control = fake.messageEvent({ chatType: 'p2p', chatId: event['event'].message.chat_id, text: '一窗通办是什么？' });
    await fake.postWebhook(url, control, { encryptKey: ENCRYPT_KEY });
    await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === control['event'].message.message_id, 10_000);
    expect(fake.sent.filter((record) => record.replyTo === event['event'].message.message_id)).toHaveLength(0);
  });

  it('answers 404 on other paths instead of hanging', async () => {
    const response = await fetch(url.replace('/webhook/event', '/other'), { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
  });
});
