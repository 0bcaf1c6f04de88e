/**
 * @module Lark's received messages as the bot's `IncomingMessage`: who sent them, and a rich-text
 * post as the plain question its reader sees. Both need the raw event, which the channel attaches
 * (`includeRawEvent`): the SDK's normalized message has no sender type, and renders a post as
 * markdown (`**title**`, `[text](href)`, `@name`, `![image](key)`) that would become part of the question.
 */
import type { NormalizedMessage, RawMessageEvent } from '@larksuiteoapi/node-sdk';
import type { IncomingMessage } from '../types.ts';

interface PostElement {
  tag?: string;
  text?: string;
  href?: string;
}

interface PostBody {
  title?: string;
  content?: unknown;
}

/** Runs whose text is part of what the user wrote; mentions, images, media and emoji are not. */
const TEXT_TAGS = new Set(['text', 'a', 'code_block', 'md']);

function rawEvent(message: NormalizedMessage): Partial<RawMessageEvent> {
  return (message.raw ?? {}) as Partial<RawMessageEvent>;
}

/** Messages from other bots are not questions, and answering them can start a bot-to-bot loop. */
export function sentByApp(message: NormalizedMessage): boolean {
  return rawEvent(message).sender?.sender_type === 'app';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Received events carry `{title, content}`; the same post elsewhere is wrapped per locale (`{zh_cn: {…}}`). */
function postBody(parsed: Record<string, unknown>): PostBody | undefined {
  if ('title' in parsed || 'content' in parsed) return parsed as PostBody;
  const localized = parsed['zh_cn'] ?? Object.values(parsed).find(isObject);
  return isObject(localized) ? (localized as PostBody) : undefined;
}

function runText(element: unknown): string {
  if (!isObject(element)) return '';
  const { tag, text, href } = element as PostElement;
  if (!tag || !TEXT_TAGS.has(tag)) return '';
  // A link without text shows its address, so that is what the user wrote.
  return text || (tag === 'a' ? (href ?? '') : '');
}

/** A post's content JSON as plain text: the title, then one line per paragraph. Unreadable content gives ''. */
export function postText(content: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return '';
  }
  const body = isObject(parsed) ? postBody(parsed) : undefined;
  if (!body) return '';
  const paragraphs = Array.isArray(body.content) ? body.content.map((paragraph) => (Array.isArray(paragraph) ? paragraph.map(runText).join('') : '')) : [];
  return [typeof body.title === 'string' ? body.title : '', ...paragraphs]
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

export function toIncoming(message: NormalizedMessage): IncomingMessage {
  const rawContent = rawEvent(message).message?.content;
  return {
    messageId: message.messageId,
    chatId: message.chatId,
    chatType: message.chatType,
    senderId: message.senderId,
    text: message.rawContentType === 'post' && rawContent !== undefined ? postText(rawContent) : message.content,
    contentType: message.rawContentType,
    resources: message.resources.map((resource) => ({ type: resource.type, fileKey: resource.fileKey, ...(resource.fileName ? { fileName: resource.fileName } : {}) })),
  };
}
