/**
 * @module The console's web app: sign-in outside the session guard, every other page behind it,
 * each page a module of ./pages/ sharing the layout.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { describeError } from '../../core/index.ts';
import type { ConsoleDeps } from './deps.ts';
import { bare } from './layout.ts';
import { curationPage, documentsPage, documentViewPage, questionsPage, signInRoutes, signOutRoute, tryPage, usagePage } from './pages/index.ts';
import { requireSession, type ConsoleEnv } from './session.ts';
import { STYLESHEET } from './style.ts';

/** Room for the multipart framing around a file of the largest allowed size. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export function createConsoleApp(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use(secureHeaders());
  // Cross-site form posts are refused by origin before any token is looked at.
  app.use(csrf());
  app.get('/style.css', (c) => c.body(STYLESHEET, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' }));
  signInRoutes(app, deps);
  app.use(
    '/documents/upload',
    bodyLimit({
      maxSize: deps.admin.maxFileBytes + FORM_OVERHEAD_BYTES,
      onError: (c) => c.html(bare('文件太大', html`<p>文件超过大小上限（MAX_FILE_MB）。<a href="/documents">返回</a></p>`), 413),
    }),
  );
  app.use(requireSession(deps.auth));
  app.get('/', (c) => c.redirect('/documents'));
  signOutRoute(app, deps);
  documentsPage(app, deps);
  documentViewPage(app, deps);
  tryPage(app, deps);
  questionsPage(app, deps);
  curationPage(app, deps);
  usagePage(app, deps);
  app.notFound((c) => c.html(bare('页面不存在', html`<p><a href="/documents">返回管理后台</a></p>`), 404));
  app.onError((error, c) => {
    // Hono's own refusals (a cross-site form post) keep their status.
    if (error instanceof HTTPException) return c.html(bare('请求被拒绝', html`<p>${error.message || '请求被拒绝'}</p>`), error.status);
    deps.logger.error('console request failed', { path: c.req.path, error: describeError(error) });
    return c.html(bare('出错了', html`<p>处理请求时出错，详情见服务日志。<a href="/documents">返回</a></p>`), 500);
  });
  return app;
}
