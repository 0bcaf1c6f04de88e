/** Schema-2.0 event envelopes as the platform pushes them (over the websocket or to a webhook). */
import { hex, newChatId, newMessageId } from './ids.ts';
import type { Platform, StoredMessage } from './state.ts';

export interface MessageEventInput {
  chatType: 'p2p' | 'group';
  /** Text for a `text` message (ignored when `content` is given). */
  text?: string;
  /** Default: a fresh `oc_…` id. */
  chatId?: string;
  /** Default: a fixed user `ou_…` per fake. */
  senderOpenId?: string;
  /** Default 'user'; another bot's messages arrive as 'app'. */
  senderType?: 'user' | 'app';
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

export function envelope(p: Platform, eventType: string, event: object): Record<string, any> {
  return {
    schema: '2.0',
    header: {
      event_id: hex(16),
      event_type: eventType,
      create_time: String(Date.now()),
      token: 'verification-token',
      app_id: p.appId,
      tenant_key: p.tenantKey,
    },
    event,
  };
}

const userIds = (openId: string): object => ({ union_id: `on_${hex(16)}`, user_id: hex(4), open_id: openId });

/** The message's JSON content string: `content` as given, or a text message with the requested @-prefixes. */
function messageContent(input: MessageEventInput): string {
  if (input.content) return JSON.stringify(input.content);
  let text = input.text ?? '';
  if (input.mentionAll) text = `@_all ${text}`;
  if (input.mentionBot) text = `@_user_1 ${text}`;
  return JSON.stringify({ text });
}

/** Also registers the message (and the chat's mode) so replies to it are valid. */
export function messageEvent(p: Platform, input: MessageEventInput): Record<string, any> {
  const m: StoredMessage = {
    messageId: input.messageId ?? newMessageId(),
    chatId: input.chatId ?? newChatId(),
    msgType: input.messageType ?? 'text',
    content: messageContent(input),
    fromBot: false,
    deleted: false,
    createTime: input.createTime ?? Date.now(),
    ...(input.parentId ? { parentId: input.parentId } : {}),
    ...(input.rootId ? { rootId: input.rootId } : {}),
    ...(input.threadId ? { threadId: input.threadId } : {}),
  };
  p.chatModes.set(m.chatId, input.chatType);
  p.messages.set(m.messageId, m);
  return envelope(p, 'im.message.receive_v1', {
    sender: { sender_id: userIds(input.senderOpenId ?? p.userOpenId), sender_type: input.senderType ?? 'user', tenant_key: p.tenantKey },
    message: receivedMessage(p, input, m),
  });
}

/** The event's `message` object, fields in the platform's order. */
function receivedMessage(p: Platform, input: MessageEventInput, m: StoredMessage): object {
  const mentions = input.mentionBot
    ? [{ key: '@_user_1', id: { union_id: `on_${hex(16)}`, user_id: '', open_id: p.botOpenId }, name: p.botName, tenant_key: p.tenantKey }]
    : [];
  return {
    message_id: m.messageId,
    ...(input.rootId ? { root_id: input.rootId } : {}),
    ...(input.parentId ? { parent_id: input.parentId } : {}),
    create_time: String(m.createTime),
    update_time: String(m.createTime),
    chat_id: m.chatId,
    ...(input.threadId ? { thread_id: input.threadId } : {}),
    chat_type: input.chatType,
    message_type: m.msgType,
    content: m.content,
    ...(mentions.length ? { mentions } : {}),
    user_agent: 'Mozilla/5.0 Lark/7.30.0',
  };
}

export function cardActionEvent(p: Platform, input: CardActionEventInput): Record<string, any> {
  return envelope(p, 'card.action.trigger', {
    operator: { tenant_key: p.tenantKey, ...userIds(input.operatorOpenId) },
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
}
