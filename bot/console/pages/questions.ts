/**
 * @module The questions log: every question asked in chat with its time, kind of chat (never who
 * asked), outcome, sources, latency and feedback (👍 有帮助 / 👎 没帮助, named in words: not every
 * browser has an emoji font); filters for the refused and the unhelpful ones, which
 * lead to the answer maintenance page; and the same rows as CSV.
 */
import { stringify } from 'csv-stringify/sync';
import { html } from 'hono/html';
import type { QuestionLogEntry, QuestionLogFilter } from '../../chat/index.ts';
import type { ConsoleApp, ConsoleDeps } from '../deps.ts';
import { layout } from '../layout.ts';

const LIMIT = 500;

export const OUTCOME_LABEL = { answer: '已回答', related: '相关条款', none: '未找到' } as const;
export const OUTCOME_TONE = { answer: 'ok', related: 'warn', none: 'bad' } as const;
const CHAT_KIND = { p2p: '私聊', group: '群聊' } as const;

function filterOf(query: (name: string) => string | undefined): QuestionLogFilter {
  return { ...(query('refused') ? { refused: true } : {}), ...(query('unhelpful') ? { unhelpful: true } : {}), limit: LIMIT };
}

const time = (at: number) => new Date(at).toLocaleString('zh-CN', { hour12: false });
const sources = (entry: QuestionLogEntry) => [...new Set(entry.sources.map((source) => `《${source.title}》${source.section ? ` ${source.section}` : ''}`))];

/**
 * The log as CSV, UTF-8 with a byte-order mark: without it Excel reads the Chinese as another code
 * page. Questions are anyone's text: one starting with = + - @ is escaped, so Excel shows it instead
 * of running it as a formula.
 */
export function questionsCsv(entries: QuestionLogEntry[]): string {
  const rows = entries.map((entry) => ({
    time: new Date(entry.at).toISOString(),
    chat: entry.chatKind ? CHAT_KIND[entry.chatKind] : '',
    question: entry.question,
    outcome: OUTCOME_LABEL[entry.outcome],
    sources: sources(entry).join('；'),
    latency: entry.latencyMs === undefined ? '' : Math.round(entry.latencyMs),
    up: entry.up,
    down: entry.down,
  }));
  const columns = [
    { key: 'time', header: '时间' },
    { key: 'chat', header: '会话' },
    { key: 'question', header: '问题' },
    { key: 'outcome', header: '结果' },
    { key: 'sources', header: '来源' },
    { key: 'latency', header: '用时(ms)' },
    { key: 'up', header: '有帮助' },
    { key: 'down', header: '没帮助' },
  ];
  return `\ufeff${stringify(rows, { header: true, columns, escape_formulas: true })}`;
}

function row(entry: QuestionLogEntry) {
  return html`<tr data-id="${entry.id}"><td data-label="时间">${time(entry.at)}</td><td data-label="会话">${entry.chatKind ? CHAT_KIND[entry.chatKind] : '—'}</td><td data-label="问题">${entry.question}</td>
<td data-label="结果"><span class="badge ${OUTCOME_TONE[entry.outcome]}">${OUTCOME_LABEL[entry.outcome]}</span></td><td data-label="来源" class="muted">${sources(entry).join('、')}</td>
<td data-label="用时">${entry.latencyMs === undefined ? '—' : `${Math.round(entry.latencyMs)} ms`}</td><td data-label="反馈">${entry.up ? html`<span class="badge ok">有帮助 ${entry.up}</span> ` : ''}${entry.down ? html`<span class="badge bad">没帮助 ${entry.down}</span>` : ''}</td>
<td><a class="button plain" href="/curation?q=${encodeURIComponent(entry.question)}">处理</a></td></tr>`;
}

export function questionsPage(app: ConsoleApp, { questionLog }: ConsoleDeps): void {
  app.get('/questions', async (c) => {
    const filter = filterOf((name) => c.req.query(name));
    const entries = await questionLog.questions(filter);
    const search = new URLSearchParams({ ...(filter.refused ? { refused: '1' } : {}), ...(filter.unhelpful ? { unhelpful: '1' } : {}) }).toString();
    const link = (label: string, href: string, active: boolean) => html`<a href="${href}" ${active ? html`aria-current="true" class="badge"` : ''}>${label}</a>`;
    const body = html`<h1>问题记录</h1><section><div class="row filters">${link('全部', '/questions', !filter.refused && !filter.unhelpful)}${link('未回答', '/questions?refused=1', Boolean(filter.refused) && !filter.unhelpful)}${link('没帮助', '/questions?unhelpful=1', Boolean(filter.unhelpful) && !filter.refused)}
<a class="button plain" href="/questions.csv${search ? `?${search}` : ''}" download>导出 CSV</a></div>
<p class="muted">最近 ${entries.length} 条${entries.length === LIMIT ? '（只显示最新的部分，完整记录请导出）' : ''}。不记录提问人；“处理”可为问题补充同义词、指定答案条款或标记为不在范围内。</p>
${entries.length === 0 ? html`<p>暂无记录。</p>` : html`<table class="cards"><thead><tr><th>时间</th><th>会话</th><th>问题</th><th>结果</th><th>来源</th><th>用时</th><th>反馈</th><th></th></tr></thead><tbody>${entries.map(row)}</tbody></table>`}</section>`;
    return c.html(layout({ title: '问题记录', active: 'questions', csrf: c.get('csrf'), adminId: c.get('session').adminId }, body));
  });

  app.get('/questions.csv', async (c) => {
    const entries = await questionLog.questions({ ...filterOf((name) => c.req.query(name)), limit: Number.MAX_SAFE_INTEGER });
    const day = new Date().toISOString().slice(0, 10);
    return c.body(questionsCsv(entries), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="questions-${day}.csv"` });
  });
}
