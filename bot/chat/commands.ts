/**
 * @module Chat commands, looked up by name in a registry (Chinese and English aliases, with or
 * without a leading slash), each with its handler and whether only admins may run it. Anything
 * that is not a command is a question.
 */
import type { KnowledgeAdmin } from '../../ingest/index.ts';
import { conversationKey } from './answer-delivery.ts';
import { escapeMarkdown, ingestCard, textCard } from './cards.ts';
import type { ConversationMemory } from './memory.ts';
import { confirmRemoval, requestRemoval } from './removal.ts';
import type { ChatStore } from './store/index.ts';
import type { ChatBotOptions, IncomingMessage } from './types.ts';

export type CommandName = 'help' | 'docs' | 'reingest' | 'remove' | 'confirmRemove' | 'stats' | 'console' | 'reset';

/** What a command works with: the message it answers, the text after its name, the bot's parts. */
interface CommandContext {
  message: IncomingMessage;
  argument: string;
  reply: (card: object) => Promise<string>;
  admin: KnowledgeAdmin;
  store: ChatStore;
  memory?: ConversationMemory;
  consoleSignIn?: ChatBotOptions['consoleSignIn'];
}

/** Some commands show admins more (file names, index details, the questions to fix). */
type RunContext = CommandContext & { fromAdmin: boolean };

interface Command {
  aliases: string[];
  adminOnly: boolean;
  /** Only such a command reads text after its name; for the others, that text makes a question. */
  takesArgument?: boolean;
  run(context: RunContext): Promise<void>;
}

async function showHelp({ reply }: RunContext): Promise<void> {
  await reply(textCard({ title: '使用帮助', text: HELP_TEXT }));
}

async function resetConversation({ reply, memory, message }: RunContext): Promise<void> {
  await memory?.reset(conversationKey(message));
  await reply(textCard({ title: '新对话', text: '好的，之前的对话已清除，我们重新开始。请提问。', template: 'grey' }));
}

/** Users see what a document is (title, 文号, date); file names, chunk counts and the index version are for admins. */
async function listDocuments({ reply, admin, fromAdmin }: RunContext): Promise<void> {
  const { documents, version, builtAt } = admin.listDocuments();
  const lines = documents.map((document, index) => {
    const details = [document.docNumber, document.date, ...(fromAdmin ? [`${document.chunkCount} 个片段`, document.file] : [])].filter(Boolean).map((part) => escapeMarkdown(part!));
    return `${index + 1}. **${escapeMarkdown(document.title)}**${details.length > 0 ? `\n<font color='grey'>${details.join(' · ')}</font>` : ''}`;
  });
  const footer = fromAdmin ? `索引版本 ${version}，生成于 ${formatTime(Date.parse(builtAt))}` : '想了解哪份文件的内容，直接提问即可';
  await reply(textCard({ title: `已收录 ${documents.length} 个文档`, text: `${lines.join('\n')}\n\n<font color='grey'>${footer}</font>` }));
}

/** How many of the latest unanswered and 👎 questions `统计` lists. */
const PROBLEM_LIMIT = 5;

function formatTime(ms: number): string {
  if (Number.isNaN(ms)) return '未知时间';
  const date = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getMonth() + 1}月${date.getDate()}日 ${two(date.getHours())}:${two(date.getMinutes())}`;
}

function questionList(heading: string, questions: { question: string; at: number }[]): string[] {
  if (questions.length === 0) return [`**${heading}**：暂无`];
  return [`**${heading}**`, ...questions.map(({ question, at }) => `- ${escapeMarkdown(question)} <font color='grey'>${formatTime(at)}</font>`)];
}

async function showStats({ reply, store }: RunContext): Promise<void> {
  const stats = await store.stats(7 * 24 * 60 * 60 * 1000);
  const problems = await store.latestProblems(PROBLEM_LIMIT);
  const text = [
    `近 7 天：提问 ${stats.questions} 次，未找到依据 ${stats.refused} 次`,
    `反馈：👍 ${stats.helpful} · 👎 ${stats.unhelpful}`,
    '',
    ...questionList('最近未找到依据的问题', problems.refused),
    '',
    ...questionList('最近被标记没用的问题', problems.unhelpful),
  ].join('\n');
  await reply(textCard({ title: '使用统计', text }));
}

async function consoleLink({ reply, message, consoleSignIn }: RunContext): Promise<void> {
  await reply(textCard(consoleSignIn ? consoleSignIn(message) : { title: '管理后台未启用', text: '本机器人没有配置管理后台。' }));
}

async function reingest({ reply, admin }: RunContext): Promise<void> {
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
  console: { aliases: ['管理后台', 'console'], adminOnly: true, run: consoleLink },
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
  await command.run({ ...context, fromAdmin });
}

/** Plain words, no markup to copy: a user sends exactly what is written before the colon. */
const HELP_TEXT = [
  '我根据已收录的政策文件回答问题，每个回答都注明出处（文件、章节和原文）。直接发送问题即可，例如：',
  '- 一窗通办怎么办理？',
  '- 技术改造有什么奖补政策？',
  '- 孵化器培育的责任单位是谁？',
  '',
  '回答下方可以点“👍 有用”“👎 没用”反馈，点“📄 查看原文”看引用的原文。',
  '',
  '**命令：**',
  '- 帮助（或 help）：显示本说明',
  '- 文档（或 docs）：查看已收录的政策文件',
  '- 新对话（或 reset）：清除上下文，重新开始提问',
  '',
  '**管理员命令（其他人请联系管理员）：**',
  '- 上传文档：私聊发送 .txt、.md、.html、.docx 或 .pdf 文件，新增或替换同名文档并自动导入',
  '- 重新导入（或 reingest）：重新导入知识库',
  '- 删除 文件名或标题（或 remove）：删除文档；名称不唯一时列出候选，删除前需再发送“确认删除”',
  '- 统计（或 stats）：查看近 7 天的使用情况和最近没答上、被标记没用的问题',
  '- 管理后台（或 console）：私聊获取管理后台的一次性登录链接（文档、问题记录、使用统计、答案维护）',
  '',
  '在群聊中请先 @我 再提问。',
].join('\n');
