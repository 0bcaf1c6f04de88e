/**
 * @module Replies through the IM API itself rather than `channel.send`, which can neither carry
 * Lark's idempotency `uuid` nor tell a rate limit from a refusal (it reads code 99991400 as
 * "permission denied" and gives up). A reply with a `uuid` is shown once however often it is sent
 * within an hour, so it is retried on rate limits and on answers that never came back.
 */
import { createHash } from 'node:crypto';
import type { LarkChannel } from '@larksuiteoapi/node-sdk';
import pRetry, { AbortError } from 'p-retry';
import { AppError } from '../../../core/index.ts';

/** The app's call rate (99991400) and the per-chat / per-user message rate (230020). */
const RATE_LIMIT_CODES = new Set([99991400, 230020]);
/** Failures before the request left: the platform cannot have seen it. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
/** Four attempts over about 3.5 s of back-off (plus the HTTP deadline per attempt that timed out). */
const RETRY = { retries: 3, minTimeout: 500, factor: 2, randomize: true } as const;

export interface Reply {
  messageId: string;
  msgType: string;
  /** The message content as its JSON string. */
  content: string;
  /** Names this reply among the message's replies; absent, every send is a new message. */
  key?: string;
}

/** What one attempt came to: the platform said no (`status`/`code`), or nothing came back. */
class AttemptFailure extends Error {
  readonly #notSent: boolean;

  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: number | undefined,
    options: { cause?: unknown; notSent?: boolean } = {},
  ) {
    super(message, options);
    this.#notSent = options.notSent ?? false;
  }

  /** No answer, or a server error: the platform may have shown the message. */
  get fateUnknown(): boolean {
    return !this.#notSent && (this.status === undefined || this.status >= 500);
  }

  get retryable(): boolean {
    return this.#notSent || this.fateUnknown || this.status === 429 || (this.code !== undefined && RATE_LIMIT_CODES.has(this.code));
  }
}

/** At most 50 characters, the platform's limit; a hash, since message ids and keys have no set length. */
function replyUuid(messageId: string, key: string): string {
  return createHash('sha256').update(`${messageId}\n${key}`).digest('hex').slice(0, 32);
}

function attemptFailure(error: unknown): AttemptFailure {
  const response = (error as { response?: { status?: number; data?: { code?: unknown; msg?: unknown } } }).response;
  const code = typeof response?.data?.code === 'number' ? response.data.code : undefined;
  const text = typeof response?.data?.msg === 'string' ? response.data.msg : (error as Error).message;
  const notSent = !response && NOT_SENT.has(String((error as { code?: unknown }).code));
  return new AttemptFailure(text, response?.status, code, { cause: error, notSent });
}

async function attempt(channel: LarkChannel, reply: Reply, uuid: string | undefined): Promise<string> {
  let body: { code?: number; msg?: string; data?: { message_id?: string } };
  try {
    body = await channel.rawClient.im.v1.message.reply({
      path: { message_id: reply.messageId },
      data: { msg_type: reply.msgType, content: reply.content, ...(uuid ? { uuid } : {}) },
    });
  } catch (error) {
    throw attemptFailure(error);
  }
  const messageId = body.data?.message_id;
  if (body.code === 0 && messageId) return messageId;
  throw new AttemptFailure(body.msg ?? 'no message_id in the answer', 200, body.code);
}

/**
 * Sends the reply, retrying rate limits and lost answers under the same `uuid`. Fails with
 * `reply_unconfirmed` when an attempt's fate stayed unknown (the message may be in the chat), else
 * with `send_failed`.
 */
export async function sendReply(channel: LarkChannel, reply: Reply): Promise<string> {
  const uuid = reply.key ? replyUuid(reply.messageId, reply.key) : undefined;
  let unconfirmed = false;
  try {
    return await pRetry(
      async () => {
        try {
          return await attempt(channel, reply, uuid);
        } catch (error) {
          const failure = error as AttemptFailure;
          unconfirmed ||= failure.fateUnknown;
          // Without a uuid a lost answer must not be sent again: it could show twice.
          if (!failure.retryable || (failure.fateUnknown && !uuid)) throw new AbortError(failure);
          throw failure;
        }
      },
      RETRY,
    );
  } catch (error) {
    const failure = error instanceof AttemptFailure ? error : attemptFailure(error);
    const detail = `回复消息 ${reply.messageId} 失败：${failure.message}${failure.status ? `（HTTP ${failure.status}${failure.code ? `，code ${failure.code}` : ''}）` : ''}`;
    if (unconfirmed) throw new AppError('reply_unconfirmed', `${detail}；平台可能已收到，未确认`, { cause: failure });
    throw new AppError('send_failed', detail, { cause: failure });
  }
}
