/**
 * @module Chat commands, looked up by name in a registry (Chinese and English aliases, with or
 * without a leading slash). Anything that is not a command is a question.
 */
export type CommandName = 'help' | 'docs' | 'reingest' | 'remove' | 'stats' | 'reset';

const ALIASES = new Map<string, CommandName>([
  ['帮助', 'help'],
  ['help', 'help'],
  ['使用说明', 'help'],
  ['文档', 'docs'],
  ['文档列表', 'docs'],
  ['docs', 'docs'],
  ['重新导入', 'reingest'],
  ['reingest', 'reingest'],
  ['删除', 'remove'],
  ['remove', 'remove'],
  ['统计', 'stats'],
  ['stats', 'stats'],
  ['新对话', 'reset'],
  ['reset', 'reset'],
]);

export const ADMIN_COMMANDS = new Set<CommandName>(['reingest', 'remove', 'stats']);

export function parseCommand(text: string): { name: CommandName; argument: string } | undefined {
  const match = text.trim().match(/^\/?(\S+)(?:\s+([\s\S]*))?$/);
  if (!match) return undefined;
  const name = ALIASES.get(match[1]!.toLowerCase());
  if (!name) return undefined;
  const argument = (match[2] ?? '').trim();
  // "文档" alone is a command, "文档里怎么说容缺受理" is a question.
  if (argument !== '' && name !== 'remove') return undefined;
  return { name, argument };
}

export const HELP_TEXT = [
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
  '- `删除 文件名` / `remove 文件名`：删除文档',
  '- `统计` / `stats`：查看使用统计',
  '',
  '在群聊中请 @我 提问。',
].join('\n');
