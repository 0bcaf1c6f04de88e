/**
 * @module The message pipeline: one incoming message → exactly one reply. It claims the message in
 * the durable store first, with its content (so a re-delivery, even after a restart, is answered
 * once, and a message whose process died mid-answer is answered by the next), then routes: file
 * upload, command, or question. Every failure becomes a Chinese reply, never silence; a failing
 * store costs durability, not the answer.
 */
import { describeError, isAppError } from '../../core/index.ts';
import { answerQuestion } from './answer-delivery.ts';
import { answerCardAction } from './card-actions.ts';
import { errorCard, textCard } from './cards.ts';
import { parseCommand, runCommand } from './commands.ts';
import type { CardActionInput, CardActionReply, ChatBotOptions, IncomingMessage } from './types.ts';
import { receiveUpload } from './upload.ts';
import { mediaHint, userMessage } from './user-texts.ts';

const TEXT_TYPES = new Set(['text', 'post']);
/** Tries at a reply whose fate stays unknown before it is left to the next start. */
const UNCONFIRMED_ATTEMPTS = 3;

export class ChatBot {
  readonly #options: ChatBotOptions;
  readonly #inFlight = new Set<Promise<void>>();
  #closing = false;
  #sweeper: NodeJS.Timeout | undefined;
  /** Each chat's last accepted message, so the next one is answered after it. */
  readonly #chats = new Map<string, Promise<void>>();
  /** Claims not yet written (see `claimsWritten`). */
  readonly #claiming = new Set<Promise<boolean>>();

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
    clearInterval(this.#sweeper);
  }

  /**
   * Claims the message at once, not in its chat's turn: Lark never pushes an acknowledged event
   * again, and the transport acknowledges it right after this call, so a message waiting behind
   * its chat's earlier ones would be lost in a crash. It is answered in its turn (follow-ups need
   * the turns before them).
   */
  handleMessage(message: IncomingMessage): Promise<void> {
    if (this.#closing) return Promise.resolve();
    const claimed = this.#claim(message);
    this.#claiming.add(claimed);
    void claimed.then(() => this.#claiming.delete(claimed));
    const turn = () => this.#claimAndHandle(message, claimed);
    const work = this.#track((this.#chats.get(message.chatId) ?? Promise.resolve()).then(turn, turn));
    this.#chats.set(message.chatId, work);
    void work.finally(() => {
      if (this.#chats.get(message.chatId) === work) this.#chats.delete(message.chatId);
    });
    return work;
  }

  /**
   * Resolves once every claim started so far is written. The Lark channel acknowledges an event
   * only after this: an acknowledged message is never delivered again, so it must be kept first.
   */
  async claimsWritten(): Promise<void> {
    await Promise.all(this.#claiming);
  }

  async #claimAndHandle(message: IncomingMessage, claimed: Promise<boolean>): Promise<void> {
    if (!(await claimed)) {
      this.#options.logger.info('duplicate message ignored', { messageId: message.messageId });
      return;
    }
    await this.#handle(message);
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
      messages = await store.takeOverUnfinished();
    } catch (error) {
      logger.error('cannot read unanswered messages', { store: store.location, error: describeError(error) });
      return;
    }
    if (messages.length > 0) logger.info('answering messages left unanswered', { count: messages.length });
    for (const message of messages) if (!this.#closing) await this.#track(this.#handle(message));
  }

  /**
   * Answers what was left unanswered now, then every `everyMs`: at start what a crashed run
   * claimed, later what another replica claimed before it died (once its lease has run out).
   */
  watchUnfinished(everyMs: number): void {
    let sweeping: Promise<void> | undefined;
    const sweep = () => {
      if (!sweeping && !this.#closing) sweeping = this.answerUnfinished().finally(() => (sweeping = undefined));
    };
    sweep();
    this.#sweeper = setInterval(sweep, everyMs);
    this.#sweeper.unref();
  }

  /** A store that cannot record the claim must not cost the user the answer: answer without it. */
  async #claim(message: IncomingMessage): Promise<boolean> {
    const { store, logger } = this.#options;
    try {
      return await store.claimMessage(message);
    } catch (error) {
      logger.error('store failed, answering without a durable claim', { messageId: message.messageId, store: store.location, error: describeError(error) });
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
      await store.finishMessage(message.messageId);
    } catch (error) {
      logger.error('store failed, message not marked answered', { messageId: message.messageId, store: store.location, error: describeError(error) });
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
    if (command) return runCommand(command.name, { message, argument: command.argument, reply, admin, store, memory, consoleSignIn: this.#options.consoleSignIn }, fromAdmin);
    return answerQuestion(this.#options, message, text);
  }

  /**
   * Button clicks. Lark awaits this for the callback's answer (a toast for the clicker), so it
   * only records and sends; it never throws.
   */
  handleCardAction(action: CardActionInput): Promise<CardActionReply | undefined> {
    const reply = answerCardAction(this.#options, action);
    void this.#track(reply.then(() => {}));
    return reply;
  }
}
