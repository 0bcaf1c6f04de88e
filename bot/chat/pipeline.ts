/**
 * @module The message pipeline: one incoming message → exactly one reply. It claims the message in
 * the durable store first, with its content (so a re-delivery, even after a restart, is answered
 * once, and a message whose process died mid-answer is answered by the next), then routes: file
 * upload, command, or question. Every failure becomes a Chinese reply, never silence; a failing
 * store costs durability, not the answer.
 */
import { AppError, describeError, isAppError } from '../../core/index.ts';
import type { Answer } from '../answer/index.ts';
import { answerQuestion } from './answer-delivery.ts';
import { answerCard, errorCard, sourceCard, textCard } from './cards.ts';
import { parseCommand, runCommand } from './commands.ts';
import type { CardActionInput, ChatBotOptions, IncomingMessage } from './types.ts';
import { receiveUpload } from './upload.ts';
import { mediaHint, userMessage } from './user-texts.ts';

const TEXT_TYPES = new Set(['text', 'post']);
/** Tries at a reply whose fate stays unknown before it is left to the next start. */
const UNCONFIRMED_ATTEMPTS = 3;

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
    if (!this.#claim(message)) {
      this.#options.logger.info('duplicate message ignored', { messageId: message.messageId });
      return Promise.resolve();
    }
    return this.#track(this.#handle(message));
  }

  /**
   * Answers the messages a process that is gone claimed and never answered (call once connected).
   * Their replies carry the same keys as the first attempt's, so one that did reach the chat
   * before the crash is not shown twice.
   */
  async answerUnfinished(): Promise<void> {
    const { store, logger } = this.#options;
    let messages: IncomingMessage[];
    try {
      messages = store.takeOverUnfinished();
    } catch (error) {
      logger.error('cannot read unanswered messages', { file: store.file, error: describeError(error) });
      return;
    }
    if (messages.length > 0) logger.info('answering messages left unanswered', { count: messages.length });
    for (const message of messages) if (!this.#closing) await this.#track(this.#handle(message));
  }

  /** A store that cannot record the claim must not cost the user the answer: answer without it. */
  #claim(message: IncomingMessage): boolean {
    const { store, logger } = this.#options;
    try {
      return store.claimMessage(message);
    } catch (error) {
      logger.error('store failed, answering without a durable claim', { messageId: message.messageId, file: store.file, error: describeError(error) });
      return true;
    }
  }

  async #handle(message: IncomingMessage, attempt = 1): Promise<void> {
    const { store, logger, transport } = this.#options;
    try {
      await this.#route(message);
    } catch (error) {
      if (isAppError(error, 'reply_unconfirmed')) {
        // The platform may have shown the reply: an error card could be a second message. The same
        // reply is sent again later under the same key; the claim stays open meanwhile, so a
        // restart sends it too.
        const retry = attempt < UNCONFIRMED_ATTEMPTS;
        logger.error(retry ? 'reply unconfirmed, sending it again later' : 'reply unconfirmed, left for the next start', { messageId: message.messageId, attempt, error: describeError(error) });
        if (retry) this.#handleLater(message, attempt + 1);
        return;
      }
      logger.error('message failed', { messageId: message.messageId, error: describeError(error) });
      await transport.replyCard(message.messageId, errorCard(userMessage(error)), 'error').catch((sendError: unknown) => {
        logger.error('error reply failed', { messageId: message.messageId, error: describeError(sendError) });
      });
    }
    try {
      store.finishMessage(message.messageId);
    } catch (error) {
      logger.error('store failed, message not marked answered', { messageId: message.messageId, file: store.file, error: describeError(error) });
    }
  }

  #handleLater(message: IncomingMessage, attempt: number): void {
    setTimeout(() => {
      if (!this.#closing) void this.#track(this.#handle(message, attempt));
    }, this.#options.unconfirmedRetryMs ?? 60_000).unref();
  }

  async #route(message: IncomingMessage): Promise<void> {
    const { transport, admin, store, memory } = this.#options;
    // Numbered in order, so a replay after a crash gives each reply the key it had the first time.
    let replies = 0;
    const reply = (card: object) => transport.replyCard(message.messageId, card, `reply-${++replies}`);
    // What follows is synchronous work on the event loop the SDK acks on (SQLite, cards, and in the
    // terminal the answer itself); yield first so acks and replies already waiting for I/O go out.
    await new Promise((resolve) => setImmediate(resolve));
    const fromAdmin = this.#isAdmin(message.senderId);
    const file = message.resources.find((resource) => resource.type === 'file');
    if (message.contentType === 'file' && file) return receiveUpload(this.#options, { message, file, fromAdmin, reply });
    if (!TEXT_TYPES.has(message.contentType)) {
      await reply(textCard({ title: '提示', text: mediaHint(message.contentType), template: 'grey' }));
      return;
    }
    const text = message.text.replace(/<[^>]+\/>/g, ' ').replace(/\s+/g, ' ').trim();
    if (text === '') return;
    const command = parseCommand(text);
    if (command) return runCommand(command.name, { message, argument: command.argument, reply, admin, store, memory }, fromAdmin);
    return answerQuestion(this.#options, message, text);
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
      // The store keeps what the card shows; a non-answer cites clauses exactly when it is `related`.
      const outcome = stored.refused ? (stored.citations.length > 0 ? 'related' : 'none') : 'answer';
      const answer = { refused: stored.refused, outcome, text: stored.answer, citations: stored.citations, closestDocuments: [], mode: 'extractive', ...(stored.note ? { note: stored.note } : {}) } satisfies Answer;
      await transport.updateCard(messageId, answerCard({ answerId: stored.id, answer, feedback: { vote: payload.vote }, ...(stored.understood ? { understoodAs: stored.understood } : {}) }));
    } else if (payload.action === 'source') {
      await transport.replyCard(messageId, sourceCard(stored.citations));
    }
  }
}
