/**
 * @module The offline chat: a terminal session that runs the very same pipeline as Lark (commands,
 * answers, buttons, uploads) without credentials. The local user is an admin, so every feature
 * can be tried; `上传 路径` stands in for sending a file.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { AppError, formatSize } from '../../core/index.ts';
import { renderCardText, type RenderedCard } from './card-text.ts';
import type { ChatBot } from './pipeline.ts';
import type { ChatTransport } from './types.ts';

export const LOCAL_USER_ID = 'ou_local_user';
const LOCAL_CHAT_ID = 'oc_local_chat';

export class TerminalTransport implements ChatTransport {
  readonly #write: (text: string) => void;
  #counter = 0;
  lastButtons: { messageId: string; buttons: RenderedCard['buttons'] } | undefined;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  #show(messageId: string, card: object): void {
    const rendered = renderCardText(card);
    this.#write(`\n${rendered.text}\n`);
    if (rendered.buttons.length > 0) this.lastButtons = { messageId, buttons: rendered.buttons };
  }

  async replyCard(_messageId: string, card: object): Promise<string> {
    const id = `om_local_reply_${++this.#counter}`;
    this.#show(id, card);
    return id;
  }

  async updateCard(messageId: string, card: object): Promise<void> {
    this.#show(messageId, card);
  }

  /** The terminal has one user: a private card is shown like any other. */
  async sendToUser(_openId: string, card: object): Promise<string> {
    return this.replyCard('', card);
  }

  /** The "attachment" is a local path typed by the user. */
  async downloadAttachment(_messageId: string, fileKey: string, maxBytes: number): Promise<Buffer> {
    const info = await stat(fileKey).catch(() => undefined);
    if (!info?.isFile()) throw new AppError('upload_rejected', `找不到文件 ${fileKey}`);
    if (info.size > maxBytes) throw new AppError('document_too_large', `文件超过大小上限 ${formatSize(maxBytes)}`);
    return readFile(fileKey);
  }
}

export async function runTerminalChat(options: { bot: ChatBot; transport: TerminalTransport; input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream }): Promise<void> {
  const { bot, transport } = options;
  const output = options.output ?? process.stdout;
  const lines = readline.createInterface({ input: options.input ?? process.stdin, output, terminal: false });
  output.write('政务问答机器人（本地终端模式，未配置飞书凭据）。输入问题后回车；“帮助”查看命令；Ctrl+D 退出。\n> ');
  let counter = 0;
  for await (const raw of lines) {
    const line = raw.trim();
    const messageId = `om_local_${Date.now()}_${++counter}`;
    const button = line.match(/^:(\d+)$/);
    const upload = line.match(/^(?:上传|upload)\s+(.+)$/i);
    if (button && transport.lastButtons) {
      const chosen = transport.lastButtons.buttons[Number(button[1]) - 1];
      const reply = chosen && (await bot.handleCardAction({ messageId: transport.lastButtons.messageId, chatId: LOCAL_CHAT_ID, operatorId: LOCAL_USER_ID, value: chosen.value }));
      if (reply) output.write(`（${reply.toast.content}）\n`);
    } else if (upload?.[1]) {
      const file = upload[1].trim();
      await bot.handleMessage({
        messageId,
        chatId: LOCAL_CHAT_ID,
        chatType: 'p2p',
        senderId: LOCAL_USER_ID,
        text: '',
        contentType: 'file',
        resources: [{ type: 'file', fileKey: path.resolve(file), fileName: path.basename(file) }],
      });
    } else if (line !== '') {
      await bot.handleMessage({ messageId, chatId: LOCAL_CHAT_ID, chatType: 'p2p', senderId: LOCAL_USER_ID, text: line, contentType: 'text', resources: [] });
    }
    output.write('> ');
  }
  output.write('\n再见！\n');
}
