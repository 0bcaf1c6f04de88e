/**
 * The chat pipeline in process, through the terminal transport (the same pipeline Lark uses):
 * commands, admin rights, over-long and empty messages, follow-up memory and its reset; and,
 * through a recording transport, the keys that make each reply idempotent, a reply of unknown
 * fate answered at the next start instead of an error card, and a failing store.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalChatQa, renderCardText, ChatBot, BotStore, TerminalTransport, ConversationMemory, type ChatTransport, type IncomingMessage } from '../../../bot/chat/index.ts';
import { AppError } from '../../../core/index.ts';
import { KnowledgeAdmin } from '../../../ingest/index.ts';
import { RuleFollowUpResolver } from '../../../bot/qa/index.ts';
import { bundledWorkspace, openQa } from '../../helpers/qa.ts';
import { buildIndex, type Workspace } from '../../helpers/workspace.ts';

const ADMIN = 'ou_admin';
const USER = 'ou_user';
let workspace: Workspace;
let output: string[];
let bot: ChatBot;
let transport: TerminalTransport;
let chatQa: LocalChatQa;
let counter = 0;

beforeAll(async () => {
  // Admins delete documents here: a private copy of the knowledge and its index.
  workspace = await bundledWorkspace();
  const { knowledgeDir, indexDir } = workspace;
  const paths = { knowledgeDir, indexDir, maxFileBytes: 1024 * 1024 };
  const { embedder, holder: index, qa } = openQa(indexDir);
  chatQa = new LocalChatQa({ qa, followUps: new RuleFollowUpResolver((question) => qa.retrieve(question)), index });
  output = [];
  const logger = { info() {}, warn() {}, error() {} };
  transport = new TerminalTransport((text) => output.push(text));
  bot = new ChatBot({
    qa: chatQa,
    admin: new KnowledgeAdmin({ ...paths, runIngest: () => buildIndex(knowledgeDir, indexDir, { embedder, maxFileBytes: paths.maxFileBytes }), onIndexSwitched: () => chatQa.refresh(), logger }),
    store: new BotStore(':memory:'),
    transport,
    adminIds: [ADMIN],
    logger,
    memory: new ConversationMemory({ maxTurns: 3, ttlMs: 60_000 }),
    maxQuestionChars: 60,
  });
});

afterAll(() => workspace?.remove());

async function send(text: string, senderId = USER): Promise<string> {
  const message: IncomingMessage = { messageId: `om_${++counter}`, chatId: 'oc_test', chatType: 'p2p', senderId, text, contentType: 'text', resources: [] };
  output.length = 0;
  await bot.handleMessage(message);
  return output.join('');
}

describe('chat pipeline', () => {
  it('answers help and lists documents, to an admin with date, chunk count and index version', async () => {
    expect(await send('帮助')).toContain('文档');
    const docs = await send('/docs', ADMIN);
    expect(docs).toContain('已收录 5 个文档');
    expect(docs).toMatch(/渤新管字\[2018\]168号 · 2018-04-20 · \d+ 个片段/);
    expect(docs).toContain('索引版本');
  });

  it('ignores an empty message', async () => {
    expect(await send('   ')).toBe('');
    // Control: the same chat, the same way in, answers a message that has words.
    expect(await send('帮助')).toContain('使用帮助');
  });

  it('trims an over-long question and says so, also after a feedback click redraws the card', async () => {
    const reply = await send(`技术改造有什么奖补政策？${'请详细说明'.repeat(20)}`);
    expect(reply).toContain('问题过长，只按前 60 个字回答');
    expect(reply).toContain('技术改造');
    const buttons = transport.lastButtons!;
    output.length = 0;
    await bot.handleCardAction({ messageId: buttons.messageId, chatId: 'oc_test', operatorId: USER, value: buttons.buttons[0]!.value });
    const redrawn = output.join('');
    expect(redrawn).toContain('已标记有用');
    expect(redrawn).toContain('问题过长，只按前 60 个字回答');
  });

  it('keeps admin commands for admins', async () => {
    expect(await send('重新导入')).toContain('需要管理员权限');
    expect(await send('stats')).toContain('需要管理员权限');
    const stats = await send('统计', ADMIN);
    expect(stats).toMatch(/近 7 天：提问 \d+ 次/);
  });

  it('lets an admin remove a document, after which it is no longer listed', async () => {
    expect(await send('删除 cangzhou-edz-multi-drive-2021.txt', ADMIN)).toContain('确认删除《高质量发展实现多轮驱动》');
    const reply = await send('确认删除', ADMIN);
    expect(reply).toContain('已删除《高质量发展实现多轮驱动》');
    expect(existsSync(path.join(workspace.knowledgeDir, 'cangzhou-edz-multi-drive-2021.txt'))).toBe(false);
    expect(await send('文档')).toContain('已收录 4 个文档');
    expect(await send('删除 不存在的文件', ADMIN)).toContain('没有找到文档');
  });

  it('understands a follow-up from the previous question, and forgets it after 新对话', async () => {
    await send('双创双服里孵化器要建几个？');
    const followUp = await send('这个由哪个部门负责？');
    expect(followUp).toMatch(/按“.*孵化器.*”理解您的问题/);
    expect(followUp).toContain('责任单位');
    expect(await send('新对话')).toContain('之前的对话已清除');
    expect(await send('这个由哪个部门负责？')).not.toContain('理解您的问题');
  });

  it('renders an answer card with numbered sources and buttons', async () => {
    const reply = await send('一窗通办怎么办理？');
    expect(reply).toContain('【政策问答】');
    expect(reply).toMatch(/\[1\] 《/);
    expect(reply).toContain('[👍 有用] 输入 :1');
    expect(renderCardText({ body: { elements: [{ tag: 'markdown', content: 'a\\*b' }] } }).text).toBe('a*b');
  });

  it('renders the closest clauses as what they are, not an answer, also after a vote redraws the card', async () => {
    const reply = await send('技改事后奖补按设备投资额的百分之几给？');
    expect(reply).toContain('【未找到直接答案 · 相关条款】');
    expect(reply).toContain('文件中没有直接回答这个问题。以下条款与您的问题最相关：');
    expect(reply).toMatch(/相关条款\n\[1\] 《沧州经济开发区国民经济和社会发展第十三个五年规划纲要》/);
    expect(reply).toMatch(/\n> [^\n]*(?:技改|技术改造)/);
    expect(reply).not.toContain('根据《');
    expect(reply).not.toContain('【政策问答】');
    const buttons = transport.lastButtons!;
    expect(buttons.buttons.map((button) => button.label)).toEqual(['👍 有用', '👎 没用', '📄 查看原文']);
    output.length = 0;
    await bot.handleCardAction({ messageId: buttons.messageId, chatId: 'oc_test', operatorId: USER, value: buttons.buttons[1]!.value });
    const redrawn = output.join('');
    expect(redrawn).toContain('[👎 已标记没用]');
    expect(redrawn).toContain('【未找到直接答案 · 相关条款】');
    expect(redrawn).toMatch(/\n> [^\n]*(?:技改|技术改造)/);
  });

  it('renders a question nothing in the documents is close to as not found, without sources', async () => {
    const reply = await send('住房公积金怎么提取？');
    expect(reply).toContain('【未在政策文件中找到依据】');
    expect(reply).toContain('知识库中没有找到与「公积金');
    expect(reply).not.toContain('相关条款');
    expect(reply).not.toContain('来源');
    expect(transport.lastButtons!.buttons.map((button) => button.label)).toEqual(['👍 有用', '👎 没用']);
  });
});

describe('exactly one reply per message', () => {
  interface Sent {
    messageId: string;
    key: string | undefined;
    text: string;
  }
  const directories: string[] = [];
  const storeFile = () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'qa-pipeline-'));
    directories.push(directory);
    return path.join(directory, 'bot.sqlite');
  };
  afterAll(() => {
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  /** Records every reply with its key; `failing` keys fail (`times` times each) the way the Lark transport reports a lost answer. */
  function recordingTransport(failing: string[] = [], times = Number.POSITIVE_INFINITY): ChatTransport & { sent: Sent[] } {
    const sent: Sent[] = [];
    const failures = new Map<string, number>();
    return {
      sent,
      replyCard: async (messageId, card, key) => {
        const failed = failures.get(key ?? '') ?? 0;
        if (key && failing.includes(key) && failed < times) {
          failures.set(key, failed + 1);
          throw new AppError('reply_unconfirmed', 'timed out; the platform may have it');
        }
        sent.push({ messageId, key, text: renderCardText(card).text });
        return `om_reply_${sent.length}`;
      },
      updateCard: async () => {},
      downloadAttachment: async () => Buffer.alloc(0),
    };
  }
  function errorLogger() {
    const errors: { message: string; context?: Record<string, unknown> }[] = [];
    return { errors, info() {}, warn() {}, error: (message: string, context?: Record<string, unknown>) => void errors.push({ message, ...(context ? { context } : {}) }) };
  }
  const chatBot = (store: BotStore, chatTransport: ChatTransport, logger = errorLogger(), unconfirmedRetryMs = 60_000) =>
    new ChatBot({ qa: chatQa, admin: {} as KnowledgeAdmin, store, transport: chatTransport, adminIds: [], logger, unconfirmedRetryMs });
  const question = (messageId: string, text: string): IncomingMessage => ({ messageId, chatId: 'oc_once', chatType: 'p2p', senderId: USER, text, contentType: 'text', resources: [] });

  it('keys each reply by its role, so a resend is the same reply', async () => {
    const recording = recordingTransport();
    const bot = chatBot(new BotStore(':memory:'), recording);
    await bot.handleMessage(question('om_keys_1', '一窗通办怎么办理？'));
    await bot.handleMessage(question('om_keys_2', '帮助'));
    expect(recording.sent.map(({ messageId, key }) => [messageId, key])).toEqual([
      ['om_keys_1', 'answer'],
      ['om_keys_2', 'reply-1'],
    ]);
  });

  it('sends no error card when the answer may have arrived, and answers it again under the same key at the next start', async () => {
    const location = storeFile();
    const lost = recordingTransport(['answer']);
    const logger = errorLogger();
    const first = new BotStore(location);
    await chatBot(first, lost, logger, 10).handleMessage(question('om_lost', '一窗通办怎么办理？'));
    expect(lost.sent).toEqual([]);
    await vi.waitFor(() => expect(logger.errors.map((entry) => entry.message)).toContain('reply unconfirmed, left for the next start'));
    expect(logger.errors.map((entry) => entry.message)).toEqual([
      'reply unconfirmed, sending it again later',
      'reply unconfirmed, sending it again later',
      'reply unconfirmed, left for the next start',
    ]);
    // The platform redelivers while this process still holds the claim: nothing is sent twice.
    await chatBot(first, lost).handleMessage(question('om_lost', '一窗通办怎么办理？'));
    expect(lost.sent).toEqual([]);
    first.close();

    // The next start (a new store on the same file) answers what was left.
    const next = recordingTransport();
    await chatBot(new BotStore(location), next).answerUnfinished();
    expect(next.sent.map(({ messageId, key }) => [messageId, key])).toEqual([['om_lost', 'answer']]);
    expect(next.sent[0]!.text).toContain('一窗');
  });

  it('sends a reply of unknown fate again later under the same key, and only once it is through is the message done', async () => {
    const location = storeFile();
    const flaky = recordingTransport(['answer'], 1);
    const store = new BotStore(location);
    await chatBot(store, flaky, errorLogger(), 10).handleMessage(question('om_flaky', '一窗通办怎么办理？'));
    await vi.waitFor(() => expect(flaky.sent.map(({ messageId, key }) => [messageId, key])).toEqual([['om_flaky', 'answer']]));
    store.close();
    await chatBot(new BotStore(location), recordingTransport()).answerUnfinished();
    expect(flaky.sent).toHaveLength(1);
  });

  it('does not answer anew beside a streaming card of unknown fate, but streams again later into it', async () => {
    const recording = recordingTransport();
    const streams: string[] = [];
    const updated: string[] = [];
    const streaming: ChatTransport = {
      ...recording,
      streamReply: async (messageId, _chatId, produce) => {
        streams.push(messageId);
        if (streams.length === 1) throw new AppError('reply_unconfirmed', 'timed out; the platform may have it');
        await produce(() => {});
        return 'om_stream_reply';
      },
      updateCard: async (messageId) => void updated.push(messageId),
    };
    const bot = new ChatBot({ qa: chatQa, admin: {} as KnowledgeAdmin, store: new BotStore(':memory:'), transport: streaming, adminIds: [], logger: errorLogger(), streamAnswers: true, unconfirmedRetryMs: 10 });
    await bot.handleMessage(question('om_stream', '一窗通办怎么办理？'));
    expect(recording.sent).toEqual([]);
    await vi.waitFor(() => expect(updated).toEqual(['om_stream_reply']));
    expect(streams).toEqual(['om_stream', 'om_stream']);
    expect(recording.sent).toEqual([]);
  });

  it('still answers when the store cannot record the message, and logs the store file', async () => {
    const location = storeFile();
    new BotStore(location).close();
    const db = new Database(location);
    db.exec(`CREATE TRIGGER full BEFORE INSERT ON handled_messages BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    db.exec(`CREATE TRIGGER full_answers BEFORE INSERT ON answers BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    db.close();
    const recording = recordingTransport();
    const logger = errorLogger();
    await chatBot(new BotStore(location), recording, logger).handleMessage(question('om_full', '一窗通办怎么办理？'));
    expect(recording.sent.map(({ key }) => key)).toEqual(['answer']);
    expect(recording.sent[0]!.text).toContain('一窗');
    expect(logger.errors.length).toBeGreaterThanOrEqual(2);
    for (const entry of logger.errors) expect(entry.context?.['store']).toBe(location);
  });
});

