/**
 * @module One document as ingest made it: its metadata, its chunks with their heading paths, and
 * the cleaned text they were cut from (read again from the knowledge folder).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { html } from 'hono/html';
import { describeError, sectionPath } from '../../../core/index.ts';
import { cleanText, extractText } from '../../../ingest/index.ts';
import type { ConsoleApp, ConsoleDeps } from '../deps.ts';
import { layout } from '../layout.ts';

async function cleanedText(knowledgeDir: string, file: string): Promise<string> {
  const { text } = await extractText(await readFile(path.join(knowledgeDir, file)), file);
  return cleanText(text);
}

export function documentViewPage(app: ConsoleApp, { index, knowledgeDir }: ConsoleDeps): void {
  app.get('/documents/view', async (c) => {
    index.refresh();
    const handle = index.current;
    // Only a document of the index is read, so the query cannot name any other file.
    const document = handle.manifest.documents.find((candidate) => candidate.file === c.req.query('file'));
    const frame = (title: string, body: unknown) => c.html(layout({ title, active: 'documents', csrf: c.get('csrf'), adminId: c.get('session').adminId }, body));
    if (!document) return frame('文档不存在', html`<h1>文档不存在</h1><p>索引中没有这个文档。<a href="/documents">返回文档列表</a></p>`);
    const chunks = handle.chunks.ofDocument(document);
    const text = await cleanedText(knowledgeDir, document.file).catch((error: unknown) => new Error(describeError(error)));
    const facts: [string, string | undefined][] = [
      ['文件', document.file],
      ['文号', document.docNumber],
      ['发文机关', document.issuer],
      ['日期', document.date],
      ['施行日期', document.effectiveDate],
      ['有效期', document.validity ?? document.expiryDate],
      ['片段', String(document.chunkCount)],
    ];
    return frame(
      document.title,
      html`<h1>${document.title}</h1><p><a href="/documents">← 返回文档列表</a></p>
<section><table>${facts.filter(([, value]) => value).map(([label, value]) => html`<tr><th>${label}</th><td>${value}</td></tr>`)}</table></section>
<section><h2>片段（${chunks.length}）</h2>${chunks.map(
        (chunk, ordinal) =>
          html`<div id="chunk-${ordinal}"><div><span class="badge">${ordinal + 1}</span> <strong>${sectionPath(chunk.headings) || '（无标题）'}</strong> <span class="muted">${chunk.kind === 'table' ? '表格' : '正文'} · ${chunk.text.length} 字</span></div><pre>${chunk.text}</pre></div>`,
      )}</section>
<section><details><summary>清洗后的全文</summary>${text instanceof Error ? html`<p class="error">无法重新读取原文件：${text.message}</p>` : html`<pre>${text}</pre>`}</details></section>`,
    );
  });
}
