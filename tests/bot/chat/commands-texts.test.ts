/**
 * What users read from the commands, through the pipeline and the terminal transport as a new user
 * would meet them: help without markup to copy, the document list without index jargon (admins see
 * more), and admins' 统计 naming the latest questions left unanswered or voted 👎.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotStore, ChatBot, LocalChatQa, TerminalTransport, type IncomingMessage } from '../../../bot/chat/index.ts';
import { consoleSignInReply } from '../../../bot/console/index.ts';
import { RuleFollowUpResolver } from '../../../bot/qa/index.ts';
import { KnowledgeAdmin } from '../../../ingest/index.ts';
import { bundledWorkspace, openQa } from '../../helpers/qa.ts';
import { buildIndex, type Workspace } from '../../helpers/workspace.ts';

const ADMIN = 'ou_admin';
const USER = 'ou_user';
let workspace: Workspace;
let bot: ChatBot;
let transport: TerminalTransport;
/** Every card the bot sent, as Card JSON, so markup is checked where Lark would render it. */
let cards: object[];
let output: string[];
let counter = 0;

beforeAll(async () => {
  workspace = await bundledWorkspace();
  const { knowledgeDir, indexDir } = workspace;
  const { embedder, holder: index, qa } = openQa(indexDir);
  const chatQa = new LocalChatQa({ qa, followUps: new RuleFollowUpResolver((question) => qa.retrieve(question)), index });
  const logger = { info() {}, warn() {}, error() {} };
  output = [];
  cards = [];
  transport = new TerminalTransport((text) => output.push(text));
  const replyCard = transport.replyCard.bind(transport);
  transport.replyCard = (messageId, card) => {
    cards.push(card);
    return replyCard(messageId, card);
  };
  bot = new ChatBot({
    qa: chatQa,
    admin: new KnowledgeAdmin({ knowledgeDir, indexDir, maxFileBytes: 1024 * 1024, runIngest: () => buildIndex(knowledgeDir, indexDir, { embedder }), onIndexSwitched: () => chatQa.refresh(), logger }),
    store: new BotStore(':memory:'),
    transport,
    adminIds: [ADMIN],
    logger,
    // The console's real reply, with a stand-in for its link (the server itself is tested in tests/bot/console).
    consoleSignIn: (message) => consoleSignInReply({ signInLink: (id) => (id === ADMIN ? `http://127.0.0.1:1/login?token=for-${id}` : undefined) }, message),
  });
});

afterAll(() => workspace?.remove());

/** Sends `text` and returns the reply as the terminal shows it and as the card's markdown. */
async function send(text: string, senderId = USER): Promise<{ shown: string; markdown: string }> {
  const message: IncomingMessage = { messageId: `om_${++counter}`, chatId: 'oc_test', chatType: 'p2p', senderId, text, contentType: 'text', resources: [] };
  output.length = 0;
  cards.length = 0;
  await bot.handleMessage(message);
  const markdown = JSON.stringify(cards.map((card) => (card as { body: unknown }).body));
  return { shown: output.join(''), markdown };
}

describe('command texts', () => {
  it('帮助 lists every command, uploads included, with nothing in backticks', async () => {
    const { shown, markdown } = await send('帮助');
    expect(markdown).not.toContain('`');
    for (const command of ['帮助', '文档', '新对话', '重新导入', '删除', '确认删除', '统计']) expect(shown).toContain(`${command}`);
    expect(shown).toMatch(/上传文档：私聊发送 \.txt、\.md、\.html、\.docx 或 \.pdf 文件/);
    expect(shown).toContain('查看原文');
  });

  it('文档 shows users titles and dates without index jargon; admins also see files, chunks and the index version', async () => {
    const user = await send('文档');
    expect(user.shown).toContain('已收录 5 个文档');
    expect(user.shown).toMatch(/渤新管字\[2018\]168号 · 2018-04-20/);
    expect(user.shown).not.toContain('片段');
    expect(user.shown).not.toContain('索引版本');
    expect(user.shown).not.toContain('.txt');
    const admin = await send('文档', ADMIN);
    expect(admin.shown).toMatch(/渤新管字\[2018\]168号 · 2018-04-20 · \d+ 个片段 · \S+\.txt/);
    expect(admin.shown).toMatch(/索引版本 \S+，生成于 \d+月\d+日 \d\d:\d\d/);
  });

  it('统计 names the latest questions left without an answer and those voted 👎', async () => {
    const before = await send('统计', ADMIN);
    expect(before.shown).toContain('最近未找到依据的问题：暂无');
    expect(before.shown).toContain('最近被标记没用的问题：暂无');

    await send('住房公积金怎么提取？');
    await send('一窗通办怎么办理？');
    const buttons = transport.lastButtons!;
    const down = buttons.buttons.find((button) => button.label.includes('没用'))!;
    await bot.handleCardAction({ messageId: buttons.messageId, chatId: 'oc_test', operatorId: USER, value: down.value });
    await send('技术改造有什么奖补政策？');

    const stats = await send('统计', ADMIN);
    const refused = stats.shown.slice(stats.shown.indexOf('最近未找到依据的问题'), stats.shown.indexOf('最近被标记没用的问题'));
    const unhelpful = stats.shown.slice(stats.shown.indexOf('最近被标记没用的问题'));
    expect(refused).toContain('住房公积金怎么提取？');
    expect(refused).not.toContain('技术改造');
    expect(unhelpful).toContain('一窗通办怎么办理？');
    expect(unhelpful).not.toContain('住房公积金');
    expect(stats.shown).toContain('👎 1');
  });

  it('管理后台 gives an admin a sign-in link in a private chat and nobody else anything', async () => {
    const admin = await send('管理后台', ADMIN);
    expect(admin.shown).toContain('管理后台登录链接');
    expect(admin.shown).toContain('token=for-ou_admin');
    const user = await send('管理后台', USER);
    expect(user.shown).toContain('需要管理员权限');
    expect(user.shown).not.toContain('token=');
    expect((await send('帮助', ADMIN)).shown).toContain('管理后台');
  });
});
