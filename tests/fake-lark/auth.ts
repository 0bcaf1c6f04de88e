/** Tenant access tokens and the bot's own info. */
import { hex } from './ids.ts';
import { bad, type Ctx, type RouteSpec } from './routes.ts';

/** Tokens are valid across every fake in the process — like one platform — keyed to their app. */
const issuedTokens = new Map<string, { appId: string; expiresAt: number }>();

function issueToken({ platform, body }: Ctx): object {
  // Bad credentials: HTTP 200 + non-zero code (the platform's exact HTTP status here is unverified).
  // The SDK then throws a plain Error, which LarkChannel.connect() reports as `not_connected`.
  if (body?.app_id !== platform.appId) return { code: 10003, msg: 'invalid param' };
  if (body?.app_secret !== platform.appSecret) return { code: 10014, msg: 'app secret invalid' };
  const token = `t-g${hex(20)}`;
  issuedTokens.set(token, { appId: platform.appId, expiresAt: Date.now() + platform.tokenExpireSec * 1000 });
  return { code: 0, msg: 'ok', tenant_access_token: token, expire: platform.tokenExpireSec };
}

function botInfo({ platform }: Ctx): object {
  return {
    code: 0,
    msg: 'ok',
    bot: { activate_status: 2, app_name: platform.botName, avatar_url: 'https://example.invalid/avatar.png', ip_white_list: [], open_id: platform.botOpenId },
  };
}

export const authRoutes: RouteSpec[] = [
  { method: 'POST', path: '/open-apis/auth/v3/tenant_access_token/internal', route: 'token', auth: false, handle: issueToken },
  { method: 'GET', path: '/open-apis/bot/v3/info', route: 'bot_info', auth: true, handle: botInfo },
];

/** Throws the platform's answer unless `authorization` carries a live tenant token of `appId`. */
export function checkTenantToken(authorization: string | undefined, appId: string): void {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) throw bad(99991661, 'Missing access token for authorization. Please make a request with token attached.');
  const t = issuedTokens.get(token);
  if (!t || t.appId !== appId || t.expiresAt < Date.now()) {
    throw bad(99991663, 'Invalid access token for authorization. Please make a request with token attached.');
  }
}
