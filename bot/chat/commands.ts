/**
 * @module Chat commands, looked up by name in a registry (Chinese and English aliases, with or
 * without a leading slash), each with its handler and whether only admins may run it. Anything
 * that is not a command is a question.
 */
import type { KnowledgeAdmin } from '../../ingest/index.ts';
import { conversationKey } from './answer-delivery.ts';
import { ingestCard, textCard } from './cards.ts';
import type { ConversationMemory } from './memory.ts';
import { confirmRemoval, requestRemoval } from './removal.ts';
import type { BotStore } from './store.ts';
import type { IncomingMessage } from './types.ts';

export type CommandName = 'help' | 'docs' | 'reingest' | 'remove' | 'confirmRemove' | 'stats' | 'reset';

/** What a command works with: the message it answers, the text after its name, the bot's parts. */
interface CommandContext {
  message: IncomingMessage;
  argument: string;
  reply: (card: object) => Promise<string>;
  admin: KnowledgeAdmin;
  store: BotStore;
  memory?: ConversationMemory;
}

interface Command {
  aliases: string[];
  adminOnly: boolean;
  /** Only such a command reads text after its name; for the others, that text makes a question. */
  takesArgument?: boolean;
  run(context: CommandContext): Promise<void>;
}

async function showHelp({ reply }: CommandContext): Promise<void> {
  await reply(textCard({ title: '使用帮助', text: HELP_TEXT }));
}

async function resetConversation({ reply, memory, message }: CommandContext): Promise<void> {
  memory?.reset(conversationKey(message));
  await reply(textCard({ title: '新对话', text: '好的，之前的对话已清除，我们重新开始。请提问。', template: 'grey' }));
}

async function listDocuments({ reply, admin }: CommandContext): Promise<void> {
  const { documents, version } = admin.listDocuments();
  const lines = documents.map(
    (document, index) =>
      `${index + 1}. **${document.title}**\n<font color='grey'>${[document.docNumber, document.date, `${document.chunkCount} 个片段`, document.file].filter(Boolean).join(' · ')}</font>`,
  );
  await reply(textCard({ title: `已收录 ${documents.length} 个文档`, text: `${lines.join('\n')}\n\n<font color='grey'>索引版本 ${version}</font>` }));
}

async function showStats({ reply, store }: CommandContext): Promise<void> {
  const stats = store.stats(7 * 24 * 60 * 60 * 1000);
  const text = [`近 7 天：提问 ${stats.questions} 次，未找到依据 ${stats.refused} 次`, `反馈：👍 ${stats.helpful} · 👎 ${stats.unhelpful}`].join('\n');
  await reply(textCard({ title: '使用统计', text }));
}

async function reingest({ reply, admin }: CommandContext): Promise<void> {
  const summary = await admin.reingest();
  await reply(ingestCard(summary, summary.switched ? '重新导入完成' : '文档没有变化'));
}

const COMMANDS: Record<CommandName, Command> = {
  help: { aliases: ['帮助', 'help', '使用说明'], adminOnly: false, run: showHelp },
  docs: { aliases: ['文档', '文档列表', 'docs'], adminOnly: false, run: listDocuments },
  reingest: { aliases: ['重新导入', 'reingest'], adminOnly: true, run: reingest },
  remove: { aliases: ['删除', 'remove'], adminOnly: true, takesArgument: true, run: requestRemoval },
  confirmRemove: { aliases: ['确认删除', 'confirm-remove'], adminOnly: true, takesArgument: true, run: confirmRemoval },
  stats: { aliases: ['统计', 'stats'], adminOnly: true, run: showStats },
  reset: { aliases: ['新对话', 'reset'], adminOnly: false, run: resetConversation },
};

const ALIASES = new Map<string, CommandName>(
  (Object.entries(COMMANDS) as [CommandName, Command][]).flatMap(([name, command]) => command.aliases.map((alias) => [alias, name] as const)),
);

export function parseCommand(text: string): { name: CommandName; argument: string } | undefined {
  const match = text.trim().match(/^\/?(\S+)(?:\s+([\s\S]*))?$/);
  if (!match) return undefined;
  const name = ALIASES.get(match[1]!.toLowerCase());
  if (!name) return undefined;
  const argument = (match[2] ?? '').trim();
  // "文档" alone is a command, "文档里怎么说容缺受理" is a question.
  if (argument !== '' && !COMMANDS[name].takesArgument) return undefined;
  return { name, argument };
}

/** Runs a command for its sender, refusing admin-only ones to everyone else. */
export async function runCommand(name: CommandName, context: CommandContext, fromAdmin: boolean): Promise<void> {
  const command = COMMANDS[name];
  if (command.adminOnly && !fromAdmin) {
    await context.reply(textCard({ title: '需要管理员权限', text: '该命令仅限管理员使用。如需更新文档，请联系管理员。', template: 'grey' }));
    return;
  }
  await command.run(context);
}

const HELP_TEXT = [
  '我可以根据已收录的政策文件回答问题，每个回答都会注明出处（文件、章节和原文）。',
  '',
  '**可以这样问：**',
  '- 一窗通办怎么办理？',
  '- 技术改造有什么奖补政策？',
  '- 孵化器培育的责任单位是谁？',
  '',
  '**命令：**',
  '- `帮助` / `help`：显示本说明',
  '- `文档` / `docs`：查看已收录的文档',
  '- `新对话` / `reset`：清除上下文，重新开始',
  '',
  '**管理员：**',
  '- 私聊发送 .txt .md .html .docx .pdf 文件：新增或替换文档并自动导入',
  '- `重新导入` / `reingest`：重新导入知识库',
  '- `删除 文件名或标题` / `remove …`：删除文档（部分匹配时列出候选，删除前需回复 `确认删除`）',
  '- `统计` / `stats`：查看使用统计',
  '',
  '在群聊中请 @我 提问。',
].join('\n');
