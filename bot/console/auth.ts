/**
 * @module Who may use the console, without passwords: an admin asks the bot in chat and gets a
 * short-lived, one-time sign-in link; redeeming it yields a signed session (kept in an HttpOnly
 * cookie) and, derived from it, the token every state-changing form must carry (CSRF).
 *
 * Tokens are `base64url(JSON payload).base64url(HMAC-SHA256)`. A link's nonce is valid only while
 * it sits in the issued set, so it works once, and a restart voids every link not yet used.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ConsoleSession {
  /** The admin's open_id. */
  adminId: string;
  /** Random per sign-in: the CSRF token is bound to it. */
  sessionId: string;
  expiresAt: number;
}

export interface ConsoleAuthOptions {
  secret: Buffer;
  /** Checked at every use, so removing someone from ADMIN_OPEN_IDS locks them out at once. */
  isAdmin: (adminId: string) => boolean;
  linkTtlMs?: number;
  sessionTtlMs?: number;
  now?: () => number;
}

const DEFAULT_LINK_TTL_MS = 5 * 60_000;
const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60_000;

export class ConsoleAuth {
  readonly #options: Required<ConsoleAuthOptions>;
  /** Nonces of links issued and not yet used, with their expiry. */
  readonly #issued = new Map<string, number>();
  /** Sessions signed out before they expired, with their expiry. */
  readonly #revoked = new Map<string, number>();

  constructor(options: ConsoleAuthOptions) {
    this.#options = { linkTtlMs: DEFAULT_LINK_TTL_MS, sessionTtlMs: DEFAULT_SESSION_TTL_MS, now: Date.now, ...options };
  }

  get sessionTtlMs(): number {
    return this.#options.sessionTtlMs;
  }

  /** A one-time sign-in token for an admin, or undefined for anyone else. */
  issueLinkToken(adminId: string): string | undefined {
    if (!this.#options.isAdmin(adminId)) return undefined;
    const now = this.#options.now();
    for (const [nonce, expiresAt] of this.#issued) if (expiresAt <= now) this.#issued.delete(nonce);
    const nonce = randomBytes(16).toString('base64url');
    const expiresAt = now + this.#options.linkTtlMs;
    this.#issued.set(nonce, expiresAt);
    return this.#sign({ kind: 'link', adminId, nonce, expiresAt });
  }

  /** Spends a link token: the new session, or undefined when forged, expired, used or no longer an admin's. */
  redeemLinkToken(token: string): ConsoleSession | undefined {
    const payload = this.#verify(token);
    if (payload?.kind !== 'link' || typeof payload.nonce !== 'string') return undefined;
    if (!this.#issued.delete(payload.nonce)) return undefined;
    const now = this.#options.now();
    if (payload.expiresAt <= now || !this.#options.isAdmin(payload.adminId)) return undefined;
    return { adminId: payload.adminId, sessionId: randomBytes(16).toString('base64url'), expiresAt: now + this.#options.sessionTtlMs };
  }

  sessionToken(session: ConsoleSession): string {
    return this.#sign({ kind: 'session', ...session });
  }

  readSessionToken(token: string | undefined): ConsoleSession | undefined {
    const payload = token ? this.#verify(token) : undefined;
    if (payload?.kind !== 'session' || typeof payload.sessionId !== 'string') return undefined;
    if (payload.expiresAt <= this.#options.now() || this.#revoked.has(payload.sessionId) || !this.#options.isAdmin(payload.adminId)) return undefined;
    return { adminId: payload.adminId, sessionId: payload.sessionId, expiresAt: payload.expiresAt };
  }

  /** Signs a session out: its token stops working even if a copy of the cookie survives (until a restart). */
  revoke(session: ConsoleSession): void {
    const now = this.#options.now();
    for (const [sessionId, expiresAt] of this.#revoked) if (expiresAt <= now) this.#revoked.delete(sessionId);
    this.#revoked.set(session.sessionId, session.expiresAt);
  }

  /** The token forms of this session carry; a page of another session, or a forged one, has another. */
  csrfToken(session: ConsoleSession): string {
    return this.#mac(`csrf:${session.sessionId}`);
  }

  checkCsrfToken(session: ConsoleSession, token: string | undefined): boolean {
    return token !== undefined && equal(token, this.csrfToken(session));
  }

  #mac(data: string): string {
    return createHmac('sha256', this.#options.secret).update(data).digest('base64url');
  }

  #sign(payload: TokenPayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.#mac(body)}`;
  }

  #verify(token: string): TokenPayload | undefined {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined || !equal(mac, this.#mac(body))) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
      return typeof payload.adminId === 'string' && typeof payload.expiresAt === 'number' ? payload : undefined;
    } catch {
      return undefined;
    }
  }
}

interface TokenPayload {
  kind: 'link' | 'session';
  adminId: string;
  expiresAt: number;
  nonce?: string;
  sessionId?: string;
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
