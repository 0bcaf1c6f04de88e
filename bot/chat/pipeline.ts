/**
 * @module The message pipeline: one incoming message → at most one reply. It claims the message in
 * the durable store first (so a re-delivery, even after a restart, is answered once), then routes:
 * file upload, command, or question. Every failure becomes a Chinese reply, never silence.
 */
import { randomUUID } from 'node:crypto';
import { AppError, describeError, isAppError, type AppErrorCode, type Logger } from '../../core/index.ts';
import type { KnowledgeAdmin } from '../../ingest/index.ts';
import type { ChatAnswer, ChatQa } from './chat-qa.ts';
import type { ConversationMemory } from './memory.ts';
import { answerCard, answerMarkdown, errorCard, ingestCard, sourceCard, textCard } from './cards.ts';
import { ADMIN_COMMANDS, HELP_TEXT, parseCommand, type CommandName } from './commands.ts';
import type { BotStore } from './store.ts';
import type { CardActionInput, ChatTransport, IncomingMessage } from './types.ts';

export interface ChatBotOptions {
  qa: ChatQa;
  admin: KnowledgeAdmin;
  store: BotStore;
  transport: ChatTransport;
  adminIds: string[];
  logger: Logger;
  /** Questions longer than this are cut (with a note): retrieval gets worse, not better, with essays. */
  maxQuestionChars?: number;
  memory?: ConversationMemory;
  /** Stream the answer into the reply while it is generated (useful only with a model). */
  streamAnswers?: boolean;
}

const TEXT_TYPES = new Set(['text', 'post']);
const MEDIA_HINT: Record<string, string> = {
  image: '暂时看不懂图片哦。请用文字描述您的问题，例如“一窗通办怎么办理？”',
  sticker: '收到表情啦 😊 有政策问题请直接用文字提问。',
  audio: '暂不支持语音消息，请用文字提问。',
  media: '暂不支持视频消息，请用文字提问。',
};

/**
 * What users read when something fails, chosen by error code: operator messages carry paths and
 * English from libraries. Only problems with the admin's own document are explained in detail.
 */
const USER_TEXT: Partial<Record<AppErrorCode, string>> = {
  index_missing: '知识库索引暂不可用，请联系管理员重新导入文档。',
  index_corrupt: '知识库索引暂不可用，请联系管理员重新导入文档。',
  index_incompatible: '知识库索引需要重建，请联系管理员重新导入文档。',
  ingest_busy: '另一个导入任务正在进行，请稍后再试。',
  nothing_to_ingest: '导入后知识库中将没有可用的文档，已保留原有文档和索引。',
  embed_failed: '向量模型暂不可用，导入未完成，请联系管理员检查嵌入服务配置。',
};
const DOCUMENT_CODES = new Set<AppErrorCode>([
  'document_unreadable',
  'document_empty',
  'document_too_large',
  'document_unsupported',
  'document_encrypted',
  'upload_rejected',
  'invalid_argument',
]);

/** The answer's own note (e.g. a model fallback) and the chat's (e.g. a trimmed question), joined. */
function combinedNote(...notes: (string | undefined)[]): string | undefined {
  return notes.filter(Boolean).join('；') || undefined;
}

function userMessage(error: unknown): string {
  if (isAppError(error)) {
    if (DOCUMENT_CODES.has(error.code)) return error.message;
    const text = USER_TEXT[error.code];
    if (text) return text;
  }
  return '处理您的消息时出了点问题，请稍后再试。如果一直出现，请联系管理员。';
}

export class ChatBot {
  readonly #options: ChatBotOptions;
  readonly #inFlight = new Set<Promise<void>>();
  #closing = false;

  constructor(options: ChatBotOptions) {
    this.#options = options;
  }

  #isAdmin(senderId: string): boolean {
    return this.#options.adminIds.includes(senderId);
  }

  #track(work: Promise<void>): Promise<void> {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
    return work;
  }

  /**
   * Waits until no reply is in flight (messages the transport already accepted still get their
   * answer), then refuses new ones. Call after the transport has stopped taking events.
   */
  async drain(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.#inFlight]), new Promise((resolve) => setTimeout(resolve, 100))]);
    }
    this.#closing = true;
  }

  handleMessage(message: IncomingMessage): Promise<void> {
    if (this.#closing) return Promise.resolve();
    const { store, logger } = this.#options;
    if (!store.claimMessage(message.messageId)) {
      logger.info('duplicate message ignored', { messageId: message.messageId });
      return Promise.resolve();
    }
    return this.#track(
      this.#route(message)
        .catch(async (error: unknown) => {
          logger.error('message failed', { messageId: message.messageId, error: describeError(error) });
          await this.#options.transport.replyCard(message.messageId, errorCard(userMessage(error))).catch((sendError: unknown) => {
            logger.error('error reply failed', { messageId: message.messageId, error: describeError(sendError) });
          });
        })
        .finally(() => store.finishMessage(message.messageId)),
    );
  }

  async #route(message: IncomingMessage): Promise<void> {
    const { transport } = this.#options;
    // What follows is synchronous work on the event loop the SDK acks on (SQLite, cards, and in the
    // terminal the answer itself); yield first so acks and replies already waiting for I/O go out.
    await new Promise((resolve) => setImmediate(resolve));
    const file = message.resources.find((resource) => resource.type === 'file');
    if (message.contentType === 'file' && file) return this.#upload(message, file);
    if (!TEXT_TYPES.has(message.contentType)) {
      await transport.replyCard(message.messageId, textCard({ title: '提示', text: MEDIA_HINT[message.contentType] ?? '暂不支持这种消息，请用文字提问。', template: 'grey' }));
      return;
    }
    const text = message.text.replace(/<[^>]+\/>/g, ' ').replace(/\s+/g, ' ').trim();
    if (text === '') return;
    const command = parseCommand(text);
    if (command) return this.#command(message, command.name, command.argument);
    return this.#question(message, text);
  }

  async #question(message: IncomingMessage, text: string): Promise<void> {
    const { store, memory } = this.#options;
    const limit = this.#options.maxQuestionChars ?? 300;
    const question = text.length > limit ? text.slice(0, limit) : text;
    // In a group, each person has their own thread of questions.
    const conversation = `${message.chatId}:${message.senderId}`;
    const history = memory?.recent(conversation) ?? [];
    const answerId = randomUUID();
    const note = text.length > limit ? `问题过长，只按前 ${limit} 个字回答` : undefined;
    const { result, replyId } = await this.#answer(message, { question, history }, answerId, note);
    const asked = result.understood ?? question;
    memory?.record(conversation, { question: asked, topic: result.topic.length > 0 ? result.topic : (history.at(-1)?.topic ?? []) });
    const { answer } = result;
    const notes = combinedNote(answer.note, note);
    store.saveAnswer({
      id: answerId,
      chatId: message.chatId,
      messageId: replyId,
      question: asked,
      answer: answer.text,
      refused: answer.refused,
      citations: answer.citations,
      ...(notes ? { note: notes } : {}),
      ...(result.understood ? { understood: result.understood } : {}),
    });
  }

  /**
   * Answers and delivers the card. When streaming, partial text goes into a streaming card that
   * the final card then replaces; if any streaming step fails, the final card is sent as a fresh
   * reply, so the user is never left looking at "Thinking…".
   */
  async #answer(
    message: IncomingMessage,
    input: Parameters<ChatQa['answer']>[0],
    answerId: string,
    note: string | undefined,
  ): Promise<{ result: ChatAnswer; replyId: string }> {
    const { qa, transport, logger } = this.#options;
    const finalCard = (result: ChatAnswer) => {
      const notes = combinedNote(result.answer.note, note);
      return answerCard({ answerId, answer: notes ? { ...result.answer, note: notes } : result.answer, ...(result.understood ? { understoodAs: result.understood } : {}) });
    };
    if (!this.#options.streamAnswers || !transport.streamReply) {
      const result = await qa.answer(input);
      return { result, replyId: await transport.replyCard(message.messageId, finalCard(result)) };
    }
    let result: ChatAnswer | undefined;
    let failure: unknown;
    let streamId: string | undefined;
    try {
      streamId = await transport.streamReply(message.messageId, message.chatId, async (update) => {
        try {
          result = await qa.answer(input, { onPartial: update });
        } catch (error) {
          failure = error;
          return;
        }
        // The partial text was the model's, unchecked; the stream ends on the verified answer, so the
        // card is right even if replacing it with the full card below fails.
        update(answerMarkdown(result.answer));
      });
    } catch (error) {
      logger.warn('streaming reply failed', { messageId: message.messageId, error: describeError(error) });
    }
    // An answering failure is reported (error card), not retried; a failed stream only costs the stream.
    if (failure) throw failure;
    result ??= await qa.answer(input);
    if (streamId) {
      try {
        await transport.updateCard(streamId, finalCard(result));
        return { result, replyId: streamId };
      } catch (error) {
        logger.warn('replacing the streamed card failed, sending the answer anew', { messageId: message.messageId, error: describeError(error) });
      }
    }
    return { result, replyId: await transport.replyCard(message.messageId, finalCard(result)) };
  }

  async #command(message: IncomingMessage, name: CommandName, argument: string): Promise<void> {
    const { transport, admin, store } = this.#options;
    const reply = (card: object) => transport.replyCard(message.messageId, card);
    if (ADMIN_COMMANDS.has(name) && !this.#isAdmin(message.senderId)) {
      await reply(textCard({ title: '需要管理员权限', text: '该命令仅限管理员使用。如需更新文档，请联系管理员。', template: 'grey' }));
      return;
    }
    switch (name) {
      case 'help':
        await reply(textCard({ title: '使用帮助', text: HELP_TEXT }));
        return;
      case 'reset':
        this.#options.memory?.reset(`${message.chatId}:${message.senderId}`);
        await reply(textCard({ title: '新对话', text: '好的，之前的对话已清除，我们重新开始。请提问。', template: 'grey' }));
        return;
      case 'docs': {
        const { documents, version } = admin.listDocuments();
        const lines = documents.map(
          (document, index) =>
            `${index + 1}. **${document.title}**\n<font color='grey'>${[document.docNumber, document.date, `${document.chunkCount} 个片段`, document.file].filter(Boolean).join(' · ')}</font>`,
        );
        await reply(textCard({ title: `已收录 ${documents.length} 个文档`, text: `${lines.join('\n')}\n\n<font color='grey'>索引版本 ${version}</font>` }));
        return;
      }
      case 'stats': {
        const stats = store.stats(7 * 24 * 60 * 60 * 1000);
        const text = [`近 7 天：提问 ${stats.questions} 次，未找到依据 ${stats.refused} 次`, `反馈：👍 ${stats.helpful} · 👎 ${stats.unhelpful}`].join('\n');
        await reply(textCard({ title: '使用统计', text }));
        return;
      }
      case 'reingest': {
        const summary = await admin.reingest();
        await reply(ingestCard(summary, summary.switched ? '重新导入完成' : '文档没有变化'));
        return;
      }
      case 'remove': {
        if (argument === '') {
          await reply(textCard({ title: '用法', text: '删除 文件名（发送“文档”查看文件名）', template: 'grey' }));
          return;
        }
        const { title, summary } = await admin.removeDocument(argument);
        await reply(ingestCard(summary, `已删除《${title}》`));
        return;
      }
    }
  }

  async #upload(message: IncomingMessage, file: { fileKey: string; fileName?: string }): Promise<void> {
    const { transport, admin, logger } = this.#options;
    const reply = (card: object) => transport.replyCard(message.messageId, card);
    if (!this.#isAdmin(message.senderId)) {
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

  /** Button clicks. The SDK awaits this before acking, so it only records and sends. */
  handleCardAction(action: CardActionInput): Promise<void> {
    return this.#track(this.#cardAction(action).catch((error: unknown) => {
      this.#options.logger.error('card action failed', { error: describeError(error) });
    }));
  }

  async #cardAction({ messageId, operatorId, value }: CardActionInput): Promise<void> {
    const { store, transport } = this.#options;
    const payload = (value ?? {}) as { action?: string; answerId?: string; vote?: string };
    const stored = payload.answerId ? store.getAnswer(payload.answerId) : undefined;
    if (!stored) throw new AppError('invalid_argument', `unknown answer ${payload.answerId}`);
    if (payload.action === 'feedback' && (payload.vote === 'up' || payload.vote === 'down')) {
      store.recordFeedback(stored.id, operatorId, payload.vote);
      const answer = { refused: stored.refused, text: stored.answer, citations: stored.citations, closestDocuments: [], mode: 'extractive' as const, ...(stored.note ? { note: stored.note } : {}) };
      await transport.updateCard(messageId, answerCard({ answerId: stored.id, answer, feedback: { vote: payload.vote }, ...(stored.understood ? { understoodAs: stored.understood } : {}) }));
    } else if (payload.action === 'source') {
      await transport.replyCard(messageId, sourceCard(stored.citations));
    }
  }
}
