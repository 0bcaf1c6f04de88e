/**
 * @module The console's guards: the signed session cookie every page needs, and for every
 * state-changing request the session's CSRF token (besides Hono's same-origin check).
 */
import { html } from 'hono/html';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { ConsoleAuth, ConsoleSession } from './auth.ts';
import { bare } from './layout.ts';

export const SESSION_COOKIE = 'console_session';

export interface ConsoleEnv {
  Variables: { session: ConsoleSession; csrf: string };
}

export function requireSession(auth: ConsoleAuth) {
  return createMiddleware<ConsoleEnv>(async (c, next) => {
    const session = auth.readSessionToken(getCookie(c, SESSION_COOKIE));
    if (!session) {
      return c.html(bare('请先登录', html`<p>管理后台需要登录。请管理员在飞书中私聊机器人发送“管理后台”，打开收到的登录链接。</p>`), 401);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const form = c.req.header('content-type')?.includes('form') ? await c.req.parseBody() : {};
      const token = c.req.header('x-csrf-token') ?? (typeof form._csrf === 'string' ? form._csrf : undefined);
      if (!auth.checkCsrfToken(session, token)) return c.html(bare('请求被拒绝', html`<p>表单已失效（缺少或错误的校验码）。请刷新页面后重试。</p>`), 403);
    }
    c.set('session', session);
    c.set('csrf', auth.csrfToken(session));
    await next();
  });
}
