/**
 * @module The chat layer's contracts. The pipeline speaks to a `ChatTransport`; Lark and the local
 * terminal are the two implementations, so both run the very same message handling.
 */
import type { Logger } from '../../core/index.ts';
import type { KnowledgeAdmin } from '../../ingest/index.ts';
import type { ChatQa } from './chat-qa.ts';
import type { ConversationMemory } from './memory.ts';
import type { ChatStore } from './store/index.ts';

export interface IncomingMessage {
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  senderId: string;
  /** Text with the bot's own mention removed; media as the SDK's tags. */
  text: string;
  /** Lark's message_type: text, post, file, image, sticker, audio, media … */
  contentType: string;
  resources: { type: string; fileKey: string; fileName?: string }[];
}

export interface CardActionInput {
  messageId: string;
  chatId: string;
  operatorId: string;
  value: unknown;
}

/** A card callback's answer: a toast shown only to the person who clicked. */
export interface CardActionReply {
  toast: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
}

export interface ChatTransport {
  /**
   * Replies to `messageId` with a Card JSON 2.0 card; returns the new message's id. `key` names the
   * reply among the message's replies ('answer', 'error' …): the same message and key are the same
   * reply, so sending it again (a retry, a replay after a crash) never shows twice. A reply whose
   * fate stays unknown (timeouts) fails with `reply_unconfirmed`.
   */
  replyCard(messageId: string, card: object, key?: string): Promise<string>;
  /** Replaces a card the bot sent earlier. */
  updateCard(messageId: string, card: object): Promise<void>;
  /**
   * Sends a card to one person privately (Lark: a direct message to their open_id), for what one
   * user asked for in a group. Optional: without it, such a card is not sent.
   */
  sendToUser?(openId: string, card: object): Promise<string>;
  /** Downloads a user's attachment, refusing more than `maxBytes`. */
  downloadAttachment(messageId: string, fileKey: string, maxBytes: number): Promise<Buffer>;
  /**
   * Streams markdown into a reply as it is produced (Lark: a CardKit streaming card), returning
   * the reply's message id so the final card can replace it. Optional: a transport without it
   * gets only the final card.
   */
  streamReply?(messageId: string, chatId: string, produce: (update: (markdown: string) => void) => Promise<void>): Promise<string>;
}

/** What the message pipeline (`ChatBot`) and its parts work with. */
export interface ChatBotOptions {
  qa: ChatQa;
  admin: KnowledgeAdmin;
  store: ChatStore;
  transport: ChatTransport;
  adminIds: string[];
  logger: Logger;
  /** Questions longer than this are cut (with a note): retrieval gets worse, not better, with essays. */
  maxQuestionChars?: number;
  memory?: ConversationMemory;
  /** Stream the answer into the reply while it is generated (useful only with a model). */
  streamAnswers?: boolean;
  /** The reply to `管理后台`: a one-time console sign-in link, or why there is none. */
  consoleSignIn?: (message: IncomingMessage) => { title: string; text: string };
  /** How long before a reply whose fate stayed unknown is sent again under its key (default 1 min). */
  unconfirmedRetryMs?: number;
}
