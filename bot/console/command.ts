/**
 * @module The `管理后台` chat command's reply: a sign-in link, sent only in a private chat (a link in
 * a group could be opened by anyone there before the admin does). The chat wraps it in a card.
 */
import type { ConsoleServer } from './server.ts';

export function consoleSignInReply(console: Pick<ConsoleServer, 'signInLink'> | undefined, message: { senderId: string; chatType: 'p2p' | 'group' }): { title: string; text: string } {
  if (!console) return { title: '管理后台未启用', text: '请在配置中设置 CONSOLE_PORT（管理后台端口）后重启机器人。' };
  if (message.chatType !== 'p2p') return { title: '请私聊发送', text: '登录链接只在私聊中发送。请在与我的私聊中发送“管理后台”。' };
  const link = console.signInLink(message.senderId);
  if (!link) return { title: '需要管理员权限', text: '管理后台仅限管理员使用。' };
  return { title: '管理后台登录链接', text: `${link}\n\n链接 5 分钟内有效，只能使用一次，请勿转发。` };
}
