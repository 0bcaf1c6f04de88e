/** What the platform knows about one app: its identity and the objects the bot and the tests created. */
import type { NewRecord, SentRecord } from './recording.ts';

export interface FakeCard {
  cardId: string;
  /** The card JSON, kept up to date by element content / settings / full updates. */
  card: any;
  /** Last accepted `sequence` (strictly increasing per card). */
  sequence: number;
  /** Messages that reference this card. */
  messageIds: string[];
}

export interface StoredMessage {
  messageId: string;
  chatId: string;
  msgType: string;
  content: string;
  /** Sent by the bot (only those can be patched/edited/recalled). */
  fromBot: boolean;
  deleted: boolean;
  parentId?: string;
  rootId?: string;
  threadId?: string;
  cardId?: string;
  createTime: number;
}

interface StoredFile {
  data: Buffer;
  fileName?: string;
}

export interface Platform {
  appId: string;
  appSecret: string;
  botOpenId: string;
  botName: string;
  tenantKey: string;
  /** Default sender of `messageEvent`. */
  userOpenId: string;
  /** Seconds; the SDK caches the token until `expire - 180 s`. */
  tokenExpireSec: number;
  cards: Map<string, FakeCard>;
  messages: Map<string, StoredMessage>;
  /** User attachments; key: `${messageId}\n${fileKey}`. */
  resources: Map<string, StoredFile>;
  /** The bot's own uploads by image/file key. */
  uploads: Map<string, StoredFile & { kind: 'image' | 'file' }>;
  /** open_id → p2p chat id, so creates to a user land in a stable chat. */
  p2pChats: Map<string, string>;
  /** From messageEvent / p2p creates, for GET /chats/:id. */
  chatModes: Map<string, 'p2p' | 'group'>;
  /** Appends to `sent`: call once the platform has accepted a change. */
  record(r: NewRecord): SentRecord;
}
