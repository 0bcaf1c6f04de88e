/** @module The frame every console page shares: head, navigation, sign-out. */
import { html } from 'hono/html';

export type PageName = 'documents' | 'try' | 'questions' | 'curation' | 'usage';

const NAV: { name: PageName; href: string; label: string }[] = [
  { name: 'documents', href: '/documents', label: '文档' },
  { name: 'try', href: '/try', label: '试问' },
  { name: 'questions', href: '/questions', label: '问题记录' },
  { name: 'curation', href: '/curation', label: '答案维护' },
  { name: 'usage', href: '/usage', label: '使用统计' },
];

/** The hidden field a state-changing form carries (the session's CSRF token). */
export function csrfField(csrf: string) {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

function head(title: string) {
  return html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · 政务问答管理后台</title><link rel="stylesheet" href="/style.css"></head>`;
}

export function layout(options: { title: string; active?: PageName; csrf: string; adminId: string }, body: unknown) {
  const links = NAV.map((item) => html`<a href="${item.href}" ${item.name === options.active ? html`aria-current="page"` : ''}>${item.label}</a>`);
  return html`${head(options.title)}<body data-csrf="${options.csrf}"><header><strong>政务问答管理后台</strong><nav>${links}</nav><form class="inline" method="post" action="/logout">${csrfField(options.csrf)}<span class="muted">${options.adminId}</span> <button class="plain">退出</button></form></header><main>${body}</main></body></html>`;
}

/** A page outside the session (sign-in, refusals). */
export function bare(title: string, body: unknown) {
  return html`${head(title)}<body><main><section><h1>${title}</h1>${body}</section></main></body></html>`;
}
