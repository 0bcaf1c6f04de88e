/**
 * The real chat pipeline (`ChatBot`) over a writable workspace, driven the way the terminal chat
 * drives it: text messages and file uploads from an admin or a user, replies read as rendered text.
 */
import { BotStore, ChatBot, LocalChatQa, TerminalTransport } from '../../bot/chat/index.ts';
import { RuleFollowUpResolver } from '../../bot/qa/index.ts';
import { KnowledgeAdmin, type IngestSummary } from '../../ingest/index.ts';
import { openQa } from './qa.ts';
import { buildIndex, type Workspace } from './workspace.ts';

export const ADMIN = 'ou_admin';
export const USER = 'ou_user';
const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface AdminChat {
  /** Sends a text message; resolves to what the bot replied. */
  send(text: string, senderId?: string, chatId?: string): Promise<string>;
  /** Sends the file at `localPath` as if named `fileName` by the admin, in a private chat. */
  upload(localPath: string, fileName: string): Promise<string>;
  close(): void;
}

/** `runIngest`: how the admin ingests (in process unless given, e.g. the bot's worker thread). */
export function adminChat(workspace: Workspace, runIngest?: () => Promise<IngestSummary>): AdminChat {
  const { knowledgeDir, indexDir } = workspace;
  const { embedder, holder: index, qa, close } = openQa(indexDir);
  const chatQa = new LocalChatQa({ qa, followUps: new RuleFollowUpResolver((question) => qa.retrieve(question)), index });
  const output: string[] = [];
  const logger = { info() {}, warn() {}, error() {} };
  const admin = new KnowledgeAdmin({
    knowledgeDir,
    indexDir,
    maxFileBytes: MAX_FILE_BYTES,
    runIngest: runIngest ?? (() => buildIndex(knowledgeDir, indexDir, { embedder, maxFileBytes: MAX_FILE_BYTES })),
    onIndexSwitched: () => chatQa.refresh(),
    logger,
  });
  const bot = new ChatBot({ qa: chatQa, admin, store: new BotStore(':memory:'), transport: new TerminalTransport((text) => output.push(text)), adminIds: [ADMIN], logger });
  let counter = 0;
  const deliver = async (message: Parameters<ChatBot['handleMessage']>[0]) => {
    output.length = 0;
    await bot.handleMessage(message);
    return output.join('');
  };
  return {
    send: (text, senderId = ADMIN, chatId = 'oc_admin') => deliver({ messageId: `om_${++counter}`, chatId, chatType: 'p2p', senderId, text, contentType: 'text', resources: [] }),
    upload: (localPath, fileName) =>
      deliver({ messageId: `om_${++counter}`, chatId: 'oc_admin', chatType: 'p2p', senderId: ADMIN, text: '', contentType: 'file', resources: [{ type: 'file', fileKey: localPath, fileName }] }),
    close,
  };
}
