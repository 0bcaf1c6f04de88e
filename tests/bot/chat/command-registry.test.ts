/**
 * The command registry through the public ChatBot: every alias (with or without a slash, English in
 * any case) reaches its command, never the question answerer, and admin-only commands are refused
 * to everyone else before they touch the knowledge base.
 */
import { describe, expect, it } from 'vitest';
import { BotStore, ChatBot, ConversationMemory, renderCardText, type ChatQa, type ChatTransport } from '../../../bot/chat/index.ts';
import type { IngestSummary, KnowledgeAdmin } from '../../../ingest/index.ts';

const ADMIN = 'ou_admin';
const USER = 'ou_user';

/** Each alias, and the title of the card its command replies with. */
const OPEN_COMMANDS: [string, string][] = [
  ['帮助', '使用帮助'],
  ['help', '使用帮助'],
  ['/HELP', '使用帮助'],
  ['使用说明', '使用帮助'],
  ['文档', '已收录 1 个文档'],
  ['文档列表', '已收录 1 个文档'],
  ['/docs', '已收录 1 个文档'],
  ['新对话', '新对话'],
  ['reset', '新对话'],
];
const ADMIN_COMMANDS: [string, string][] = [
  ['重新导入', '重新导入完成'],
  ['/reingest', '重新导入完成'],
  ['删除 a.txt', '确认删除'],
  ['remove a.txt', '确认删除'],
  ['确认删除', '已删除《甲》'],
  ['统计', '使用统计'],
  ['Stats', '使用统计'],
];

function setup() {
  const calls: string[] = [];
  const titles: string[] = [];
  const summary: IngestSummary = { version: 'v2', switched: true, indexDir: '', documents: [], embedded: 0, reused: 0, ms: 0 };
  const admin = {
    maxFileBytes: 1024,
    listDocuments: () => ({ documents: [{ title: '甲', file: 'a.txt', chunkCount: 2 }], version: 'v1', builtAt: '' }),
    findDocuments: () => ({ documents: [{ title: '甲', file: 'a.txt', chunkCount: 2 }], exact: true }),
    reingest: async () => {
      calls.push('reingest');
      return summary;
    },
    removeDocument: async (file: string) => {
      calls.push(`remove ${file}`);
      return { file, title: '甲', summary };
    },
  } as unknown as KnowledgeAdmin;
  const qa: ChatQa = {
    answer: async ({ question }) => {
      calls.push(`answer ${question}`);
      throw new Error('not expected in this test');
    },
    refresh: async () => {},
    close: async () => {},
  };
  const transport: ChatTransport = {
    replyCard: async (_messageId, card) => {
      titles.push(renderCardText(card).text.split('\n')[0]!);
      return `om_reply_${titles.length}`;
    },
    updateCard: async () => {},
    downloadAttachment: async () => Buffer.alloc(0),
  };
  const logger = { info() {}, warn() {}, error() {} };
  const memory = new ConversationMemory({ maxTurns: 3, ttlMs: 60_000 });
  const bot = new ChatBot({ qa, admin, store: new BotStore(':memory:'), transport, adminIds: [ADMIN], logger, memory });
  let counter = 0;
  const send = async (text: string, senderId: string): Promise<string | undefined> => {
    titles.length = 0;
    await bot.handleMessage({ messageId: `om_${++counter}`, chatId: 'oc_test', chatType: 'p2p', senderId, text, contentType: 'text', resources: [] });
    return titles.join('\n');
  };
  return { send, calls };
}

describe('command registry', () => {
  it('runs every alias as its command, for admins and (where open) for users', async () => {
    const { send, calls } = setup();
    for (const [alias, title] of [...OPEN_COMMANDS, ...ADMIN_COMMANDS]) expect(await send(alias, ADMIN), alias).toBe(`【${title}】`);
    for (const [alias, title] of OPEN_COMMANDS) expect(await send(alias, USER), alias).toBe(`【${title}】`);
    expect(calls).toEqual(['reingest', 'reingest', 'remove a.txt']);
  });

  it('refuses admin-only commands to users without running them', async () => {
    const { send, calls } = setup();
    for (const [alias] of ADMIN_COMMANDS) expect(await send(alias, USER), alias).toBe('【需要管理员权限】');
    expect(calls).toEqual([]);
  });

  it('asks for a file name when 删除 has none, and treats text after other commands as a question', async () => {
    const { send, calls } = setup();
    expect(await send('删除', ADMIN)).toBe('【用法】');
    expect(await send('文档 里怎么说容缺受理', USER)).toBe('【出错了】');
    expect(calls).toEqual(['answer 文档 里怎么说容缺受理']);
  });
});
