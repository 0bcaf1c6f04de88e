/** Sign-in links, sessions and CSRF tokens of the admin console, with an injected clock. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleAuth, consoleSignInReply, loadConsoleSecret } from '../../../bot/console/index.ts';
import { loadConfig } from '../../../core/index.ts';
import { appErrorOf } from '../../helpers/errors.ts';

const ADMIN = 'ou_admin';
const secret = Buffer.from('0123456789abcdef0123456789abcdef');

function setup(options: { admins?: Set<string>; key?: Buffer } = {}) {
  const clock = { now: 1_000_000 };
  const admins = options.admins ?? new Set([ADMIN]);
  const auth = new ConsoleAuth({ secret: options.key ?? secret, isAdmin: (id) => admins.has(id), linkTtlMs: 60_000, sessionTtlMs: 3_600_000, now: () => clock.now });
  return { auth, clock, admins };
}

describe('sign-in links', () => {
  it('are issued to admins only', () => {
    const { auth } = setup();
    expect(auth.issueLinkToken(ADMIN)).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(auth.issueLinkToken('ou_someone')).toBeUndefined();
  });

  it('work once', () => {
    const { auth } = setup();
    const token = auth.issueLinkToken(ADMIN)!;
    const session = auth.redeemLinkToken(token);
    expect(session).toMatchObject({ adminId: ADMIN, expiresAt: 1_000_000 + 3_600_000 });
    expect(auth.redeemLinkToken(token)).toBeUndefined();
  });

  it('expire', () => {
    const { auth, clock } = setup();
    const token = auth.issueLinkToken(ADMIN)!;
    clock.now += 60_001;
    expect(auth.redeemLinkToken(token)).toBeUndefined();
  });

  it('are refused when forged, altered, or signed with another key', () => {
    const { auth } = setup({ admins: new Set([ADMIN, 'ou_other']) });
    const token = auth.issueLinkToken('ou_other')!;
    const [body, mac] = token.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const altered = `${Buffer.from(JSON.stringify({ ...payload, adminId: ADMIN })).toString('base64url')}.${mac}`;
    expect(auth.redeemLinkToken(altered)).toBeUndefined();
    expect(auth.redeemLinkToken('garbage')).toBeUndefined();
    // A session minted with another key (a link would also lack our issued nonce) is refused.
    const stranger = setup({ key: Buffer.from('another-secret-another-secret-xx') }).auth;
    const forged = stranger.sessionToken(stranger.redeemLinkToken(stranger.issueLinkToken(ADMIN)!)!);
    expect(stranger.readSessionToken(forged)?.adminId).toBe(ADMIN);
    expect(auth.readSessionToken(forged)).toBeUndefined();
    // The untouched token still works: the refusals above were about the changes.
    expect(auth.redeemLinkToken(token)?.adminId).toBe('ou_other');
  });

  it('stop working when the admin is removed before using it', () => {
    const { auth, admins } = setup();
    const token = auth.issueLinkToken(ADMIN)!;
    admins.delete(ADMIN);
    expect(auth.redeemLinkToken(token)).toBeUndefined();
  });

  it('are not sessions, and sessions are not links', () => {
    const { auth } = setup();
    const link = auth.issueLinkToken(ADMIN)!;
    expect(auth.readSessionToken(link)).toBeUndefined();
    const session = auth.redeemLinkToken(auth.issueLinkToken(ADMIN)!)!;
    expect(auth.redeemLinkToken(auth.sessionToken(session))).toBeUndefined();
  });
});

describe('sessions', () => {
  it('round-trip through their token until they expire', () => {
    const { auth, clock } = setup();
    const session = auth.redeemLinkToken(auth.issueLinkToken(ADMIN)!)!;
    const token = auth.sessionToken(session);
    expect(auth.readSessionToken(token)).toEqual(session);
    clock.now = session.expiresAt;
    expect(auth.readSessionToken(token)).toBeUndefined();
    expect(auth.readSessionToken(undefined)).toBeUndefined();
  });

  it('end when the admin is removed from ADMIN_OPEN_IDS', () => {
    const { auth, admins } = setup();
    const token = auth.sessionToken(auth.redeemLinkToken(auth.issueLinkToken(ADMIN)!)!);
    admins.delete(ADMIN);
    expect(auth.readSessionToken(token)).toBeUndefined();
  });

  it('end when signed out, and only the one signed out', () => {
    const { auth } = setup();
    const first = auth.redeemLinkToken(auth.issueLinkToken(ADMIN)!)!;
    const second = auth.redeemLinkToken(auth.issueLinkToken(ADMIN)!)!;
    auth.revoke(first);
    expect(auth.readSessionToken(auth.sessionToken(first))).toBeUndefined();
    expect(auth.readSessionToken(auth.sessionToken(second))).toEqual(second);
  });

  it('each have their own CSRF token', () => {
    const { auth } = setup();
    const first = auth.redeemLinkToken(auth.issueLinkToken(ADMIN)!)!;
    const second = auth.redeemLinkToken(auth.issueLinkToken(ADMIN)!)!;
    expect(auth.checkCsrfToken(first, auth.csrfToken(first))).toBe(true);
    expect(auth.checkCsrfToken(first, auth.csrfToken(second))).toBe(false);
    expect(auth.checkCsrfToken(first, undefined)).toBe(false);
    expect(auth.checkCsrfToken(first, '')).toBe(false);
  });
});

describe('the 管理后台 command reply', () => {
  const console = { signInLink: (id: string) => (id === ADMIN ? `http://127.0.0.1:1/login?token=t-${id}` : undefined) };

  it('sends an admin the link in a private chat only', () => {
    expect(consoleSignInReply(console, { senderId: ADMIN, chatType: 'p2p' }).text).toContain('http://127.0.0.1:1/login?token=t-ou_admin');
    expect(consoleSignInReply(console, { senderId: ADMIN, chatType: 'group' }).text).not.toContain('token');
    expect(consoleSignInReply(console, { senderId: 'ou_someone', chatType: 'p2p' }).text).not.toContain('token');
  });

  it('says how to enable the console when it is off', () => {
    expect(consoleSignInReply(undefined, { senderId: ADMIN, chatType: 'p2p' }).text).toContain('CONSOLE_PORT');
  });
});

describe('console configuration', () => {
  const configError = async (env: Record<string, string>) => (await appErrorOf(Promise.resolve().then(() => loadConfig(env)))).message;

  it('is off by default and names the allowed values when wrong', async () => {
    expect(loadConfig({}).CONSOLE_PORT).toBeUndefined();
    expect(loadConfig({ CONSOLE_PORT: '8080' })).toMatchObject({ CONSOLE_PORT: 8080, CONSOLE_HOST: '127.0.0.1' });
    expect(await configError({ CONSOLE_PORT: 'abc' })).toContain('可选 1–65535 的端口号');
    expect(await configError({ CONSOLE_PORT: '70000' })).toContain('可选 1–65535 的端口号');
    expect(await configError({ CONSOLE_SECRET: 'short' })).toContain('至少 32 个字符');
  });
});

describe('the signing secret', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('is generated once, kept private in DATA_DIR, and read back', () => {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'console-secret-')), 'data');
    folders.push(path.dirname(dataDir));
    const first = loadConsoleSecret({ configured: undefined, dataDir });
    expect(first.length).toBe(32);
    expect(statSync(path.join(dataDir, 'console-secret')).mode & 0o077).toBe(0);
    expect(loadConsoleSecret({ configured: undefined, dataDir }).equals(first)).toBe(true);
    expect(readFileSync(path.join(dataDir, 'console-secret'), 'utf8').trim()).toBe(first.toString('base64url'));
  });

  it('is CONSOLE_SECRET when set', () => {
    const configured = 'x'.repeat(40);
    expect(loadConsoleSecret({ configured, dataDir: '/nonexistent' }).toString()).toBe(configured);
  });
});
