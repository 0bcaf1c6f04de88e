/**
 * A local fake of the Lark/Feishu open platform for tests.
 *
 * It speaks the real wire protocols on 127.0.0.1 (ephemeral port) so the real
 * `@larksuiteoapi/node-sdk` (`createLarkChannel`, `WSClient`, `Client`,
 * `EventDispatcher`) runs unmodified against it:
 *
 *   const fake = await startFakeLark();
 *   const channel = createLarkChannel({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.baseUrl });
 *   await channel.connect();                                  // token, bot info, ws discovery, ws handshake
 *   const { ack } = await fake.deliverEvent(fake.messageEvent({ chatType: 'p2p', text: '你好' }));
 *   const reply = await fake.waitFor((r) => r.kind === 'reply');
 *   await channel.disconnect(); await fake.close();           // disconnect FIRST, else the SDK retries forever
 *
 * What is implemented (see /work/shared/docs/lark-platform-notes.md for the wire facts):
 * - `POST /open-apis/auth/v3/tenant_access_token/internal` — real credential check; every other
 *   /open-apis call must carry `Authorization: Bearer <token>` (400 + 99991661/99991663 otherwise).
 * - `GET /open-apis/bot/v3/info`.
 * - `POST /callback/ws/endpoint` + a websocket at `/ws/v2` speaking the `pbbp2.Frame` protobuf
 *   (ping → pong with ClientConfig, event frames with `sum`/`seq` fragmentation, ack frames parsed).
 * - IM messages: create, reply, PATCH (card update), PUT (edit), DELETE (recall), GET, reactions,
 *   message resources (user attachments, streamed binary), image/file upload and download, chat info.
 * - CardKit: card create, full update, element content (streaming), settings — with sequence checks.
 * - Webhook delivery to a bot's HTTP endpoint with real AES-256-CBC encryption and signature.
 *
 * Everything the bot successfully sends is appended to `sent`; every HTTP request is in `requests`.
 * Error codes for validation failures are close to the platform's but not guaranteed identical.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import protobuf from 'protobufjs';

// ───────────────────────────── public types ─────────────────────────────

export interface FakeLarkOptions {
  /** Must match /^cli_[0-9a-f]{16}$/ or the SDK's WSClient silently refuses to start. Default: random. */
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  botName?: string;
  tenantKey?: string;
  /** Seconds; the SDK caches the token until `expire - 180 s`. Default 7200 like the platform. */
  tokenExpireSec?: number;
  /**
   * ClientConfig sent with the endpoint discovery and every pong (seconds).
   * Defaults are the platform's ping cadence but a much quicker reconnect (2 s + 0–1 s nonce)
   * so reconnect tests do not wait minutes.
   */
  clientConfig?: Partial<ClientConfig>;
}

export interface ClientConfig {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
}

/** Routes that `failNext` can target (one per platform endpoint). */
export type FakeRoute =
  | 'token'
  | 'bot_info'
  | 'ws_endpoint'
  | 'create'
  | 'reply'
  | 'patch'
  | 'update'
  | 'delete'
  | 'message_get'
  | 'reaction'
  | 'reaction_delete'
  | 'resource'
  | 'image_upload'
  | 'file_upload'
  | 'image_get'
  | 'file_get'
  | 'chat_get'
  | 'card_create'
  | 'card_update'
  | 'card_element_content'
  | 'card_settings';

/** Kinds of records in `sent`: everything the bot changed on the platform. */
export type SentKind =
  | 'create'
  | 'reply'
  | 'patch'
  | 'update'
  | 'delete'
  | 'reaction'
  | 'reaction_delete'
  | 'image_upload'
  | 'file_upload'
  | 'card_create'
  | 'card_update'
  | 'card_element_content'
  | 'card_settings';

export interface SentRecord {
  kind: SentKind;
  /** Position in `sent`. */
  index: number;
  /** Date.now() when the platform accepted it. */
  at: number;
  /** create/reply: the NEW message's id. patch/update/delete/reaction: the target message's id. */
  messageId?: string;
  /** reply: the message replied to (path id). */
  replyTo?: string;
  replyInThread?: boolean;
  /** create: `receive_id` and `receive_id_type`. */
  receiveId?: string;
  receiveIdType?: string;
  /** Chat the message lives in (create/reply, and patch/update when the target is known). */
  chatId?: string;
  msgType?: string;
  /** Message content parsed from its JSON string; card JSON for card_create/card_update; the markdown for card_element_content. */
  content?: any;
  /** The content exactly as sent (JSON string for messages). */
  rawContent?: string;
  /** card_*: the CardKit card id; create/reply: set when the message references a CardKit card. */
  cardId?: string;
  elementId?: string;
  sequence?: number;
  uuid?: string;
  /** card_settings: the parsed `settings` JSON (e.g. `{config:{streaming_mode:false, summary:{content}}}`). */
  settings?: any;
  emojiType?: string;
  reactionId?: string;
  /** uploads: the issued key, original file name and size. */
  fileKey?: string;
  fileName?: string;
  bytes?: number;
  /** The parsed request body (JSON) or multipart text fields. */
  body: any;
}

export interface RequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  route: FakeRoute | null;
  headers: http.IncomingHttpHeaders;
  body: any;
  /** HTTP status and platform `code` that were answered (undefined while pending / for streams). */
  status?: number;
  code?: number;
  at: number;
}

/** What `failNext` makes the route answer instead of the normal response. */
export interface InjectedFailure {
  /**
   * HTTP status. Default 400, like the platform's business errors. Note the SDK only sees the code of
   * a 4xx/5xx answer (axios error); a 200 with a non-zero code reaches the channel as "no message_id"
   * (`unknown`, retried, code lost).
   */
  status?: number;
  /** Platform error code in the JSON body. Default: 429 → 99991400, 5xx → 1, else 99992402. */
  code?: number;
  msg?: string;
  /** Wait this long first. Alone (no status/code/reset) the request then proceeds normally: a slow platform. */
  hangMs?: number;
  /** Destroy the TCP connection instead of answering (client sees ECONNRESET / socket hang up). */
  reset?: boolean;
}

export interface DeliverOptions {
  /** Split the payload bytes across this many frames (`sum`/`seq` headers). Default 1. */
  fragments?: number;
  /** Send the fragments in reverse order (the SDK indexes by `seq`, so this must still work). */
  reverseFragments?: boolean;
  /** The frame's `type` header. Default 'event'; the SDK ignores (and never acks) anything else, e.g. 'card'. */
  frameType?: string;
  /** Reject if no ack arrives in time. Default 10 000 ms. */
  ackTimeoutMs?: number;
  /** How long to wait for a connected client first. Default 5 000 ms. */
  clientTimeoutMs?: number;
}

export interface DeliverResult {
  /** Milliseconds from sending the (last) frame to receiving the ack. */
  ackMs: number;
  /** The ack payload: `{code:200}`, `{code:500}` if the handler threw; `data` = base64(JSON(handler return)). */
  ack: { code: number; data?: string };
  /** `ack.data` decoded (e.g. a card-action handler's `{toast}`), if present. */
  result?: unknown;
  /** Headers of the ack frame (includes `biz_rt`, which SDK 1.74 reports as a negative number). */
  headers: Record<string, string>;
  /** The frame-level `message_id` used for this delivery. */
  frameMessageId: string;
}

export interface MessageEventInput {
  chatType: 'p2p' | 'group';
  /** Text for a `text` message (ignored when `content` is given). */
  text?: string;
  /** Default: a fresh `oc_…` id. */
  chatId?: string;
  /** Default: a fixed user `ou_…` per fake. */
  senderOpenId?: string;
  /** Prefix the text with `@_user_1 ` and add a mention whose open_id is the bot's. */
  mentionBot?: boolean;
  /** Put `@_all` in the text (the platform often omits @all from `mentions`; the SDK scans content). */
  mentionAll?: boolean;
  /** Default 'text'. E.g. 'file' with content `{file_key, file_name}`, 'image' with `{image_key}`. */
  messageType?: string;
  /** Content object (JSON-encoded into the envelope). Overrides `text`. */
  content?: object;
  /** Default: a fresh `om_…` id. The SDK dedups by message id process-wide, so keep them fresh. */
  messageId?: string;
  /** ms epoch. Default now. The SDK silently drops messages older than 30 min. */
  createTime?: number;
  parentId?: string;
  rootId?: string;
  threadId?: string;
}

export interface CardActionEventInput {
  operatorOpenId: string;
  value: object;
  messageId: string;
  chatId: string;
  tag?: string;
  name?: string;
  formValue?: object;
  option?: string;
}

export interface WebhookOptions {
  /** The app's Encrypt Key; the body is encrypted and signed with it (unless `plain`). */
  encryptKey: string;
  /** Send a signature that does not match (the SDK then skips the handler but still answers 200). */
  forgeSignature?: boolean;
  /** Send the envelope unencrypted (still signed when encryptKey is non-empty). */
  plain?: boolean;
  /** Default 10 000 ms. `adaptDefault` never answers a path mismatch, so this is what you get then. */
  timeoutMs?: number;
}

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

export interface FakeLark {
  /** http://127.0.0.1:<port> — pass as `domain` to the SDK. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  botOpenId: string;
  botName: string;
  tenantKey: string;
  /** Default sender of `messageEvent`. */
  userOpenId: string;

  /** Push an envelope over a connected websocket (a random client, like the platform) and wait for its ack. */
  deliverEvent(envelope: object, options?: DeliverOptions): Promise<DeliverResult>;
  /** Resolves once at least one websocket client is connected (and has sent its first ping). Default timeout 10 s. */
  waitForWsClient(timeoutMs?: number): Promise<void>;
  wsClientCount(): number;
  /** Close every client websocket (code 1001), e.g. to exercise the SDK's reconnect. */
  dropWsClients(): void;

  /** A schema-2.0 `im.message.receive_v1` envelope with fresh ids (also registers the message so replies to it are valid). */
  messageEvent(input: MessageEventInput): Record<string, any>;
  /** A schema-2.0 `card.action.trigger` envelope. */
  cardActionEvent(input: CardActionEventInput): Record<string, any>;
  /** Any schema-2.0 envelope (header filled in with a fresh event_id). */
  envelope(eventType: string, event: object): Record<string, any>;

  /** POST an envelope to a bot's webhook URL the way the platform does (encryption + signature headers). */
  postWebhook(url: string, envelope: object, options: WebhookOptions): Promise<{ status: number; body: string }>;

  /** A user attachment downloadable via GET /open-apis/im/v1/messages/:messageId/resources/:fileKey. */
  addResource(messageId: string, fileKey: string, data: Buffer, fileName?: string): void;

  /** Everything the platform accepted from the bot, in order. */
  sent: SentRecord[];
  /** Resolve with the first record (already sent or future) matching `predicate`. Default timeout 5 s. */
  waitFor(predicate: (r: SentRecord) => boolean, timeoutMs?: number): Promise<SentRecord>;
  /** Every HTTP request, in arrival order. */
  requests: RequestLogEntry[];
  /** CardKit cards by id, with their current JSON. */
  cards: Map<string, FakeCard>;
  /** Messages known to the platform (bot-sent and those built by `messageEvent`). */
  messages: Map<string, StoredMessage>;
  /** Plain text of the card's markdown/plain_text elements, joined by '\n' (what the user currently sees). */
  cardText(cardId: string): string;

  /** Make the next `times` (default 1) authenticated calls to `route` answer `failure` instead. */
  failNext(route: FakeRoute, failure: InjectedFailure, times?: number): void;

  /** Stop everything: websockets, pending requests, the HTTP server. Call `channel.disconnect()` first. */
  close(): Promise<void>;
}

// ───────────────────────────── helpers (exported) ─────────────────────────────

/**
 * The human-readable text of a sent message record: `text` → text, `post` → the text/md of every
 * element, `interactive` → markdown/plain_text elements (or the referenced card's current text
 * when `cards` is passed), `card_element_content` → the markdown.
 */
export function sentText(r: SentRecord, cards?: Map<string, FakeCard>): string {
  if (r.kind === 'card_element_content') return typeof r.content === 'string' ? r.content : '';
  if (r.cardId && cards?.has(r.cardId)) return cardJsonText(cards.get(r.cardId)?.card);
  const c = r.content;
  if (c == null) return '';
  if (r.msgType === 'text') return typeof c.text === 'string' ? c.text : '';
  if (r.msgType === 'post') {
    const lang = c.zh_cn ?? c.en_us ?? c.ja_jp ?? c;
    const rows: unknown[] = Array.isArray(lang?.content) ? lang.content : [];
    return rows
      .map((row) => (Array.isArray(row) ? row.map((el: any) => (typeof el?.text === 'string' ? el.text : '')).join('') : ''))
      .join('\n');
  }
  return cardJsonText(c);
}

function cardJsonText(card: any): string {
  const out: string[] = [];
  const walk = (node: any): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if ((node.tag === 'markdown' || node.tag === 'lark_md' || node.tag === 'plain_text') && typeof node.content === 'string') {
      out.push(node.content);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'config' && typeof v === 'object') walk(v);
  };
  walk(card?.body ?? card);
  return out.join('\n');
}

// ───────────────────────────── pbbp2 frame codec ─────────────────────────────

/**
 * The long-connection frame schema (proto2, package pbbp2), defined here rather than imported from
 * the SDK so the fake checks the SDK's encoder/decoder instead of sharing it.
 */
const PBBP2 = protobuf.parse(
  `syntax = "proto2";
   package pbbp2;
   message Header { required string key = 1; required string value = 2; }
   message Frame {
     required uint64 SeqID = 1;
     required uint64 LogID = 2;
     required int32 service = 3;
     required int32 method = 4;
     repeated Header headers = 5;
     optional string payloadEncoding = 6;
     optional string payloadType = 7;
     optional bytes payload = 8;
     optional string LogIDNew = 9;
   }`,
  { keepCase: true },
).root.lookupType('pbbp2.Frame');

/** `method` values. */
const FRAME_CONTROL = 0;
const FRAME_DATA = 1;

interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
  LogIDNew?: string;
}

function encodeFrame(frame: Frame): Buffer {
  const msg = PBBP2.fromObject(frame);
  return Buffer.from(PBBP2.encode(msg).finish());
}

function decodeFrame(buf: Buffer): Frame {
  const obj = PBBP2.toObject(PBBP2.decode(buf), { longs: Number, arrays: true }) as Frame;
  return obj;
}

function headerMap(frame: Frame): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of frame.headers) out[h.key] = h.value;
  return out;
}

// ───────────────────────────── internals ─────────────────────────────

/** Tokens are valid across every fake in the process — like one platform — keyed to their app. */
const issuedTokens = new Map<string, { appId: string; expiresAt: number }>();

const hex = (bytes: number): string => crypto.randomBytes(bytes).toString('hex');
const newMessageId = (): string => `om_${hex(16)}`;
const newChatId = (): string => `oc_${hex(16)}`;
const newOpenId = (): string => `ou_${hex(16)}`;
/** CardKit card ids are 19-digit numeric strings. */
const newCardId = (): string => `7${String(crypto.randomInt(1e9)).padStart(9, '0')}${String(crypto.randomInt(1e9)).padStart(9, '0')}`;

class HttpError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
  ) {}
}

const bad = (code: number, msg: string, status = 400): HttpError => new HttpError(status, code, msg);

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  params: Record<string, string>;
  query: Record<string, string>;
  body: any;
  raw: Buffer;
  files: Map<string, { data: Buffer; filename?: string }>;
  log: RequestLogEntry;
}

interface RouteDef {
  method: string;
  pattern: RegExp;
  keys: string[];
  route: FakeRoute;
  /** Needs a tenant token. */
  auth: boolean;
  /** Returns the JSON body to send (`{code:0,…}`), or undefined if it already answered (streams). */
  handle(ctx: Ctx): Promise<object | undefined> | object | undefined;
}

const RECEIVE_ID_TYPES = new Set(['open_id', 'user_id', 'union_id', 'email', 'chat_id']);
const MSG_TYPES = new Set(['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user', 'system']);

function parseMultipart(raw: Buffer, contentType: string): Map<string, { data: Buffer; filename?: string }> {
  const out = new Map<string, { data: Buffer; filename?: string }>();
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return out;
  const delim = Buffer.from(`--${b}`);
  let pos = raw.indexOf(delim);
  while (pos !== -1) {
    const start = pos + delim.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delim, start);
    if (next === -1) break;
    const part = raw.subarray(start + 2, next - 2); // drop the CRLF after the delimiter and before the next one
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const head = part.subarray(0, headerEnd).toString();
      const name = /;\s*name="([^"]*)"/i.exec(head)?.[1];
      const filename = /;\s*filename="([^"]*)"/i.exec(head)?.[1];
      if (name !== undefined) out.set(name, filename === undefined ? { data: part.subarray(headerEnd + 4) } : { data: part.subarray(headerEnd + 4), filename });
    }
    pos = next;
  }
  return out;
}

function encryptLark(plaintext: string, encryptKey: string): string {
  const key = crypto.createHash('sha256').update(encryptKey).digest();
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

function findElement(node: any, elementId: string): any {
  if (Array.isArray(node)) {
    for (const n of node) {
      const hit = findElement(n, elementId);
      if (hit) return hit;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  if (node.element_id === elementId) return node;
  for (const v of Object.values(node)) {
    if (typeof v === 'object') {
      const hit = findElement(v, elementId);
      if (hit) return hit;
    }
  }
  return undefined;
}

function parseJson(text: string): { ok: true; value: any } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

// ───────────────────────────── the fake ─────────────────────────────

export async function startFakeLark(options: FakeLarkOptions = {}): Promise<FakeLark> {
  const appId = options.appId ?? `cli_${hex(8)}`;
  const appSecret = options.appSecret ?? hex(16);
  const botOpenId = options.botOpenId ?? newOpenId();
  const botName = options.botName ?? 'Test Bot';
  const tenantKey = options.tenantKey ?? hex(8);
  const userOpenId = newOpenId();
  const tokenExpireSec = options.tokenExpireSec ?? 7200;
  const clientConfig: ClientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 2, ReconnectNonce: 1, ...options.clientConfig };

  const sent: SentRecord[] = [];
  const requests: RequestLogEntry[] = [];
  const cards = new Map<string, FakeCard>();
  const messages = new Map<string, StoredMessage>();
  const resources = new Map<string, { data: Buffer; fileName?: string }>(); // key: `${messageId}\n${fileKey}`
  const uploads = new Map<string, { data: Buffer; fileName?: string; kind: 'image' | 'file' }>();
  const failures = new Map<FakeRoute, { failure: InjectedFailure; left: number }[]>();
  const waiters = new Set<{ predicate: (r: SentRecord) => boolean; resolve: (r: SentRecord) => void }>();
  const p2pChats = new Map<string, string>(); // open_id → p2p chat id, so creates to a user land in a stable chat
  const chatModes = new Map<string, 'p2p' | 'group'>(); // from messageEvent / p2p creates, for GET /chats/:id
  const closeHooks = new Set<() => void>(); // cancel hangs / timers on close
  let closed = false;
  /** The long connection's `service_id` (echoed by the client in its ping frames). */
  const serviceId = crypto.randomInt(10_000, 99_999);
  const tickets = new Map<string, string>(); // one-shot ws ticket → device_id, issued by endpoint discovery

  const record = (r: Omit<SentRecord, 'index' | 'at'>): SentRecord => {
    const full: SentRecord = { ...r, index: sent.length, at: Date.now() };
    sent.push(full);
    for (const w of [...waiters]) {
      if (w.predicate(full)) {
        waiters.delete(w);
        w.resolve(full);
      }
    }
    return full;
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        closeHooks.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      closeHooks.add(done);
    });

  const messageView = (m: StoredMessage): object => ({
    message_id: m.messageId,
    ...(m.rootId ? { root_id: m.rootId } : {}),
    ...(m.parentId ? { parent_id: m.parentId } : {}),
    ...(m.threadId ? { thread_id: m.threadId } : {}),
    msg_type: m.msgType,
    create_time: String(m.createTime),
    update_time: String(Date.now()),
    deleted: m.deleted,
    updated: false,
    chat_id: m.chatId,
    sender: m.fromBot
      ? { id: appId, id_type: 'app_id', sender_type: 'app', tenant_key: tenantKey }
      : { id: userOpenId, id_type: 'open_id', sender_type: 'user', tenant_key: tenantKey },
    body: { content: m.content },
  });

  /** Validates msg_type/content the way the platform would reject obviously broken messages. */
  const checkContent = (msgType: unknown, content: unknown): { msgType: string; content: string; parsed: any; cardId?: string } => {
    if (typeof msgType !== 'string' || !MSG_TYPES.has(msgType)) throw bad(230001, `invalid msg_type: ${String(msgType)}`);
    if (typeof content !== 'string') throw bad(99992402, 'field validation failed: content must be a JSON string');
    const parsed = parseJson(content);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) throw bad(230001, 'invalid message content: not JSON');
    const v = parsed.value;
    if (msgType === 'text' && typeof v.text !== 'string') throw bad(230001, 'invalid message content: text missing');
    if (msgType === 'post' && !Object.values(v).some((lang: any) => Array.isArray(lang?.content))) throw bad(230001, 'invalid message content: post has no content');
    let cardId: string | undefined;
    if (msgType === 'interactive' && v.type === 'card') {
      cardId = v.data?.card_id;
      if (typeof cardId !== 'string' || !cards.has(cardId)) throw bad(230099, `Failed to create card content, card_id not found: ${String(cardId)}`);
    }
    return cardId === undefined ? { msgType, content, parsed: v } : { msgType, content, parsed: v, cardId };
  };

  const storeMessage = (m: StoredMessage): void => {
    messages.set(m.messageId, m);
    if (m.cardId) cards.get(m.cardId)?.messageIds.push(m.messageId);
  };

  const botMessage = (id: string | undefined): StoredMessage => {
    const m = id ? messages.get(id) : undefined;
    if (!m || !m.fromBot) throw bad(230001, `invalid message_id: ${String(id)} (not a message sent by this bot)`);
    if (m.deleted) throw bad(230011, 'The message was withdrawn.');
    return m;
  };

  const cardOf = (id: string | undefined): FakeCard => {
    const c = id ? cards.get(id) : undefined;
    if (!c) throw bad(300301, `card not found: ${String(id)}`);
    return c;
  };

  /** Strictly increasing per card, as CardKit demands. */
  const bumpSequence = (card: FakeCard, sequence: unknown): number => {
    if (typeof sequence !== 'number' || !Number.isInteger(sequence)) throw bad(99992402, 'field validation failed: sequence');
    if (sequence <= card.sequence) throw bad(300317, `sequence number compare failed: ${sequence} <= ${card.sequence}`);
    card.sequence = sequence;
    return sequence;
  };

  const ok = (data: object = {}): object => ({ code: 0, msg: 'success', data });

  const routes: RouteDef[] = [];
  const def = (method: string, path: string, route: FakeRoute, auth: boolean, handle: RouteDef['handle']): void => {
    const keys: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:([a-z_]+)/g, (_, k: string) => (keys.push(k), '([^/]+)'))}$`);
    routes.push({ method, pattern, keys, route, auth, handle });
  };

  // ── auth & bot ──
  def('POST', '/open-apis/auth/v3/tenant_access_token/internal', 'token', false, ({ body }) => {
    // Bad credentials: HTTP 200 + non-zero code (the platform's exact HTTP status here is unverified).
    // The SDK then throws a plain Error, which LarkChannel.connect() reports as `not_connected`.
    if (body?.app_id !== appId) return { code: 10003, msg: 'invalid param' };
    if (body?.app_secret !== appSecret) return { code: 10014, msg: 'app secret invalid' };
    const token = `t-g${hex(20)}`;
    issuedTokens.set(token, { appId, expiresAt: Date.now() + tokenExpireSec * 1000 });
    return { code: 0, msg: 'ok', tenant_access_token: token, expire: tokenExpireSec };
  });

  def('GET', '/open-apis/bot/v3/info', 'bot_info', true, () => ({
    code: 0,
    msg: 'ok',
    bot: { activate_status: 2, app_name: botName, avatar_url: 'https://example.invalid/avatar.png', ip_white_list: [], open_id: botOpenId },
  }));

  // ── websocket endpoint discovery (not under /open-apis, no token: it takes the app secret) ──
  def('POST', '/callback/ws/endpoint', 'ws_endpoint', false, ({ body }) => {
    if (body?.AppID !== appId || body?.AppSecret !== appSecret) return { code: 514, msg: 'auth failed', data: {} };
    const deviceId = `7${hex(9).replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`; // numeric, like the platform's
    const ticket = crypto.randomUUID();
    tickets.set(ticket, deviceId);
    // device_id / service_id must not be first: the SDK runs querystring.parse over the whole URL.
    const url = `ws://127.0.0.1:${port}/ws/v2?fpid=493&aid=552564&device_id=${deviceId}&access_key=${hex(16)}&service_id=${serviceId}&ticket=${ticket}`;
    return { code: 0, msg: 'ok', data: { URL: url, ClientConfig: clientConfig } };
  });

  // ── messages ──
  def('POST', '/open-apis/im/v1/messages', 'create', true, ({ body, query }) => {
    const idType = query.receive_id_type;
    if (!idType || !RECEIVE_ID_TYPES.has(idType)) throw bad(99992402, 'field validation failed: receive_id_type');
    const receiveId = body?.receive_id;
    if (typeof receiveId !== 'string' || !receiveId) throw bad(99992402, 'field validation failed: receive_id');
    const prefix: Record<string, string> = { chat_id: 'oc_', open_id: 'ou_', union_id: 'on_' };
    const want = prefix[idType];
    if (want && !receiveId.startsWith(want)) throw bad(230001, `invalid receive_id for ${idType}: ${receiveId}`);
    const c = checkContent(body?.msg_type, body?.content);
    let chatId = receiveId;
    if (idType !== 'chat_id') {
      chatId = p2pChats.get(receiveId) ?? newChatId();
      p2pChats.set(receiveId, chatId);
      chatModes.set(chatId, 'p2p');
    }
    const m: StoredMessage = { messageId: newMessageId(), chatId, msgType: c.msgType, content: c.content, fromBot: true, deleted: false, createTime: Date.now() };
    if (c.cardId) m.cardId = c.cardId;
    storeMessage(m);
    record({
      kind: 'create', messageId: m.messageId, receiveId, receiveIdType: idType, chatId, msgType: c.msgType,
      content: c.parsed, rawContent: c.content, ...(c.cardId ? { cardId: c.cardId } : {}), body,
    });
    return ok(messageView(m));
  });

  def('POST', '/open-apis/im/v1/messages/:message_id/reply', 'reply', true, ({ body, params }) => {
    const target = params.message_id ?? '';
    if (!target.startsWith('om_')) throw bad(230001, `invalid message_id: ${target}`);
    const parent = messages.get(target);
    if (parent?.deleted) throw bad(230011, 'The message was withdrawn.');
    const c = checkContent(body?.msg_type, body?.content);
    const inThread = body?.reply_in_thread === true;
    const m: StoredMessage = {
      messageId: newMessageId(),
      // Replies to ids the fake has never seen (hand-made envelopes) land in a fresh chat.
      chatId: parent?.chatId ?? newChatId(),
      msgType: c.msgType, content: c.content, fromBot: true, deleted: false, createTime: Date.now(),
      parentId: target, rootId: parent?.rootId ?? target,
    };
    const threadId = parent?.threadId ?? (inThread ? `omt_${hex(8)}` : undefined);
    if (threadId) m.threadId = threadId;
    if (c.cardId) m.cardId = c.cardId;
    storeMessage(m);
    record({
      kind: 'reply', messageId: m.messageId, replyTo: target, replyInThread: inThread, chatId: m.chatId, msgType: c.msgType,
      content: c.parsed, rawContent: c.content, ...(c.cardId ? { cardId: c.cardId } : {}), body,
    });
    return ok(messageView(m));
  });

  def('PATCH', '/open-apis/im/v1/messages/:message_id', 'patch', true, ({ body, params }) => {
    const m = botMessage(params.message_id);
    if (m.msgType !== 'interactive') throw bad(230001, 'only interactive messages can be patched');
    const c = checkContent('interactive', body?.content);
    m.content = c.content;
    record({ kind: 'patch', messageId: m.messageId, chatId: m.chatId, msgType: 'interactive', content: c.parsed, rawContent: c.content, body });
    return ok();
  });

  def('PUT', '/open-apis/im/v1/messages/:message_id', 'update', true, ({ body, params }) => {
    const m = botMessage(params.message_id);
    const c = checkContent(body?.msg_type, body?.content);
    if (c.msgType !== 'text' && c.msgType !== 'post') throw bad(230001, 'only text and post messages can be edited');
    m.content = c.content;
    m.msgType = c.msgType;
    record({ kind: 'update', messageId: m.messageId, chatId: m.chatId, msgType: c.msgType, content: c.parsed, rawContent: c.content, body });
    return ok(messageView(m));
  });

  def('DELETE', '/open-apis/im/v1/messages/:message_id', 'delete', true, ({ body, params }) => {
    const m = botMessage(params.message_id);
    m.deleted = true;
    record({ kind: 'delete', messageId: m.messageId, chatId: m.chatId, body });
    return ok();
  });

  def('GET', '/open-apis/im/v1/messages/:message_id', 'message_get', true, ({ params }) => {
    const m = params.message_id ? messages.get(params.message_id) : undefined;
    if (!m) throw bad(230001, `invalid message_id: ${String(params.message_id)}`);
    return ok({ items: [messageView(m)] });
  });

  def('POST', '/open-apis/im/v1/messages/:message_id/reactions', 'reaction', true, ({ body, params }) => {
    const emojiType = body?.reaction_type?.emoji_type;
    if (typeof emojiType !== 'string' || !emojiType) throw bad(99992402, 'field validation failed: reaction_type.emoji_type');
    const reactionId = hex(24);
    record({ kind: 'reaction', messageId: params.message_id ?? '', emojiType, reactionId, body });
    return ok({
      reaction_id: reactionId,
      operator: { operator_id: appId, operator_type: 'app' },
      action_time: String(Date.now()),
      reaction_type: { emoji_type: emojiType },
    });
  });

  def('DELETE', '/open-apis/im/v1/messages/:message_id/reactions/:reaction_id', 'reaction_delete', true, ({ body, params }) => {
    record({ kind: 'reaction_delete', messageId: params.message_id ?? '', reactionId: params.reaction_id ?? '', body });
    return ok({ reaction_id: params.reaction_id, operator: { operator_id: appId, operator_type: 'app' }, action_time: String(Date.now()) });
  });

  // User attachments: the only way to fetch files/images a user sent (images/:key and files/:key only serve the bot's own uploads).
  def('GET', '/open-apis/im/v1/messages/:message_id/resources/:file_key', 'resource', true, ({ params, query, res, log }) => {
    const type = query.type;
    if (!type || !['image', 'file', 'audio', 'video', 'media'].includes(type)) throw bad(234001, 'Invalid request param: type');
    const r = resources.get(`${params.message_id ?? ''}\n${params.file_key ?? ''}`);
    if (!r) throw bad(234003, 'File not in msg.');
    streamBinary(res, r.data, r.fileName);
    log.status = 200;
    return undefined;
  });

  def('POST', '/open-apis/im/v1/images', 'image_upload', true, ({ body, files }) => {
    const image = files.get('image');
    if (body?.image_type !== 'message' && body?.image_type !== 'avatar') throw bad(99992402, 'field validation failed: image_type');
    if (!image || image.data.length === 0) throw bad(234010, 'image is empty');
    const key = `img_v3_${hex(16)}`;
    uploads.set(key, { data: image.data, kind: 'image' });
    record({ kind: 'image_upload', fileKey: key, bytes: image.data.length, body });
    return ok({ image_key: key });
  });

  def('POST', '/open-apis/im/v1/files', 'file_upload', true, ({ body, files }) => {
    const file = files.get('file');
    if (typeof body?.file_type !== 'string' || typeof body?.file_name !== 'string') throw bad(99992402, 'field validation failed: file_type/file_name');
    if (!file || file.data.length === 0) throw bad(234010, 'file is empty');
    const key = `file_v3_${hex(16)}`;
    uploads.set(key, { data: file.data, fileName: body.file_name, kind: 'file' });
    record({ kind: 'file_upload', fileKey: key, fileName: body.file_name, bytes: file.data.length, body });
    return ok({ file_key: key });
  });

  def('GET', '/open-apis/im/v1/images/:image_key', 'image_get', true, ({ params, res, log }) => {
    const u = params.image_key ? uploads.get(params.image_key) : undefined;
    if (!u || u.kind !== 'image') throw bad(234003, 'image not found or not uploaded by this app');
    streamBinary(res, u.data);
    log.status = 200;
    return undefined;
  });

  def('GET', '/open-apis/im/v1/files/:file_key', 'file_get', true, ({ params, res, log }) => {
    const u = params.file_key ? uploads.get(params.file_key) : undefined;
    if (!u || u.kind !== 'file') throw bad(234003, 'file not found or not uploaded by this app');
    streamBinary(res, u.data, u.fileName);
    log.status = 200;
    return undefined;
  });

  def('GET', '/open-apis/im/v1/chats/:chat_id', 'chat_get', true, ({ params }) => {
    const chatId = params.chat_id ?? '';
    if (!chatId.startsWith('oc_')) throw bad(232001, 'invalid chat_id');
    const isP2p = chatModes.get(chatId) === 'p2p';
    return ok({
      name: isP2p ? '' : 'Test Group', description: '', chat_mode: isP2p ? 'p2p' : 'group', chat_type: 'private',
      owner_id: userOpenId, owner_id_type: 'open_id', user_count: isP2p ? '1' : '3', bot_count: '1', tenant_key: tenantKey,
    });
  });

  // ── CardKit ──
  def('POST', '/open-apis/cardkit/v1/cards', 'card_create', true, ({ body }) => {
    if (body?.type !== 'card_json') throw bad(99992402, 'field validation failed: type');
    const parsed = typeof body?.data === 'string' ? parseJson(body.data) : { ok: false as const };
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) throw bad(300300, 'invalid card json');
    const card: FakeCard = { cardId: newCardId(), card: parsed.value, sequence: 0, messageIds: [] };
    cards.set(card.cardId, card);
    record({ kind: 'card_create', cardId: card.cardId, content: structuredClone(parsed.value), rawContent: body.data, body });
    return ok({ card_id: card.cardId });
  });

  def('PUT', '/open-apis/cardkit/v1/cards/:card_id', 'card_update', true, ({ body, params }) => {
    const card = cardOf(params.card_id);
    const parsed = typeof body?.card?.data === 'string' ? parseJson(body.card.data) : { ok: false as const };
    if (body?.card?.type !== 'card_json' || !parsed.ok) throw bad(300300, 'invalid card json');
    const sequence = bumpSequence(card, body?.sequence);
    card.card = parsed.value;
    record({ kind: 'card_update', cardId: card.cardId, sequence, uuid: body?.uuid, content: structuredClone(parsed.value), rawContent: body.card.data, body });
    return ok();
  });

  def('PUT', '/open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content', 'card_element_content', true, ({ body, params }) => {
    const card = cardOf(params.card_id);
    const elementId = params.element_id ?? '';
    const el = findElement(card.card?.body ?? card.card, elementId);
    if (!el) throw bad(300302, `element not found: ${elementId}`);
    if (card.card?.config?.streaming_mode !== true) throw bad(300309, 'streaming mode is closed');
    if (typeof body?.content !== 'string') throw bad(99992402, 'field validation failed: content');
    const sequence = bumpSequence(card, body?.sequence);
    el.content = body.content;
    record({ kind: 'card_element_content', cardId: card.cardId, elementId, sequence, uuid: body?.uuid, content: body.content, body });
    return ok();
  });

  def('PATCH', '/open-apis/cardkit/v1/cards/:card_id/settings', 'card_settings', true, ({ body, params }) => {
    const card = cardOf(params.card_id);
    const parsed = typeof body?.settings === 'string' ? parseJson(body.settings) : { ok: false as const };
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) throw bad(99992402, 'field validation failed: settings');
    const sequence = bumpSequence(card, body?.sequence);
    const cfg = parsed.value.config;
    if (cfg && typeof cfg === 'object') card.card.config = { ...(card.card.config ?? {}), ...cfg };
    record({ kind: 'card_settings', cardId: card.cardId, sequence, uuid: body?.uuid, settings: parsed.value, body });
    return ok();
  });

  function streamBinary(res: http.ServerResponse, data: Buffer, fileName?: string): void {
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': data.length,
      ...(fileName ? { 'Content-Disposition': `attachment; filename="${encodeURIComponent(fileName)}"` } : {}),
    });
    res.end(data);
  }

  // ── HTTP server ──
  const sendJson = (res: http.ServerResponse, status: number, body: object, log: RequestLogEntry): void => {
    log.status = status;
    const code = (body as { code?: unknown }).code;
    if (typeof code === 'number') log.code = code;
    if (res.writableEnded || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Tt-Logid': hex(16) });
    res.end(text);
  };

  const takeFailure = (route: FakeRoute): InjectedFailure | undefined => {
    const queue = failures.get(route);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.left -= 1;
    if (head.left <= 0) queue.shift();
    return head.failure;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const contentType = req.headers['content-type'] ?? '';
    let body: any;
    let files = new Map<string, { data: Buffer; filename?: string }>();
    if (contentType.startsWith('multipart/form-data')) {
      files = parseMultipart(raw, contentType);
      body = Object.fromEntries([...files].filter(([, v]) => v.filename === undefined).map(([k, v]) => [k, v.data.toString('utf8')]));
    } else if (raw.length > 0) {
      const parsed = parseJson(raw.toString('utf8'));
      body = parsed.ok ? parsed.value : raw.toString('utf8');
    }
    const method = req.method ?? 'GET';
    let match: { def: RouteDef; params: Record<string, string> } | undefined;
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(url.pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
      match = { def: r, params };
      break;
    }
    const log: RequestLogEntry = { method, path: url.pathname, query, route: match?.def.route ?? null, headers: req.headers, body, at: Date.now() };
    requests.push(log);
    if (!match) {
      // The platform's gateway answers unknown paths with a plain-text 404.
      log.status = 404;
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 page not found');
      return;
    }
    try {
      if (match.def.auth) {
        const auth = req.headers.authorization ?? '';
        const token = /^Bearer (.+)$/.exec(auth)?.[1];
        if (!token) throw bad(99991661, 'Missing access token for authorization. Please make a request with token attached.');
        const t = issuedTokens.get(token);
        if (!t || t.appId !== appId || t.expiresAt < Date.now()) {
          throw bad(99991663, 'Invalid access token for authorization. Please make a request with token attached.');
        }
      }
      const failure = takeFailure(match.def.route);
      if (failure) {
        if (failure.hangMs) await sleep(failure.hangMs);
        if (closed) return;
        if (failure.reset) {
          log.status = 0;
          req.socket.destroy();
          return;
        }
        if (failure.status !== undefined || failure.code !== undefined) {
          // The platform answers business errors with HTTP 4xx + code (e.g. 400 / 230020), so that is the default.
          const status = failure.status ?? 400;
          const code = failure.code ?? (status === 429 ? 99991400 : status >= 500 ? 1 : 99992402);
          throw new HttpError(status, code, failure.msg ?? (status === 429 ? 'request trigger frequency limit' : `injected failure (${match.def.route})`));
        }
      }
      const out = await match.def.handle({ req, res, params: match.params, query, body, raw, files, log });
      if (out) sendJson(res, 200, out, log);
    } catch (e) {
      if (e instanceof HttpError) sendJson(res, e.status, { code: e.code, msg: e.msg, error: { log_id: hex(16) } }, log);
      else sendJson(res, 500, { code: 1, msg: `fake-lark internal error: ${String((e as Error)?.stack ?? e)}` }, log);
    }
  };

  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  // ── websocket long connection ──
  const wss = new WebSocketServer({ noServer: true });
  interface WsClient {
    ws: WebSocket;
    deviceId: string;
    /**
     * Set by the client's first ping. The SDK attaches its 'message' listener only after its
     * connect() promise settles, a tick after 'open' (and after it sends that ping): a frame pushed
     * right at upgrade time would be silently lost, so the fake treats a client as connected from
     * its first ping on.
     */
    ready: boolean;
  }
  const isReady = (c: WsClient): boolean => c.ready && c.ws.readyState === WebSocket.OPEN;
  const wsClients = new Set<WsClient>();
  const wsWaiters = new Set<() => void>();
  interface PendingAck {
    resolve: (r: DeliverResult) => void;
    reject: (e: Error) => void;
    sentAt: number;
    client: WsClient;
    timer: NodeJS.Timeout;
  }
  const pendingAcks = new Map<string, PendingAck>();
  let seqId = 0;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    const deviceId = tickets.get(ticket);
    if (url.pathname !== '/ws/v2' || !deviceId || url.searchParams.get('device_id') !== deviceId || url.searchParams.get('service_id') !== String(serviceId)) {
      // Real gateway: failed handshakes carry Handshake-Status/-Msg headers (the SDK does not read them).
      socket.end('HTTP/1.1 403 Forbidden\r\nHandshake-Status: 514\r\nHandshake-Msg: invalid ticket\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    tickets.delete(ticket); // one ticket, one connection (the SDK rediscovers on every reconnect)
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: WsClient = { ws, deviceId, ready: false };
      wsClients.add(client);
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) return;
        let frame: Frame;
        try {
          frame = decodeFrame(data);
        } catch {
          return; // garbage from the client: the real gateway would drop it too
        }
        const headers = headerMap(frame);
        if (frame.method === FRAME_CONTROL && headers.type === 'ping') {
          const pong: Frame = {
            SeqID: 0, LogID: 0, service: frame.service, method: FRAME_CONTROL,
            headers: [{ key: 'type', value: 'pong' }],
            payload: Buffer.from(JSON.stringify(clientConfig)),
          };
          ws.send(encodeFrame(pong));
          if (!client.ready) {
            client.ready = true;
            for (const w of [...wsWaiters]) w();
          }
          return;
        }
        if (frame.method === FRAME_DATA) {
          // An ack: the client echoes our event frame with biz_rt added and a {"code":…} payload.
          const id = headers.message_id ?? '';
          const p = pendingAcks.get(id);
          if (!p) return;
          pendingAcks.delete(id);
          clearTimeout(p.timer);
          const payloadText = Buffer.from(frame.payload ?? new Uint8Array()).toString('utf8');
          const parsed = parseJson(payloadText);
          const ack = parsed.ok && typeof parsed.value?.code === 'number' ? (parsed.value as { code: number; data?: string }) : { code: -1 };
          let result: unknown;
          if (typeof ack.data === 'string') {
            const decoded = parseJson(Buffer.from(ack.data, 'base64').toString('utf8'));
            result = decoded.ok ? decoded.value : undefined;
          }
          const out: DeliverResult = { ackMs: performance.now() - p.sentAt, ack, headers, frameMessageId: id };
          if (result !== undefined) out.result = result;
          p.resolve(out);
        }
      });
      ws.on('close', () => {
        wsClients.delete(client);
        for (const [id, p] of pendingAcks) {
          if (p.client !== client) continue;
          pendingAcks.delete(id);
          clearTimeout(p.timer);
          p.reject(new Error(`fake-lark: websocket closed before ack of ${id}`));
        }
      });
      ws.on('error', () => {});
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  const deliverEvent = async (envelope: object, opts: DeliverOptions = {}): Promise<DeliverResult> => {
    // `channel.connect()` can resolve before the client's first ping reached us: give it a moment.
    await waitForWsClient(opts.clientTimeoutMs ?? 5_000);
    const open = [...wsClients].filter(isReady);
    const client = open[crypto.randomInt(open.length)] as WsClient; // like the platform: one random client per event
    const payload = Buffer.from(JSON.stringify(envelope), 'utf8');
    const sum = Math.max(1, Math.min(opts.fragments ?? 1, payload.length));
    const size = Math.ceil(payload.length / sum);
    const frameMessageId = crypto.randomUUID();
    const traceId = crypto.randomUUID();
    const frames = Array.from({ length: sum }, (_, seq): Frame => ({
      SeqID: ++seqId,
      LogID: crypto.randomInt(1e12),
      service: serviceId,
      method: FRAME_DATA,
      headers: [
        { key: 'type', value: opts.frameType ?? 'event' },
        { key: 'message_id', value: frameMessageId },
        { key: 'sum', value: String(sum) },
        { key: 'seq', value: String(seq) },
        { key: 'trace_id', value: traceId },
        { key: 'timestamp', value: String(Date.now()) },
      ],
      // Byte slicing may split a UTF-8 character; the SDK joins bytes before decoding, as it must.
      payload: payload.subarray(seq * size, (seq + 1) * size),
    }));
    if (opts.reverseFragments) frames.reverse();
    return new Promise<DeliverResult>((resolve, reject) => {
      const timeoutMs = opts.ackTimeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        pendingAcks.delete(frameMessageId);
        reject(new Error(`fake-lark: no ack for event frame ${frameMessageId} within ${timeoutMs} ms`));
      }, timeoutMs);
      pendingAcks.set(frameMessageId, { resolve, reject, sentAt: 0, client, timer });
      for (const f of frames) client.ws.send(encodeFrame(f));
      const p = pendingAcks.get(frameMessageId);
      if (p) p.sentAt = performance.now();
    });
  };

  const waitForWsClient = (timeoutMs = 10_000): Promise<void> => {
    if ([...wsClients].some(isReady)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        wsWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        wsWaiters.delete(done);
        reject(new Error(`fake-lark: no websocket client within ${timeoutMs} ms`));
      }, timeoutMs);
      wsWaiters.add(done);
    });
  };

  // ── event builders ──
  const envelope = (eventType: string, event: object): Record<string, any> => ({
    schema: '2.0',
    header: {
      event_id: hex(16),
      event_type: eventType,
      create_time: String(Date.now()),
      token: 'verification-token',
      app_id: appId,
      tenant_key: tenantKey,
    },
    event,
  });

  const userIds = (openId: string): object => ({ union_id: `on_${hex(16)}`, user_id: hex(4), open_id: openId });

  const messageEvent = (input: MessageEventInput): Record<string, any> => {
    const messageId = input.messageId ?? newMessageId();
    const chatId = input.chatId ?? newChatId();
    const createTime = input.createTime ?? Date.now();
    const messageType = input.messageType ?? 'text';
    const mentions: object[] = [];
    let content: string;
    if (input.content) {
      content = JSON.stringify(input.content);
    } else {
      let text = input.text ?? '';
      if (input.mentionAll) text = `@_all ${text}`;
      if (input.mentionBot) text = `@_user_1 ${text}`;
      content = JSON.stringify({ text });
    }
    if (input.mentionBot) {
      mentions.push({ key: '@_user_1', id: { union_id: `on_${hex(16)}`, user_id: '', open_id: botOpenId }, name: botName, tenant_key: tenantKey });
    }
    const senderOpenId = input.senderOpenId ?? userOpenId;
    chatModes.set(chatId, input.chatType);
    messages.set(messageId, {
      messageId, chatId, msgType: messageType, content, fromBot: false, deleted: false, createTime,
      ...(input.parentId ? { parentId: input.parentId } : {}),
      ...(input.rootId ? { rootId: input.rootId } : {}),
      ...(input.threadId ? { threadId: input.threadId } : {}),
    });
    return envelope('im.message.receive_v1', {
      sender: { sender_id: userIds(senderOpenId), sender_type: 'user', tenant_key: tenantKey },
      message: {
        message_id: messageId,
        ...(input.rootId ? { root_id: input.rootId } : {}),
        ...(input.parentId ? { parent_id: input.parentId } : {}),
        create_time: String(createTime),
        update_time: String(createTime),
        chat_id: chatId,
        ...(input.threadId ? { thread_id: input.threadId } : {}),
        chat_type: input.chatType,
        message_type: messageType,
        content,
        ...(mentions.length ? { mentions } : {}),
        user_agent: 'Mozilla/5.0 Lark/7.30.0',
      },
    });
  };

  const cardActionEvent = (input: CardActionEventInput): Record<string, any> =>
    envelope('card.action.trigger', {
      operator: { tenant_key: tenantKey, ...userIds(input.operatorOpenId) },
      token: `c-${hex(20)}`,
      action: {
        tag: input.tag ?? 'button',
        value: input.value,
        ...(input.name ? { name: input.name } : {}),
        ...(input.formValue ? { form_value: input.formValue } : {}),
        ...(input.option ? { option: input.option } : {}),
      },
      host: 'im_message',
      context: { open_message_id: input.messageId, open_chat_id: input.chatId },
    });

  // ── webhook delivery ──
  const postWebhook = (url: string, env: object, opts: WebhookOptions): Promise<{ status: number; body: string }> => {
    const plaintext = JSON.stringify(env);
    const body = opts.plain ? plaintext : JSON.stringify({ encrypt: encryptLark(plaintext, opts.encryptKey) });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = hex(8);
    // Lark signs the raw body; the SDK re-serialises the parsed body, identical for compact JSON.
    const signature = crypto.createHash('sha256').update(timestamp + nonce + opts.encryptKey + body).digest('hex');
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-Lark-Request-Timestamp': timestamp,
      'X-Lark-Request-Nonce': nonce,
      'X-Lark-Signature': opts.forgeSignature ? crypto.createHash('sha256').update(`forged${nonce}`).digest('hex') : signature,
      'User-Agent': 'Go-http-client/1.1',
      Connection: 'close', // no keep-alive: the bot's server must be able to close promptly
    };
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(opts.timeoutMs ?? 10_000, () => req.destroy(new Error(`fake-lark: webhook ${url} did not answer within ${opts.timeoutMs ?? 10_000} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  };

  const waitFor = (predicate: (r: SentRecord) => boolean, timeoutMs = 5_000): Promise<SentRecord> => {
    const hit = sent.find(predicate);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const w = {
        predicate,
        resolve: (r: SentRecord): void => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        const summary = sent.map((r) => `${r.kind}${r.msgType ? `(${r.msgType})` : ''}`).join(', ') || 'nothing';
        reject(new Error(`fake-lark: waitFor timed out after ${timeoutMs} ms; sent so far: ${summary}`));
      }, timeoutMs);
      waiters.add(w);
    });
  };

  return {
    baseUrl, appId, appSecret, botOpenId, botName, tenantKey, userOpenId,
    deliverEvent,
    waitForWsClient,
    wsClientCount: () => [...wsClients].filter(isReady).length,
    dropWsClients: () => {
      for (const c of wsClients) c.ws.close(1001, 'going away');
    },
    messageEvent,
    cardActionEvent,
    envelope,
    postWebhook,
    addResource: (messageId, fileKey, data, fileName) => {
      resources.set(`${messageId}\n${fileKey}`, fileName === undefined ? { data } : { data, fileName });
    },
    sent,
    waitFor,
    requests,
    cards,
    messages,
    cardText: (cardId) => cardJsonText(cards.get(cardId)?.card),
    failNext: (route, failure, times = 1) => {
      const queue = failures.get(route) ?? [];
      queue.push({ failure, left: times });
      failures.set(route, queue);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const hook of [...closeHooks]) hook();
      for (const [id, p] of pendingAcks) {
        clearTimeout(p.timer);
        p.reject(new Error(`fake-lark: closed before ack of ${id}`));
      }
      pendingAcks.clear();
      for (const c of wsClients) c.ws.terminate();
      wss.close();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await done;
    },
  };
}
