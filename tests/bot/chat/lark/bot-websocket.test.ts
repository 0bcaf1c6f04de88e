/**
 * The real bot process, connected through the real SDK's websocket long connection to a fake
 * Lark platform on 127.0.0.1: questions, group policy, duplicate delivery (also across a
 * restart), admin uploads, feedback buttons.
 */
import { copyFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentText, type FakeLark, type SentRecord } from '../../../fake-lark/index.ts';
import { startBot, type BotProcess } from '../../../helpers/bot-process.ts';
import { larkEnv, startBotOnFakeLark, stopBotOnFakeLark } from '../../../helpers/lark-bot.ts';
import { KNOWLEDGE_DIR, UNSEEN_DIR } from '../../../helpers/paths.ts';
import { buildIndex, type Workspace } from '../../../helpers/workspace.ts';

const ADMIN = 'ou_admin_0000000000000000000001';
const USER = 'ou_user_00000000000000000000002';

let fake: FakeLark;
let workspace: Workspace;
let bot: BotProcess;

const env = (lark = fake) => ({ ...larkEnv(lark), ADMIN_OPEN_IDS: ADMIN });

const knowledgeText = (): string =>
  readdirSync(KNOWLEDGE_DIR)
    .filter((file) => file.endsWith('.txt'))
    .map((file) => readFileSync(path.join(KNOWLEDGE_DIR, file), 'utf8'))
    .join('\n')
    .replace(/[\s|]+/g, '');

const repliesTo = (messageId: string): SentRecord[] => fake.sent.filter((record) => record.kind === 'reply' && record.replyTo === messageId);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const chatOf = (event: ReturnType<FakeLark['messageEvent']>): string => event['event'].message.chat_id as string;

/**
 * A control for "nothing happened": sends a message to `chatId` that must be answered and waits
 * for its reply. The channel handles one chat's messages in order, each to the end, so once the
 * control is answered every earlier message of that chat has been handled (or dropped), and any
 * reply to it has been sent.
 */
async function answeredControl(chatId: string, chatType: 'p2p' | 'group' = 'p2p'): Promise<void> {
  const control = fake.messageEvent({ chatType, chatId, text: '帮助', senderOpenId: USER, mentionBot: chatType === 'group' });
  await fake.deliverEvent(control);
  const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === control['event'].message.message_id, 10_000);
  expect(sentText(reply)).toContain('帮助');
}

function quotesOf(record: SentRecord): string[] {
  return sentText(record)
    .split('\n')
    .filter((line) => line.startsWith('> '))
    .map((line) => line.slice(2).replace(/\\([*_~`[\]])/g, '$1'));
}

beforeAll(async () => {
  ({ fake, workspace, bot } = await startBotOnFakeLark(env));
}, 60_000);

afterAll(() => stopBotOnFakeLark({ bot, fake, workspace }));

describe('bot over the Lark websocket', () => {
  it('answers a direct question with one card whose citations quote the documents', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '技术改造有什么奖补政策？', senderOpenId: USER });
    const { ack, ackMs } = await fake.deliverEvent(event);
    expect(ack.code).toBe(200);
    expect(ackMs).toBeLessThan(1000);
    const messageId = event['event'].message.message_id as string;
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === messageId, 10_000);
    expect(reply.msgType).toBe('interactive');
    expect(reply.content.schema).toBe('2.0');
    const quotes = quotesOf(reply);
    expect(quotes.length).toBeGreaterThan(0);
    const corpus = knowledgeText();
    // Table rows are quoted as `| a | b |`; the raw file has one cell per line.
    for (const quote of quotes) expect(corpus).toContain(quote.replace(/[\s|]+/g, ''));
    expect(sentText(reply)).toContain('技术改造');
    await answeredControl(chatOf(event));
    expect(repliesTo(messageId)).toHaveLength(1);
  });

  it('ignores a group message that does not mention the bot, and answers one that does', async () => {
    const silent = fake.messageEvent({ chatType: 'group', text: '一窗通办怎么办理？', senderOpenId: USER });
    await fake.deliverEvent(silent);
    // The control, in the same group: answered after the silent one was dealt with.
    const mentioned = fake.messageEvent({ chatType: 'group', chatId: chatOf(silent), text: '一窗通办怎么办理？', senderOpenId: USER, mentionBot: true });
    await fake.deliverEvent(mentioned);
    const mentionedId = mentioned['event'].message.message_id as string;
    await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === mentionedId, 10_000);
    expect(repliesTo(silent['event'].message.message_id as string)).toHaveLength(0);
  });

  it('never answers @all', async () => {
    const all = fake.messageEvent({ chatType: 'group', text: '大家看看营商环境政策', senderOpenId: USER, mentionAll: true });
    await fake.deliverEvent(all);
    await answeredControl(chatOf(all), 'group');
    expect(repliesTo(all['event'].message.message_id as string)).toHaveLength(0);
  });

  it('answers a re-delivered message once, also after a restart', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '孵化器要建多少个？', senderOpenId: USER });
    const messageId = event['event'].message.message_id as string;
    await fake.deliverEvent(event);
    await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === messageId, 10_000);
    await fake.deliverEvent(event);
    await answeredControl(chatOf(event));
    expect(repliesTo(messageId)).toHaveLength(1);

    expect(await bot.stop()).toBe(0);
    bot = await startBot(workspace, env());
    await fake.waitForWsClient();
    await fake.deliverEvent(event);
    // A fresh question in the same chat proves the restarted bot is answering, and was handled after
    // the re-delivery; the old one must stay answered once.
    const probe = fake.messageEvent({ chatType: 'p2p', chatId: chatOf(event), text: '低保标准是多少？', senderOpenId: USER });
    await fake.deliverEvent(probe);
    await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === probe['event'].message.message_id, 10_000);
    expect(repliesTo(messageId)).toHaveLength(1);
  }, 60_000);

  it('gives a short hint for an image', async () => {
    const image = fake.messageEvent({ chatType: 'p2p', messageType: 'image', content: { image_key: 'img_v3_test' }, senderOpenId: USER });
    await fake.deliverEvent(image);
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === image['event'].message.message_id, 10_000);
    expect(sentText(reply)).toContain('图片');
  });

  it('lets an admin add a document by sending it, and then answers from it', async () => {
    const document = readFileSync(path.join(UNSEEN_DIR, 'zhejiang-zuiduo-paoyici-guiding.txt'));
    const upload = fake.messageEvent({
      chatType: 'p2p',
      messageType: 'file',
      content: { file_key: 'file_v3_zhejiang', file_name: '浙江最多跑一次规定.txt' },
      senderOpenId: ADMIN,
    });
    const uploadId = upload['event'].message.message_id as string;
    fake.addResource(uploadId, 'file_v3_zhejiang', document, '浙江最多跑一次规定.txt');
    await fake.deliverEvent(upload);
    const summary = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === uploadId, 20_000);
    expect(JSON.stringify(summary.content)).toContain('已新增《浙江最多跑一次规定.txt》');
    expect(sentText(summary)).toMatch(/新增，\d+ 个片段/);
    expect(existsSync(path.join(workspace.knowledgeDir, '浙江最多跑一次规定.txt'))).toBe(true);

    const question = fake.messageEvent({ chatType: 'p2p', text: '浙江省保障最多跑一次改革规定什么时候施行？', senderOpenId: USER });
    await fake.deliverEvent(question);
    const answer = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === question['event'].message.message_id, 10_000);
    expect(sentText(answer)).toContain('浙江');
    expect(sentText(answer)).toContain('2019年1月1日');
  }, 40_000);

  it('switches to an index built by a CLI ingest while it runs, without a restart', async () => {
    const source = path.join(UNSEEN_DIR, 'guobanfa-2019-6-rongzi-danbao.txt');
    copyFileSync(source, path.join(workspace.knowledgeDir, 'guobanfa-2019-6.txt'));
    const summary = await buildIndex(workspace.knowledgeDir, workspace.indexDir);
    expect(summary.switched).toBe(true);
    // The bot polls the index pointer every 2 s; ask until the new document answers.
    const deadline = Date.now() + 10_000;
    let text = '';
    while (Date.now() < deadline && !text.includes('1%')) {
      const question = fake.messageEvent({ chatType: 'p2p', text: '小微企业融资担保费率原则上不超过多少？', senderOpenId: USER });
      await fake.deliverEvent(question);
      text = sentText(await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === question['event'].message.message_id, 10_000));
      if (!text.includes('1%')) await sleep(500);
    }
    expect(text).toContain('1%');
    expect(text).toContain('融资担保');
  }, 30_000);

  it('refuses an upload from a non-admin and stores nothing', async () => {
    const before = readdirSync(workspace.knowledgeDir).sort();
    const upload = fake.messageEvent({ chatType: 'p2p', messageType: 'file', content: { file_key: 'file_v3_user', file_name: 'notes.txt' }, senderOpenId: USER });
    fake.addResource(upload['event'].message.message_id as string, 'file_v3_user', Buffer.from('一些内容'), 'notes.txt');
    await fake.deliverEvent(upload);
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === upload['event'].message.message_id, 10_000);
    expect(sentText(reply)).toContain('管理员');
    expect(readdirSync(workspace.knowledgeDir).sort()).toEqual(before);
    expect(fake.requests.some((request) => request.path.includes('/resources/file_v3_user'))).toBe(false);
  });

  it('rejects a malformed upload with a clear message and keeps the index', async () => {
    const pointer = readFileSync(path.join(workspace.indexDir, 'CURRENT'), 'utf8');
    const before = readdirSync(workspace.knowledgeDir).sort();
    const upload = fake.messageEvent({ chatType: 'p2p', messageType: 'file', content: { file_key: 'file_v3_bad', file_name: '政策.docx' }, senderOpenId: ADMIN });
    fake.addResource(upload['event'].message.message_id as string, 'file_v3_bad', Buffer.from('%PDF-1.4 this is not a word file'), '政策.docx');
    await fake.deliverEvent(upload);
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === upload['event'].message.message_id, 10_000);
    expect(sentText(reply)).toContain('未导入');
    expect(sentText(reply)).toContain('docx');
    expect(readFileSync(path.join(workspace.indexDir, 'CURRENT'), 'utf8')).toBe(pointer);
    expect(readdirSync(workspace.knowledgeDir).sort()).toEqual(before);
  });

  it('records feedback from the 👍 button and marks the card', async () => {
    const question = fake.messageEvent({ chatType: 'p2p', text: '并联审批是怎么回事？', senderOpenId: USER });
    await fake.deliverEvent(question);
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === question['event'].message.message_id, 10_000);
    const buttons = JSON.stringify(reply.content).match(/"action":"feedback","answerId":"([^"]+)"/);
    expect(buttons).not.toBeNull();
    const answerId = buttons![1]!;
    // A card in a private chat says so in its buttons: only there may a vote redraw it.
    await fake.deliverEvent(fake.cardActionEvent({ operatorOpenId: USER, value: { action: 'feedback', answerId, vote: 'up', p2p: true }, messageId: reply.messageId!, chatId: reply.chatId ?? '' }));
    const patch = await fake.waitFor((record) => record.kind === 'patch' && record.messageId === reply.messageId, 10_000);
    expect(JSON.stringify(patch.content)).toContain('已标记有用');
    const database = new Database(path.join(workspace.dataDir, 'bot.sqlite'), { readonly: true });
    try {
      const row = database.prepare('SELECT vote, operator_id FROM feedback WHERE answer_id = ?').get(answerId) as { vote: string; operator_id: string };
      expect(row).toEqual({ vote: 'up', operator_id: USER });
    } finally {
      database.close();
    }
  });
});
