/** Event delivery to a bot's HTTP endpoint the way the platform does it: AES-256-CBC encryption and a signature. */
import crypto from 'node:crypto';
import http from 'node:http';
import { hex } from './ids.ts';

export interface WebhookOptions {
  /** The app's Encrypt Key; the body is encrypted and signed with it (unless `plain`). */
  encryptKey: string;
  /** Send a signature that does not match (the SDK then skips the handler but still answers 200). */
  forgeSignature?: boolean;
  /** Send the envelope unencrypted (still signed when encryptKey is non-empty). */
  plain?: boolean;
  /** Send no signature headers at all (what the platform does for URL verification). */
  unsigned?: boolean;
  /** Seconds since the epoch for `X-Lark-Request-Timestamp` (signed with it). Default now. */
  timestamp?: number;
  /** Default 10 000 ms. `adaptDefault` never answers a path mismatch, so this is what you get then. */
  timeoutMs?: number;
}

function encryptLark(plaintext: string, encryptKey: string): string {
  const key = crypto.createHash('sha256').update(encryptKey).digest();
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

function signedHeaders(body: string, opts: WebhookOptions): http.OutgoingHttpHeaders {
  const plainHeaders = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'User-Agent': 'Go-http-client/1.1',
    Connection: 'close', // no keep-alive: the bot's server must be able to close promptly
  };
  if (opts.unsigned) return plainHeaders;
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = hex(8);
  // Lark signs the raw body; the SDK re-serialises the parsed body, identical for compact JSON.
  const signature = crypto.createHash('sha256').update(timestamp + nonce + opts.encryptKey + body).digest('hex');
  return {
    ...plainHeaders,
    'X-Lark-Request-Timestamp': timestamp,
    'X-Lark-Request-Nonce': nonce,
    'X-Lark-Signature': opts.forgeSignature ? crypto.createHash('sha256').update(`forged${nonce}`).digest('hex') : signature,
  };
}

/** POST an envelope to a bot's webhook URL; resolves with whatever the bot answered. */
export function postWebhook(url: string, envelope: object, opts: WebhookOptions): Promise<{ status: number; body: string }> {
  const plaintext = JSON.stringify(envelope);
  const body = opts.plain ? plaintext : JSON.stringify({ encrypt: encryptLark(plaintext, opts.encryptKey) });
  const headers = signedHeaders(body, opts);
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
}
