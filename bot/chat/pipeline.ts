/**
 * @module The message pipeline: one incoming message → at most one reply. It claims the message in
 * the durable store first (so a re-delivery, even after a restart, is answered once), then routes:
 * file upload, command, or question. Every failure becomes a Chinese reply, never silence.
 */
import { AppError, describeError } from '../../core/index.ts';
import type { Answer } from '../answer/index.ts';
import { answerQuestion } from './answer-delivery.ts';
import { answerCard, errorCard, sourceCard, textCard } from './cards.ts';
import { parseCommand, runCommand } from './commands.ts';
import type { CardActionInput, ChatBotOptions, IncomingMessage } from './types.ts';
import { receiveUpload } from './upload.ts';
import { mediaHint, userMessage } from './user-texts.ts';

const TEXT_TYPES = new Set(['text', 'post']);

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
    const { transport, admin, store, memory } = this.#options;
    const reply = (card: object) => transport.replyCard(message.messageId, card);
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
