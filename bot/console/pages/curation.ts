/**
 * @module Answer maintenance, the loop from a refused or 👎 question: add vocabulary, pin a
 * clause as the answer to the question and its close variants, or mark it out of scope. Every
 * action lands on "Try a question" for that question, so the admin sees its effect at once. The
 * page also lists the decisions (with undo) and runs their regression file.
 */
import { html } from 'hono/html';
import type { Context } from 'hono';
import { AppError, isAppError, sectionPath, type ChunkRecord } from '../../../core/index.ts';
import { splitSentences } from '../../../core/text/index.ts';
import type { CurationEntry, PinnedClause } from '../../qa/index.ts';
import type { ConsoleApp, ConsoleDeps } from '../deps.ts';
import type { ConsoleEnv } from '../session.ts';
import { csrfField, layout } from '../layout.ts';
import { runRegression, type RegressionResult } from '../regression.ts';
import { OUTCOME_LABEL, OUTCOME_TONE } from './questions.ts';

/** Passages offered for pinning: the retrieval's best, as "Try a question" lists them. */
const PIN_CANDIDATES = 8;

/** The sentence that stands for the clause (its citation's quote, the regression file's evidence): its first that is not a heading. */
function quoteOf(chunk: ChunkRecord): string {
  const headings = new Set(chunk.headings.map((heading) => heading.replace(/[。：:；;]$/, '')));
  const sentences = splitSentences(chunk.text).map((sentence) => sentence.text.trim());
  return sentences.find((sentence) => sentence.length >= 10 && !headings.has(sentence.replace(/[。：:；;]$/, ''))) ?? sentences[0] ?? chunk.text;
}

function clauseOf({ index }: ConsoleDeps, chunkId: string): PinnedClause | undefined {
  const handle = index.current;
  // A chunk's id is `<docId>#<n>`: only its document's chunks are read.
  const document = handle.documents.get(chunkId.slice(0, chunkId.lastIndexOf('#')));
  const chunk = document && handle.chunks.ofDocument(document).find((candidate) => candidate.id === chunkId);
  if (!chunk || !document) return undefined;
  return {
    docId: document.docId,
    title: document.title,
    section: sectionPath(chunk.headings),
    passage: chunk.text,
    quote: quoteOf(chunk),
    ...(document.date ? { date: document.date } : {}),
    ...(document.docNumber ? { docNumber: document.docNumber } : {}),
  };
}

function decisionText(entry: CurationEntry): string {
  return entry.action === 'pin' ? `固定答案：《${entry.clause.title}》${entry.clause.section ? ` ${entry.clause.section}` : ''}` : '不在范围内（回复“未收录”）';
}

function decisionsSection(deps: ConsoleDeps, csrf: string) {
  const entries = deps.curation.entries();
  const additions = deps.curation.lexiconAdditions();
  const terms = [
    ...additions.groups.map((group) => ({ word: group[0] ?? '', text: group.join(' = ') })),
    ...Object.entries(additions.expand).map(([word, expanded]) => ({ word, text: `${word} → ${expanded.join('、')}` })),
  ];
  return html`<section id="decisions"><h2>已有的维护（${entries.length}）</h2>${deps.curation.problem ? html`<p class="error">维护文件未能读取，仍按上次的内容生效：${deps.curation.problem}</p>` : ''}
${entries.length === 0 ? html`<p class="muted">还没有指定答案或标记的问题。</p>` : html`<table class="cards"><thead><tr><th>问题</th><th>处理</th><th>时间</th><th></th></tr></thead><tbody>${entries.map(
  (entry) => html`<tr><td data-label="问题"><a href="/try?q=${encodeURIComponent(entry.question)}">${entry.question}</a></td><td data-label="处理">${decisionText(entry)}</td><td data-label="时间" class="muted">${new Date(entry.at).toLocaleString('zh-CN', { hour12: false })}</td>
<td><form class="inline" method="post" action="/curation/remove">${csrfField(csrf)}<input type="hidden" name="q" value="${entry.question}"><button class="plain">撤销</button></form></td></tr>`,
)}</tbody></table>`}
<h2>补充的词表（${terms.length}）</h2>${terms.length === 0 ? html`<p class="muted">暂无。</p>` : html`<ul>${terms.map((term) => html`<li>${term.text} <form class="inline" method="post" action="/curation/lexicon/remove">${csrfField(csrf)}<input type="hidden" name="word" value="${term.word}"><button class="plain">删除</button></form></li>`)}</ul>`}
<p class="muted">保存在知识库文件夹的 .curation/ 中（多个实例共用），随知识库一起备份。</p></section>`;
}

function regressionSection(deps: ConsoleDeps, csrf: string, results?: RegressionResult[]) {
  const passed = results?.filter((result) => result.passed).length ?? 0;
  return html`<section id="regression"><h2>回归测试</h2><p class="muted">每个指定答案的问题都应引用其条款作答，每个标记为不在范围内的问题都应拒答。文件：${deps.curation.regressionFile}（也可运行 <code>npm run eval -- --questions ${deps.curation.regressionFile}</code>）</p>
<form method="post" action="/curation/regression">${csrfField(csrf)}<button>运行回归测试</button></form>
${results ? html`<p data-field="summary"><strong>通过 ${passed} / ${results.length}</strong></p><table class="cards"><thead><tr><th>编号</th><th>问题</th><th>期望</th><th>实际</th><th>结果</th></tr></thead><tbody>${results.map(
  (result) => html`<tr><td data-label="编号">${result.id}</td><td data-label="问题"><a href="/curation?q=${encodeURIComponent(result.question)}">${result.question}</a></td><td data-label="期望">${result.expected === 'answer' ? '引用指定条款作答' : '拒答'}</td><td data-label="实际">${OUTCOME_LABEL[result.outcome]}</td><td data-label="结果"><span class="badge ${result.passed ? 'ok' : 'bad'}">${result.passed ? '通过' : '未通过'}</span></td></tr>`,
)}</tbody></table>` : ''}</section>`;
}

async function questionSection(deps: ConsoleDeps, question: string, csrf: string) {
  deps.index.refresh();
  const result = await deps.qa.ask(question);
  const { answer, evidence, retrieved } = result;
  const hidden = html`${csrfField(csrf)}<input type="hidden" name="q" value="${question}">`;
  return html`<section id="current"><h2>现在的回复 <span class="badge ${OUTCOME_TONE[answer.outcome]}" data-outcome="${answer.outcome}">${OUTCOME_LABEL[answer.outcome]}</span></h2><pre>${answer.text}</pre>${answer.note ? html`<p class="muted">（${answer.note}）</p>` : ''}<p><a href="/try?q=${encodeURIComponent(question)}">在“试问”中查看检索与证据 →</a></p></section>
<section id="lexicon"><h2>① 补充同义词或说法</h2><p class="muted">用户的说法与文件用语不同时（如“开公司”与“企业开办”），补上后检索会同时查找文件中的说法。${evidence.missing.length > 0 ? `检索到的段落都没有提到：${evidence.missing.join('、')}。` : ''}</p>
<form method="post" action="/curation/lexicon" class="row">${hidden}<select name="kind"><option value="expand">用户说法 → 文件用语</option><option value="synonyms">互为同义</option></select><input type="text" name="word" placeholder="用户的说法，如：开公司" required style="flex:1;min-width:8rem"><input type="text" name="terms" placeholder="文件中的说法，多个用、分隔" required style="flex:2;min-width:10rem"><button>添加</button></form></section>
<section id="pin"><h2>② 指定答案条款</h2><p class="muted">这个问题及其相近问法将直接引用所选条款作答。</p>${
    retrieved.length === 0
      ? html`<p>没有检索到段落。</p>`
      : html`<table class="cards"><tbody>${retrieved.slice(0, PIN_CANDIDATES).map(
          (hit) => html`<tr><td data-label="出处"><strong>${hit.document.title}</strong> <span class="muted">${sectionPath(hit.chunk.headings)}</span><details><summary>原文</summary><pre>${hit.chunk.text}</pre></details></td>
<td><form class="inline" method="post" action="/curation/pin">${hidden}<input type="hidden" name="chunk" value="${hit.chunk.id}"><button class="plain">固定为答案</button></form></td></tr>`,
        )}</tbody></table>`
  }</section>
<section id="out-of-scope"><h2>③ 不在范围内</h2><p class="muted">知识库不打算回答的问题：机器人直接回复“不在收录范围内”，不再给出相关条款。</p><form method="post" action="/curation/out-of-scope">${hidden}<button class="danger">标记为不在范围内</button></form></section>`;
}

export function curationPage(app: ConsoleApp, deps: ConsoleDeps): void {
  const { curation } = deps;
  const page = async (c: Context<ConsoleEnv>, results?: RegressionResult[]) => {
    const csrf = c.get('csrf');
    const question = (c.req.query('q') ?? '').trim();
    const notice = c.req.query('notice');
    const body = html`<h1>答案维护</h1>${notice ? html`<p class="error" role="alert">${notice}</p>` : ''}<section><form method="get" action="/curation" class="row"><input type="search" name="q" value="${question}" placeholder="要处理的问题（可从“问题记录”点“处理”进入）" required><button>查看</button></form></section>
${question ? await questionSection(deps, question, csrf) : ''}${regressionSection(deps, csrf, results)}${decisionsSection(deps, csrf)}`;
    return c.html(layout({ title: '答案维护', active: 'curation', csrf, adminId: c.get('session').adminId }, body));
  };
  app.get('/curation', (c) => page(c));

  /** Runs an action and shows its effect in "Try a question"; a refused input comes back with the reason. */
  const act = async (c: Context<ConsoleEnv>, action: (form: Record<string, string>, adminId: string) => void, then: 'try' | 'curation' = 'try') => {
    const body = await c.req.parseBody();
    const form = Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const question = (form.q ?? '').trim();
    try {
      action(form, c.get('session').adminId);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return c.redirect(`/curation?q=${encodeURIComponent(question)}&notice=${encodeURIComponent(error.message)}`, 303);
    }
    return c.redirect(then === 'try' ? `/try?q=${encodeURIComponent(question)}` : '/curation', 303);
  };

  app.post('/curation/lexicon', (c) =>
    act(c, (form) => curation.addTerms(form.kind === 'synonyms' ? 'synonyms' : 'expand', form.word ?? '', (form.terms ?? '').split(/[、,，;；\s]+/))),
  );
  app.post('/curation/pin', (c) =>
    act(c, (form, adminId) => {
      const clause = clauseOf(deps, form.chunk ?? '');
      if (!clause) throw new AppError('invalid_argument', '所选条款已不在当前索引中（文档可能已更新），请刷新页面后重选');
      curation.pin(form.q ?? '', clause, adminId);
    }),
  );
  app.post('/curation/out-of-scope', (c) => act(c, (form, adminId) => curation.markOutOfScope(form.q ?? '', adminId)));
  app.post('/curation/remove', (c) => act(c, (form) => curation.remove(form.q ?? ''), 'curation'));
  app.post('/curation/lexicon/remove', (c) => act(c, (form) => curation.removeTerms(form.word ?? ''), 'curation'));
  app.post('/curation/regression', async (c) => page(c, await runRegression(curation.regressionFile, deps.qa)));
}
