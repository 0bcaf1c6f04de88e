/**
 * @module Webhook mode: an HTTP server that authenticates Lark's callbacks before anything else
 * touches them, hands them to the channel's dispatcher, and serves `/healthz`.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { EventDispatcher, LarkChannel } from '@larksuiteoapi/node-sdk';
import getRawBody from 'raw-body';
import { AppError, describeError, type Logger } from '../../../core/index.ts';
import { AESCipher, EventDispatcher as SdkEventDispatcher, SDK_VERSION } from './sdk.ts';

const WEBHOOK_PATHS = new Set(['/webhook/event', '/webhook/card']);

/** Lark's events and card callbacks are a few KB; a body near this size is not Lark's, and is refused before it is buffered. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * How far a signed request's timestamp may be from our clock. Lark stamps every push, retries
 * included, when it sends it, so a larger gap means a replayed capture, not a slow network.
 */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * How long the rest of an oversize upload is read and dropped before the 413 goes out: answering
 * and closing while the client still sends resets the connection, and the client never sees the
 * 413. An upload still going after this is cut off.
 */
const LINGER_MS = 1_000;

/**
 * The channel's dispatcher, which carries its dedup, policy and queueing. The SDK keeps it private
 * and offers no public way to mount it (its `webhook.adapter` option is never read; its source says
 * "user plugs this.dispatcher into their HTTP handler"), so this is the one place that reaches in,
 * and it fails loudly at start-up if an SDK update moves it.
 */
export function channelDispatcher(channel: LarkChannel): EventDispatcher {
  const dispatcher: unknown = (channel as unknown as { dispatcher?: unknown }).dispatcher;
  if (!(dispatcher instanceof SdkEventDispatcher)) {
    throw new AppError(
      'dependency_incompatible',
      `已安装的 @larksuiteoapi/node-sdk ${SDK_VERSION} 不再提供 LarkChannel.dispatcher，webhook 模式需要随 SDK 更新（bot/chat/lark/webhook.ts）；在此之前请改用 LARK_TRANSPORT=websocket`,
    );
  }
  return dispatcher;
}

/** A request answered with `status` and nothing else; `reason` goes to the log only. */
class Refused extends Error {
  readonly status: number;

  constructor(status: number, reason: string) {
    super(reason);
    this.status = status;
  }
}

type Payload = Record<string, unknown> & { header?: { token?: unknown }; token?: unknown; type?: unknown; challenge?: unknown };

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * Written here rather than taken from the SDK: its check (`RequestHandle.checkIsEventValidated`,
 * not exported) hashes `JSON.stringify` of the parsed and, for challenges, decrypted body, so it
 * can only run after the parsing it should guard; and it has no timestamp window. Lark signs the
 * raw body: sha256(timestamp + nonce + encryptKey + body).
 */
function checkSignature(headers: http.IncomingHttpHeaders, body: string, encryptKey: string, now: number): void {
  const { 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature } = headers;
  if (typeof timestamp !== 'string' || typeof nonce !== 'string' || typeof signature !== 'string') throw new Refused(401, 'incomplete signature headers');
  const expected = crypto.createHash('sha256').update(timestamp + nonce + encryptKey + body).digest('hex');
  if (!sameText(signature, expected)) throw new Refused(401, 'signature mismatch');
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds) || Math.abs(now - seconds * 1000) > MAX_CLOCK_SKEW_MS) throw new Refused(401, `timestamp ${timestamp} outside the accepted window`);
}

/** The JSON body, decrypted when it is `{encrypt}` (with the SDK's own cipher). */
function openBody(body: string, cipher: InstanceType<typeof AESCipher>): { payload: Payload; encrypted: boolean } {
  const asObject = (text: string): Payload => {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Payload;
  };
  try {
    const outer = asObject(body);
    if (typeof outer['encrypt'] !== 'string') return { payload: outer, encrypted: false };
    return { payload: asObject(cipher.decrypt(outer['encrypt'])), encrypted: true };
  } catch (error) {
    throw new Refused(400, `unreadable body: ${(error as Error).message}`);
  }
}

/** Schema 2.0 events (card callbacks too) carry the token in `header`; challenges and v1 events at the top. */
function checkToken(payload: Payload, verificationToken: string): void {
  if (!verificationToken) return;
  const given = payload.header?.token ?? payload.token;
  if (typeof given !== 'string' || !sameText(given, verificationToken)) throw new Refused(401, 'wrong verification token');
}

/** One webhook request to its response. Only `Refused` is expected; anything else is a bug or a handler failure. */
async function answer(request: http.IncomingMessage, dispatcher: EventDispatcher, cipher: InstanceType<typeof AESCipher>): Promise<{ status: number; body: string }> {
  // The cap holds as the body streams in; a declared Content-Length past it is refused before a
  // byte is kept (the rest is then only drained, see discardUpload).
  const body = await getRawBody(request, { length: request.headers['content-length'] ?? null, limit: MAX_BODY_BYTES, encoding: 'utf8' }).catch((error: { status?: number; message: string }) => {
    throw new Refused(error.status ?? 400, error.message);
  });
  // URL verification is the one request Lark sends unsigned; anything else unsigned is refused.
  const signed = request.headers['x-lark-signature'] !== undefined;
  if (signed) checkSignature(request.headers, body, dispatcher.encryptKey, Date.now());
  const { payload, encrypted } = openBody(body, cipher);
  const challenge = payload.type === 'url_verification';
  if (!signed && !challenge) throw new Refused(401, 'unsigned request');
  checkToken(payload, dispatcher.verificationToken);
  // Without a configured token, an unsigned challenge is trusted only when it decrypted with our key.
  if (!signed && !dispatcher.verificationToken && !encrypted) throw new Refused(401, 'unsigned plaintext challenge and no verification token to check it');
  if (challenge) return { status: 200, body: JSON.stringify({ challenge: payload.challenge }) };
  // Already authenticated above, on the raw body.
  const value: unknown = await dispatcher.invoke(payload, { needCheck: false });
  return { status: 200, body: value === undefined ? '' : JSON.stringify(value) };
}

/** Reads and drops the rest of a refused body for at most `LINGER_MS`; true when it ended. */
function discardUpload(request: http.IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    if (request.complete) return resolve(true);
    const timer = setTimeout(() => resolve(false), LINGER_MS);
    const ended = () => {
      clearTimeout(timer);
      resolve(request.complete);
    };
    request.once('end', ended).once('close', ended).resume();
  });
}

/** Resolves once listening on `port`. The dispatcher's Encrypt Key (required) and verification token (optional) authenticate requests. */
export async function serveWebhooks(dispatcher: EventDispatcher, options: { port: number; logger: Logger }): Promise<http.Server> {
  const { logger } = options;
  const cipher = new AESCipher(dispatcher.encryptKey);
  const respond = async (request: http.IncomingMessage, response: http.ServerResponse, path: string) => {
    try {
      const { status, body } = await answer(request, dispatcher, cipher);
      response.writeHead(status, body ? { 'Content-Type': 'application/json; charset=utf-8' } : {}).end(body);
    } catch (error) {
      const refused = error instanceof Refused;
      if (refused) logger.warn('webhook request refused', { path, status: error.status, reason: error.message, remote: request.socket.remoteAddress });
      else logger.error('webhook handler failed', { path, error: describeError(error) });
      if (response.headersSent || response.destroyed) return;
      const status = refused ? error.status : 500;
      const ended = status !== 413 || (await discardUpload(request));
      response.writeHead(status, ended ? {} : { Connection: 'close' }).end();
    }
  };
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.method === 'GET' && path === '/healthz') {
      response.end('ok');
    } else if (request.method === 'POST' && WEBHOOK_PATHS.has(path)) {
      respond(request, response, path).catch((error: unknown) => {
        logger.error('webhook response failed', { path, error: describeError(error) });
        response.destroy();
      });
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, resolve);
  });
  return server;
}
