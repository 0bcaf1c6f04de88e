/**
 * @module The chat: one message pipeline for every transport (Lark in ./lark/, the terminal here),
 * its durable store, per-chat memory, reply cards, and question answering in or out of process.
 */
export { renderCardText } from './card-text.ts';
export { LocalChatQa, type ChatAnswer, type ChatQa } from './chat-qa.ts';
export { ConversationMemory } from './memory.ts';
export type { QuestionLog, QuestionLogEntry, QuestionLogFilter, UsageFigures } from './question-log.ts';
export { ChatBot } from './pipeline.ts';
export { BotStore, openStore, type ChatStore } from './store/index.ts';
export { LOCAL_USER_ID, runTerminalChat, TerminalTransport } from './terminal.ts';
export type { ChatTransport, IncomingMessage } from './types.ts';
export { WorkerChatQa } from './worker/index.ts';
