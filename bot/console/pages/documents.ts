/**
 * @module The documents page: what is indexed and what the last ingest said about each file;
 * upload, replace, delete (after a confirmation page) and re-ingest, with live progress.
 */
import path from 'node:path';
import { html } from 'hono/html';
import { streamSSE } from 'hono/streaming';
import { isAppError, type DocumentRecord } from '../../../core/index.ts';
import { listKnowledgeFiles, readIngestReport, STATUS_LABEL } from '../../../ingest/index.ts';
import type { ActivityState } from '../activity.ts';
import type { ConsoleApp, ConsoleDeps } from '../deps.ts';
import { csrfField, layout } from '../layout.ts';

interface Row {
  file: string;
  document?: DocumentRecord;
  status: string;
  problem?: string;
}

async function rows({ admin, knowledgeDir, indexDir }: ConsoleDeps): Promise<{ rows: Row[]; version: string; builtAt: string; reportedAt?: string }> {
  const { documents, version, builtAt } = admin.listDocuments();
  // Kept with the live version by every ingest (this bot's, the CLI's, the start-up build), so it survives a restart.
  const report = readIngestReport(path.join(indexDir, version));
  const reports = new Map(report?.documents.map((document) => [document.path, document]));
  const status = (file: string, fallback: string) => {
    const reported = reports.get(file);
    return { status: reported ? STATUS_LABEL[reported.status] : fallback, ...(reported?.error ? { problem: reported.error } : {}) };
  };
  const indexed = new Set(documents.map((document) => document.file));
  const files = await listKnowledgeFiles(knowledgeDir).catch(() => []);
  return {
    rows: [
      ...documents.map((document) => ({ file: document.file, document, ...status(document.file, '已收录') })),
      // In the folder but not in the index: it failed to load, or was added since the last run.
      ...files.filter((file) => !indexed.has(file)).map((file) => ({ file, ...status(file, '未收录') })),
    ],
    version,
    builtAt,
    ...(report ? { reportedAt: report.finishedAt } : {}),
  };
}

function statusClass(row: Row): string {
  if (!row.document) return 'bad';
  return row.problem ? 'warn' : 'ok';
}

function documentRow(row: Row, csrf: string) {
  const { document } = row;
  const query = encodeURIComponent(row.file);
  const format = path.extname(row.file).slice(1).toUpperCase();
  return html`<tr>
<td data-label="标题">${document ? html`<a href="/documents/view?file=${query}">${document.title}</a>` : row.file}<div class="muted">${row.file}</div></td>
<td data-label="文号">${document?.docNumber ?? ''}</td><td data-label="发文机关">${document?.issuer ?? ''}</td><td data-label="日期">${document?.date ?? ''}</td>
<td data-label="格式">${format}</td><td data-label="片段">${document?.chunkCount ?? 0}</td>
<td data-label="状态"><span class="badge ${statusClass(row)}">${row.status}</span>${row.problem ? html`<div class="error">${row.problem}</div>` : ''}</td>
<td>${
    document
      ? html`<form class="inline" method="post" action="/documents/upload" enctype="multipart/form-data">${csrfField(csrf)}<input type="hidden" name="replace" value="${row.file}"><label class="button plain">替换<input type="file" name="file" hidden onchange="this.form.submit()"></label></form>
<a class="button plain" href="/documents/delete?file=${query}">删除</a>`
      : ''
  }</td></tr>`;
}

function activityPanel(state: ActivityState | undefined) {
  return html`<section id="activity" ${state ? '' : 'hidden'}><h2>当前操作</h2><div data-field="label">${state?.label ?? ''}</div><progress data-field="bar" hidden></progress><div data-field="detail" class="muted"></div><div data-field="result">${state?.result ?? ''}</div></section>
<script>
(() => {
  const panel = document.getElementById('activity');
  const field = (name) => panel.querySelector('[data-field="' + name + '"]');
  let sawRunning = false;
  const source = new EventSource('/activity/events');
  source.onmessage = (event) => {
    const state = JSON.parse(event.data);
    panel.hidden = false;
    field('label').textContent = state.label + (state.state === 'running' ? '：进行中…' : state.state === 'done' ? '：完成' : '：失败');
    const progress = state.progress;
    const bar = field('bar');
    bar.hidden = !(progress && progress.total);
    if (progress && progress.total) { bar.max = progress.total; bar.value = progress.done ?? 0; }
    field('detail').textContent = !progress ? '' : progress.phase === 'scan' ? '发现 ' + progress.total + ' 个文件' : progress.phase === 'load' ? '读取 ' + progress.file + '（' + progress.done + '/' + progress.total + '）' : progress.phase === 'embed' ? '嵌入片段 ' + progress.done + '/' + progress.total : '写入索引';
    field('result').textContent = state.result ?? '';
    field('result').className = state.state === 'failed' ? 'error' : '';
    if (state.state === 'running') sawRunning = true;
    else if (sawRunning) { sawRunning = false; setTimeout(() => location.replace('/documents'), 800); }
  };
})();
</script>`;
}

export function documentsPage(app: ConsoleApp, deps: ConsoleDeps): void {
  const { admin, activity } = deps;

  app.get('/documents', async (c) => {
    const csrf = c.get('csrf');
    const notice = c.req.query('notice');
    const listing = await rows(deps).catch((error: unknown) => {
      if (isAppError(error)) return error.message;
      throw error;
    });
    const table =
      typeof listing === 'string'
        ? html`<p class="error">${listing}</p>`
        : html`<p class="muted">共 ${listing.rows.filter((row) => row.document).length} 个文档 · 索引版本 ${listing.version} · 生成于 ${new Date(listing.builtAt).toLocaleString('zh-CN')}${listing.reportedAt ? ` · 上次导入于 ${new Date(listing.reportedAt).toLocaleString('zh-CN')}` : ' · 该索引没有导入报告，状态栏只显示是否已收录'}</p>
<table class="cards"><thead><tr><th>标题</th><th>文号</th><th>发文机关</th><th>日期</th><th>格式</th><th>片段</th><th>状态</th><th></th></tr></thead><tbody>${listing.rows.map((row) => documentRow(row, csrf))}</tbody></table>`;
    const body = html`<h1>文档</h1>${notice ? html`<p class="error" role="alert">${notice}</p>` : ''}${activityPanel(activity.current)}
<section><h2>上传文档</h2><form method="post" action="/documents/upload" enctype="multipart/form-data" class="row">${csrfField(csrf)}<input type="file" name="file" required accept=".txt,.md,.html,.htm,.docx,.pdf"><button>上传并导入</button></form><p class="muted">同名文件会替换原文档；上限 ${Math.round(admin.maxFileBytes / 1024 / 1024)} MB。</p>
<form method="post" action="/documents/reingest">${csrfField(csrf)}<button class="plain">重新导入全部文档</button></form></section>
<section>${table}</section>`;
    return c.html(layout({ title: '文档', active: 'documents', csrf, adminId: c.get('session').adminId }, body));
  });

  const start = (label: string, work: () => Promise<string>) => {
    try {
      activity.start(label, work);
      return '/documents';
    } catch (error) {
      if (!isAppError(error)) throw error;
      return `/documents?notice=${encodeURIComponent(error.message)}`;
    }
  };

  app.post('/documents/upload', async (c) => {
    const { file, replace } = await c.req.parseBody();
    if (!(file instanceof File) || file.name === '') return c.redirect(`/documents?notice=${encodeURIComponent('请选择要上传的文件')}`, 303);
    let name = file.name;
    if (typeof replace === 'string' && replace !== '') {
      if (path.extname(replace).toLowerCase() !== path.extname(file.name).toLowerCase() || replace.includes('/')) {
        return c.redirect(`/documents?notice=${encodeURIComponent(`替换「${replace}」需上传同一格式（${path.extname(replace)}）的文件`)}`, 303);
      }
      name = replace;
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    return c.redirect(
      start(`上传 ${name}`, async () => {
        const result = await admin.addDocument(name, bytes);
        return `${result.replaced ? '已替换' : '已新增'}《${result.file}》，索引版本 ${result.summary.version}`;
      }),
      303,
    );
  });

  app.get('/documents/delete', (c) => {
    const file = c.req.query('file') ?? '';
    const csrf = c.get('csrf');
    const body = html`<h1>删除文档</h1><section><p>确定要删除「${file}」吗？删除后将重新导入，机器人不再引用它。</p>
<form method="post" action="/documents/delete" class="row">${csrfField(csrf)}<input type="hidden" name="file" value="${file}"><button class="danger">确认删除</button><a class="button plain" href="/documents">取消</a></form></section>`;
    return c.html(layout({ title: '删除文档', active: 'documents', csrf, adminId: c.get('session').adminId }, body));
  });

  app.post('/documents/delete', async (c) => {
    const { file } = await c.req.parseBody();
    const wanted = typeof file === 'string' ? file : '';
    return c.redirect(
      start(`删除 ${wanted}`, async () => {
        const result = await admin.removeDocument(wanted);
        return `已删除《${result.title}》，索引版本 ${result.summary.version}`;
      }),
      303,
    );
  });

  app.post('/documents/reingest', (c) =>
    c.redirect(
      start('重新导入', async () => {
        const summary = await admin.reingest();
        return summary.switched ? `已启用索引版本 ${summary.version}` : `文档没有变化，继续使用索引版本 ${summary.version}`;
      }),
      303,
    ),
  );

  app.get('/activity/events', (c) =>
    streamSSE(c, async (stream) => {
      const send = (state: ActivityState) => void stream.writeSSE({ data: JSON.stringify(state) });
      if (activity.current) send(activity.current);
      const unsubscribe = activity.subscribe(send);
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      unsubscribe();
    }),
  );
}
