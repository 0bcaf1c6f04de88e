/** IM messages (im/v1): send, reply (both idempotent by `uuid` for an hour), card patch, edit, recall, get, reactions; and chat info. */
import { hex, newChatId, newMessageId } from './ids.ts';
import { parseJson } from './json.ts';
import { bad, ok, type Ctx, type RouteSpec } from './routes.ts';
import type { Platform, StoredMessage } from './state.ts';

const RECEIVE_ID_TYPES = new Set(['open_id', 'user_id', 'union_id', 'email', 'chat_id']);
const MSG_TYPES = new Set(['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user', 'system']);

interface CheckedContent {
  msgType: string;
  content: string;
  parsed: any;
  cardId?: string;
}

function messageView(p: Platform, m: StoredMessage): object {
  return {
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
      ? { id: p.appId, id_type: 'app_id', sender_type: 'app', tenant_key: p.tenantKey }
      : { id: p.userOpenId, id_type: 'open_id', sender_type: 'user', tenant_key: p.tenantKey },
    body: { content: m.content },
  };
}

/** Validates msg_type/content the way the platform would reject obviously broken messages. */
function checkContent(p: Platform, msgType: unknown, content: unknown): CheckedContent {
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
    if (typeof cardId !== 'string' || !p.cards.has(cardId)) throw bad(230099, `Failed to create card content, card_id not found: ${String(cardId)}`);
  }
  return cardId === undefined ? { msgType, content, parsed: v } : { msgType, content, parsed: v, cardId };
}

/** The platform shows one message per `uuid` within this window; a repeat answers with that message. */
const UUID_WINDOW_MS = 60 * 60 * 1000;
const sentByUuid = new WeakMap<Platform, Map<string, { messageId: string; at: number }>>();

/** The message an earlier create/reply with this body's `uuid` made, if any (a retried send). */
function earlierByUuid(p: Platform, body: any): StoredMessage | undefined {
  const uuid = body?.uuid;
  if (typeof uuid !== 'string' || uuid === '') return undefined;
  if (uuid.length > 50) throw bad(99992402, 'field validation failed: uuid longer than 50 characters');
  const earlier = sentByUuid.get(p)?.get(uuid);
  return earlier && Date.now() - earlier.at < UUID_WINDOW_MS ? p.messages.get(earlier.messageId) : undefined;
}

function rememberUuid(p: Platform, body: any, messageId: string): void {
  if (typeof body?.uuid !== 'string' || body.uuid === '') return;
  const known = sentByUuid.get(p) ?? new Map<string, { messageId: string; at: number }>();
  known.set(body.uuid, { messageId, at: Date.now() });
  sentByUuid.set(p, known);
}

function storeMessage(p: Platform, m: StoredMessage): void {
  p.messages.set(m.messageId, m);
  if (m.cardId) p.cards.get(m.cardId)?.messageIds.push(m.messageId);
}

function botMessage(p: Platform, id: string | undefined): StoredMessage {
  const m = id ? p.messages.get(id) : undefined;
  if (!m?.fromBot) throw bad(230001, `invalid message_id: ${String(id)} (not a message sent by this bot)`);
  if (m.deleted) throw bad(230011, 'The message was withdrawn.');
  return m;
}

/** The chat a create lands in: the chat itself, or the user's stable p2p chat. */
function createTarget(p: Platform, idType: string, receiveId: string): string {
  if (idType === 'chat_id') return receiveId;
  const chatId = p.p2pChats.get(receiveId) ?? newChatId();
  p.p2pChats.set(receiveId, chatId);
  p.chatModes.set(chatId, 'p2p');
  return chatId;
}

function createMessage({ platform: p, body, query }: Ctx): object {
  const idType = query.receive_id_type;
  if (!idType || !RECEIVE_ID_TYPES.has(idType)) throw bad(99992402, 'field validation failed: receive_id_type');
  const receiveId = body?.receive_id;
  if (typeof receiveId !== 'string' || !receiveId) throw bad(99992402, 'field validation failed: receive_id');
  const prefix: Record<string, string> = { chat_id: 'oc_', open_id: 'ou_', union_id: 'on_' };
  const want = prefix[idType];
  if (want && !receiveId.startsWith(want)) throw bad(230001, `invalid receive_id for ${idType}: ${receiveId}`);
  const c = checkContent(p, body?.msg_type, body?.content);
  const earlier = earlierByUuid(p, body);
  if (earlier) return ok(messageView(p, earlier));
  const chatId = createTarget(p, idType, receiveId);
  const m: StoredMessage = { messageId: newMessageId(), chatId, msgType: c.msgType, content: c.content, fromBot: true, deleted: false, createTime: Date.now() };
  if (c.cardId) m.cardId = c.cardId;
  storeMessage(p, m);
  rememberUuid(p, body, m.messageId);
  p.record({
    kind: 'create', messageId: m.messageId, receiveId, receiveIdType: idType, chatId, msgType: c.msgType,
    content: c.parsed, rawContent: c.content, ...(c.cardId ? { cardId: c.cardId } : {}), ...(typeof body?.uuid === 'string' ? { uuid: body.uuid } : {}), body,
  });
  return ok(messageView(p, m));
}

function replyToMessage({ platform: p, body, params }: Ctx): object {
  const target = params.message_id ?? '';
  if (!target.startsWith('om_')) throw bad(230001, `invalid message_id: ${target}`);
  const parent = p.messages.get(target);
  if (parent?.deleted) throw bad(230011, 'The message was withdrawn.');
  const c = checkContent(p, body?.msg_type, body?.content);
  const earlier = earlierByUuid(p, body);
  if (earlier) return ok(messageView(p, earlier));
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
  storeMessage(p, m);
  rememberUuid(p, body, m.messageId);
  p.record({
    kind: 'reply', messageId: m.messageId, replyTo: target, replyInThread: inThread, chatId: m.chatId, msgType: c.msgType,
    content: c.parsed, rawContent: c.content, ...(c.cardId ? { cardId: c.cardId } : {}), ...(typeof body?.uuid === 'string' ? { uuid: body.uuid } : {}), body,
  });
  return ok(messageView(p, m));
}

function patchCard({ platform: p, body, params }: Ctx): object {
  const m = botMessage(p, params.message_id);
  if (m.msgType !== 'interactive') throw bad(230001, 'only interactive messages can be patched');
  const c = checkContent(p, 'interactive', body?.content);
  m.content = c.content;
  p.record({ kind: 'patch', messageId: m.messageId, chatId: m.chatId, msgType: 'interactive', content: c.parsed, rawContent: c.content, body });
  return ok();
}

function editMessage({ platform: p, body, params }: Ctx): object {
  const m = botMessage(p, params.message_id);
  const c = checkContent(p, body?.msg_type, body?.content);
  if (c.msgType !== 'text' && c.msgType !== 'post') throw bad(230001, 'only text and post messages can be edited');
  m.content = c.content;
  m.msgType = c.msgType;
  p.record({ kind: 'update', messageId: m.messageId, chatId: m.chatId, msgType: c.msgType, content: c.parsed, rawContent: c.content, body });
  return ok(messageView(p, m));
}

function recallMessage({ platform: p, body, params }: Ctx): object {
  const m = botMessage(p, params.message_id);
  m.deleted = true;
  p.record({ kind: 'delete', messageId: m.messageId, chatId: m.chatId, body });
  return ok();
}

function getMessage({ platform: p, params }: Ctx): object {
  const m = params.message_id ? p.messages.get(params.message_id) : undefined;
  if (!m) throw bad(230001, `invalid message_id: ${String(params.message_id)}`);
  return ok({ items: [messageView(p, m)] });
}

function addReaction({ platform: p, body, params }: Ctx): object {
  const emojiType = body?.reaction_type?.emoji_type;
  if (typeof emojiType !== 'string' || !emojiType) throw bad(99992402, 'field validation failed: reaction_type.emoji_type');
  const reactionId = hex(24);
  p.record({ kind: 'reaction', messageId: params.message_id ?? '', emojiType, reactionId, body });
  return ok({
    reaction_id: reactionId,
    operator: { operator_id: p.appId, operator_type: 'app' },
    action_time: String(Date.now()),
    reaction_type: { emoji_type: emojiType },
  });
}

function deleteReaction({ platform: p, body, params }: Ctx): object {
  p.record({ kind: 'reaction_delete', messageId: params.message_id ?? '', reactionId: params.reaction_id ?? '', body });
  return ok({ reaction_id: params.reaction_id, operator: { operator_id: p.appId, operator_type: 'app' }, action_time: String(Date.now()) });
}

function getChat({ platform: p, params }: Ctx): object {
  const chatId = params.chat_id ?? '';
  if (!chatId.startsWith('oc_')) throw bad(232001, 'invalid chat_id');
  const isP2p = p.chatModes.get(chatId) === 'p2p';
  return ok({
    name: isP2p ? '' : 'Test Group', description: '', chat_mode: isP2p ? 'p2p' : 'group', chat_type: 'private',
    owner_id: p.userOpenId, owner_id_type: 'open_id', user_count: isP2p ? '1' : '3', bot_count: '1', tenant_key: p.tenantKey,
  });
}

export const messageRoutes: RouteSpec[] = [
  { method: 'POST', path: '/open-apis/im/v1/messages', route: 'create', auth: true, handle: createMessage },
  { method: 'POST', path: '/open-apis/im/v1/messages/:message_id/reply', route: 'reply', auth: true, handle: replyToMessage },
  { method: 'PATCH', path: '/open-apis/im/v1/messages/:message_id', route: 'patch', auth: true, handle: patchCard },
  { method: 'PUT', path: '/open-apis/im/v1/messages/:message_id', route: 'update', auth: true, handle: editMessage },
  { method: 'DELETE', path: '/open-apis/im/v1/messages/:message_id', route: 'delete', auth: true, handle: recallMessage },
  { method: 'GET', path: '/open-apis/im/v1/messages/:message_id', route: 'message_get', auth: true, handle: getMessage },
  { method: 'POST', path: '/open-apis/im/v1/messages/:message_id/reactions', route: 'reaction', auth: true, handle: addReaction },
  { method: 'DELETE', path: '/open-apis/im/v1/messages/:message_id/reactions/:reaction_id', route: 'reaction_delete', auth: true, handle: deleteReaction },
  { method: 'GET', path: '/open-apis/im/v1/chats/:chat_id', route: 'chat_get', auth: true, handle: getChat },
];
