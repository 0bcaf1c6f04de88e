/**
 * @module An admin adds or replaces a document by sending it in a private chat; it is ingested at
 * once. A document that cannot be ingested is explained to the admin, and the knowledge base and
 * the index stay as they were.
 */
import { isAppError } from '../../core/index.ts';
import { errorCard, ingestCard, textCard } from './cards.ts';
import type { ChatBotOptions, IncomingMessage } from './types.ts';
import { userMessage } from './user-texts.ts';

type UploadOptions = Pick<ChatBotOptions, 'transport' | 'admin' | 'logger'>;

interface Upload {
  message: IncomingMessage;
  file: { fileKey: string; fileName?: string };
  fromAdmin: boolean;
  reply: (card: object) => Promise<string>;
}

export async function receiveUpload({ transport, admin, logger }: UploadOptions, { message, file, fromAdmin, reply }: Upload): Promise<void> {
  if (!fromAdmin) {
    await reply(textCard({ title: '无法接收文件', text: '只有管理员可以上传政策文件。如需补充文档，请联系管理员。', template: 'grey' }));
    return;
  }
  if (message.chatType !== 'p2p') {
    await reply(textCard({ title: '请私聊发送', text: '为避免误操作，请在与我的私聊中发送文档。', template: 'grey' }));
    return;
  }
  const name = file.fileName ?? 'upload.txt';
  try {
    const bytes = await transport.downloadAttachment(message.messageId, file.fileKey, admin.maxFileBytes);
    const { file: saved, replaced, summary } = await admin.addDocument(name, bytes);
    logger.info('document uploaded', { file: saved, replaced, version: summary.version });
    await reply(ingestCard(summary, `${replaced ? '已替换' : '已新增'}《${saved}》`));
  } catch (error) {
    if (!isAppError(error)) throw error;
    logger.warn('upload rejected', { file: name, code: error.code, error: error.message });
    await reply(errorCard(`文档「${name}」未导入：${userMessage(error)}\n\n知识库和当前索引保持不变。`));
  }
}
