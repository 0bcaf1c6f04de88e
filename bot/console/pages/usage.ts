/**
 * @module Usage: questions per day by outcome, the shares of outcomes, feedback, latency
 * percentiles per day and the documents cited most, as charts (./../charts.ts) over a period.
 */
import { html } from 'hono/html';
import type { UsageFigures } from '../../chat/index.ts';
import { horizontalBars, lines, stackedBars } from '../charts.ts';
import type { ConsoleApp, ConsoleDeps } from '../deps.ts';
import { layout } from '../layout.ts';

const PERIODS = [7, 30, 90];
const COLORS = { answer: '#34c724', related: '#ff8800', none: '#f54a45', up: '#3370ff', down: '#8f959e' } as const;

const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${((part / whole) * 100).toFixed(0)}%`);

function charts(usage: UsageFigures) {
  const labels = usage.days.map((day) => day.day.slice(5));
  const total = (pick: (day: UsageFigures['days'][number]) => number) => usage.days.reduce((sum, day) => sum + pick(day), 0);
  const questions = total((day) => day.questions);
  const outcome = (name: 'answer' | 'related' | 'none') => total((day) => day.outcomes[name]);
  const up = total((day) => day.up);
  const down = total((day) => day.down);
  const ms = (value: number | undefined) => (value === undefined ? '—' : `${Math.round(value)} ms`);
  return html`<section class="figures" id="figures"><div>问题<strong>${questions}</strong></div><div>已回答<strong>${percent(outcome('answer'), questions)}</strong></div><div>相关条款<strong>${percent(outcome('related'), questions)}</strong></div><div>未找到<strong>${percent(outcome('none'), questions)}</strong></div><div>有帮助 / 没帮助<strong>${up} / ${down}</strong></div><div>用时 p50<strong>${ms(usage.latency.p50Ms)}</strong></div><div>用时 p95<strong>${ms(usage.latency.p95Ms)}</strong></div></section>
<div class="grid">
<section>${stackedBars({
    title: '每日问题数',
    labels,
    series: [
      { label: '已回答', color: COLORS.answer, values: usage.days.map((day) => day.outcomes.answer) },
      { label: '相关条款', color: COLORS.related, values: usage.days.map((day) => day.outcomes.related) },
      { label: '未找到', color: COLORS.none, values: usage.days.map((day) => day.outcomes.none) },
    ],
  })}</section>
<section>${horizontalBars({
    title: '回答结果占比',
    items: [
      { label: '已回答', value: outcome('answer'), color: COLORS.answer, text: `${outcome('answer')}（${percent(outcome('answer'), questions)}）` },
      { label: '相关条款', value: outcome('related'), color: COLORS.related, text: `${outcome('related')}（${percent(outcome('related'), questions)}）` },
      { label: '未找到', value: outcome('none'), color: COLORS.none, text: `${outcome('none')}（${percent(outcome('none'), questions)}）` },
    ],
  })}</section>
<section>${stackedBars({
    title: '每日反馈',
    labels,
    series: [
      { label: '有帮助', color: COLORS.up, values: usage.days.map((day) => day.up) },
      { label: '没帮助', color: COLORS.down, values: usage.days.map((day) => day.down) },
    ],
  })}</section>
<section>${lines({
    title: '每日回答用时',
    labels,
    unit: 'ms',
    series: [
      { label: 'p50', color: COLORS.answer, values: usage.days.map((day) => day.p50Ms) },
      { label: 'p95', color: COLORS.related, values: usage.days.map((day) => day.p95Ms) },
    ],
  })}</section>
<section>${horizontalBars({ title: '被引用最多的文档', items: usage.topDocuments.map((document) => ({ label: `《${document.title}》`, value: document.citations })) })}</section>
</div>`;
}

export function usagePage(app: ConsoleApp, { questionLog }: ConsoleDeps): void {
  app.get('/usage', async (c) => {
    const requested = Number(c.req.query('days'));
    const days = PERIODS.includes(requested) ? requested : 30;
    const usage = await questionLog.usage({ days });
    const body = html`<h1>使用统计</h1><p class="row filters">${PERIODS.map((period) => html`<a href="/usage?days=${period}" ${period === days ? html`aria-current="true" class="badge"` : ''}>最近 ${period} 天</a>`)}</p>${charts(usage)}`;
    return c.html(layout({ title: '使用统计', active: 'usage', csrf: c.get('csrf'), adminId: c.get('session').adminId }, body));
  });
}
