/**
 * @module Sign-in by link and sign-out. Opening the link only shows a button: the token is spent
 * by the POST, so a chat client's link preview fetching the URL cannot use it up.
 */
import { deleteCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { ConsoleApp, ConsoleDeps } from '../deps.ts';
import { bare } from '../layout.ts';
import { SESSION_COOKIE } from '../session.ts';

export function signInRoutes(app: ConsoleApp, { auth, secureCookies }: ConsoleDeps): void {
  app.get('/login', (c) => {
    const token = c.req.query('token') ?? '';
    return c.html(
      bare('登录管理后台', html`<p>此链接只能使用一次，几分钟内有效。</p><form method="post" action="/login"><input type="hidden" name="token" value="${token}"><button>进入管理后台</button></form>`),
    );
  });

  app.post('/login', async (c) => {
    const { token } = await c.req.parseBody();
    const session = typeof token === 'string' ? auth.redeemLinkToken(token) : undefined;
    if (!session) {
      return c.html(bare('登录链接无效', html`<p>链接已使用、已过期或无效。请在飞书中私聊机器人重新发送“管理后台”获取新链接。</p>`), 401);
    }
    setCookie(c, SESSION_COOKIE, auth.sessionToken(session), {
      httpOnly: true,
      sameSite: 'Lax',
      secure: secureCookies,
      path: '/',
      maxAge: Math.floor(auth.sessionTtlMs / 1000),
    });
    return c.redirect('/documents', 303);
  });
}

/** Registered behind the session guard, so signing out needs the CSRF token too. */
export function signOutRoute(app: ConsoleApp, { auth }: ConsoleDeps): void {
  app.post('/logout', (c) => {
    auth.revoke(c.get('session'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.html(bare('已退出', html`<p>已退出管理后台。需要时请在飞书中重新发送“管理后台”。</p>`));
  });
}
