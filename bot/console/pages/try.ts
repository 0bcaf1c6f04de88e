/**
 * @module Try a question: the answer or refusal exactly as a user gets it, then what it rests on:
 * the retrieved passages with their scores and coverage, and why the evidence check decided.
 */
import { html } from 'hono/html';
import { sectionPath } from '../../../core/index.ts';
import type { AskResult } from '../../qa/index.ts';
import type { ConsoleApp, ConsoleDeps } from '../deps.ts';
import { layout } from '../layout.ts';

const OUTCOME = {
  answer: { label: '回答', tone: 'ok' },
  related: { label: '未能回答，给出相关条款', tone: 'warn' },
  none: { label: '未找到依据', tone: 'bad' },
} as const;

function answerSection({ question, answer, latencyMs, indexVersion }: AskResult) {
  const outcome = OUTCOME[answer.outcome];
  return html`<section id="answer"><h2>用户看到的回复 <span class="badge ${outcome.tone}" data-outcome="${answer.outcome}">${outcome.label}</span></h2>
<pre>${answer.text}</pre>${answer.note ? html`<p class="muted">（${answer.note}）</p>` : ''}
${answer.citations.length > 0 ? html`<h2>${answer.outcome === 'related' ? '相关条款' : '来源'}</h2>` : ''}
${answer.citations.map(
  (citation) =>
    html`<div class="citation"><strong>[${citation.n}] 《${citation.title}》</strong> ${citation.section ? html`<span class="muted">${citation.section}</span>` : ''} <span class="muted">${[citation.docNumber, citation.date].filter(Boolean).join('，')}</span><blockquote>${citation.quote}</blockquote></div>`,
)}
<p class="muted">${answer.mode === 'generative' ? '大模型生成' : '原文摘录'} · 用时 ${latencyMs.toFixed(0)} ms · 索引版本 ${indexVersion}</p>
<p><a class="button plain" href="/curation?q=${encodeURIComponent(question)}">维护这个问题的答案</a></p></section>`;
}

function evidenceSection({ evidence, query }: AskResult) {
  const verdict = evidence.answerable
    ? '至少一段（或两段合起来）覆盖了问题的要点，并含有所问的内容，可以回答。'
    : evidence.missing.length > 0
      ? `检索到的段落都没有提到：${evidence.missing.join('、')}。`
      : '没有一段覆盖足够多的问题要点（或含有所问的内容），不作回答。';
  return html`<section id="evidence"><h2>证据判断：${evidence.answerable ? '可以回答' : '不足以回答'}</h2><p>${verdict}</p>
<p class="muted">最佳单段覆盖率 ${(evidence.coverage * 100).toFixed(0)}%${query.asks.length > 0 ? ` · 所问：${query.asks.join('、')}` : ''}${query.expansions.length > 0 ? ` · 扩展词：${query.expansions.join('、')}` : ''}</p>
<table><thead><tr><th>要点</th><th>权重</th><th>同义形式</th></tr></thead><tbody>${evidence.concepts.map(
    (concept) => html`<tr><td>${concept.surface}${evidence.missing.includes(concept.surface) ? html` <span class="badge bad">未提到</span>` : ''}</td><td>${concept.weight.toFixed(2)}</td><td class="muted">${concept.forms.slice(1).join('、')}</td></tr>`,
  )}</tbody></table></section>`;
}

function passagesSection({ retrieved, evidence }: AskResult) {
  return html`<section id="passages"><h2>检索到的段落（${retrieved.length}）</h2><table class="cards"><thead><tr><th>#</th><th>文档与章节</th><th>综合分</th><th>关键词</th><th>向量相似度</th><th>覆盖率</th></tr></thead><tbody>${retrieved.map(
    (hit, rank) => html`<tr><td data-label="排名">${rank + 1}</td><td data-label="出处"><strong>${hit.document.title}</strong><div class="muted">${sectionPath(hit.chunk.headings)}${hit.offPlace ? ' · 地域不符' : ''}</div><details><summary>原文</summary><pre>${hit.chunk.text}</pre></details></td>
<td data-label="综合分">${hit.score.toFixed(3)}</td><td data-label="关键词">${hit.keywordScore.toFixed(3)}</td><td data-label="向量相似度">${hit.vectorSimilarity.toFixed(3)}</td><td data-label="覆盖率">${evidence.coverageByChunk[rank] === undefined ? '—' : `${((evidence.coverageByChunk[rank] ?? 0) * 100).toFixed(0)}%`}</td></tr>`,
  )}</tbody></table></section>`;
}

export function tryPage(app: ConsoleApp, { qa, index }: ConsoleDeps): void {
  app.get('/try', async (c) => {
    const question = (c.req.query('q') ?? '').trim();
    index.refresh();
    const result = question === '' ? undefined : await qa.ask(question);
    const body = html`<h1>试问</h1><section><form method="get" action="/try" class="row"><input type="search" name="q" value="${question}" placeholder="输入用户可能问的问题，如：一窗通办怎么办理？" required><button>提问</button></form></section>
${result ? [answerSection(result), evidenceSection(result), passagesSection(result)] : ''}`;
    return c.html(layout({ title: '试问', active: 'try', csrf: c.get('csrf'), adminId: c.get('session').adminId }, body));
  });
}
