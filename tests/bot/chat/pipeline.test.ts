/**
 * The chat pipeline in process, through the terminal transport (the same pipeline Lark uses):
 * commands, admin rights, over-long and empty messages, follow-up memory and its reset.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChatQa, renderCardText, ChatBot, BotStore, TerminalTransport, ConversationMemory, type IncomingMessage } from '../../../bot/chat/index.ts';
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
let counter = 0;

beforeAll(async () => {
  // Admins delete documents here: a private copy of the knowledge and its index.
  workspace = await bundledWorkspace();
  const { knowledgeDir, indexDir } = workspace;
  const paths = { knowledgeDir, indexDir, maxFileBytes: 1024 * 1024 };
  const { embedder, holder: index, qa } = openQa(indexDir);
  const chatQa = new LocalChatQa({ qa, followUps: new RuleFollowUpResolver((question) => qa.retrieve(question)), index });
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
  it('answers help and lists documents with date, chunk count and index version', async () => {
    expect(await send('帮助')).toContain('文档');
    const docs = await send('/docs');
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
