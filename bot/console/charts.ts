/**
 * @module The usage page's charts, drawn on the server as inline SVG: they need no script and no
 * library in the page (the console has no build step and sends no third-party code to an admin's
 * browser), scale with the viewBox on a phone, and take their Chinese labels from the page's font.
 */
import { html } from 'hono/html';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 40, right: 10, top: 10, bottom: 28 };

export interface Series {
  label: string;
  color: string;
  values: number[];
}

const plotWidth = WIDTH - PAD.left - PAD.right;
const plotHeight = HEIGHT - PAD.top - PAD.bottom;

/** A round upper bound for the axis (2, 4 or 10 × 10ⁿ, at least 2), so its half is a whole number too. */
function niceMax(value: number): number {
  if (value <= 2) return 2;
  const power = 10 ** Math.floor(Math.log10(value));
  return [2, 4, 10].map((step) => step * power).find((candidate) => candidate >= value) ?? 10 * power;
}

function axes(labels: string[], max: number, unit: string) {
  const every = Math.max(1, Math.ceil(labels.length / 10));
  const step = plotWidth / Math.max(1, labels.length);
  return html`<line x1="${PAD.left}" y1="${PAD.top + plotHeight}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotHeight}" stroke="#dee0e3"/>
${[0, 0.5, 1].map((fraction) => html`<text x="${PAD.left - 4}" y="${PAD.top + plotHeight * (1 - fraction) + 4}" text-anchor="end" font-size="11" fill="#8f959e">${Math.round(max * fraction)}${unit}</text>`)}
${labels.map((label, index) => (index % every === 0 ? html`<text x="${PAD.left + step * (index + 0.5)}" y="${HEIGHT - 8}" text-anchor="middle" font-size="11" fill="#8f959e">${label}</text>` : ''))}`;
}

function legend(series: Series[]) {
  return html`<div class="legend">${series.map((item) => html`<span><i style="background:${item.color}"></i>${item.label}</span>`)}</div>`;
}

/** Bars per label, the series stacked. */
export function stackedBars(options: { title: string; labels: string[]; series: Series[] }) {
  const totals = options.labels.map((_, index) => options.series.reduce((sum, item) => sum + (item.values[index] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const step = plotWidth / Math.max(1, options.labels.length);
  const bars = options.labels.map((label, index) => {
    let base = PAD.top + plotHeight;
    return options.series.map((item) => {
      const value = item.values[index] ?? 0;
      const height = (value / max) * plotHeight;
      base -= height;
      return value > 0 ? html`<rect x="${PAD.left + step * index + step * 0.15}" y="${base}" width="${step * 0.7}" height="${height}" fill="${item.color}"><title>${label} ${item.label}：${value}</title></rect>` : '';
    });
  });
  return html`<figure class="chart"><figcaption>${options.title}</figcaption><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}">${axes(options.labels, max, '')}${bars}</svg>${legend(options.series)}</figure>`;
}

/** Lines per series; a missing value (undefined) breaks the line. */
export function lines(options: { title: string; labels: string[]; series: (Omit<Series, 'values'> & { values: (number | undefined)[] })[]; unit: string }) {
  const max = niceMax(Math.max(0, ...options.series.flatMap((item) => item.values.filter((value): value is number => value !== undefined))));
  const step = plotWidth / Math.max(1, options.labels.length);
  const point = (value: number, index: number) => `${(PAD.left + step * (index + 0.5)).toFixed(1)},${(PAD.top + plotHeight * (1 - value / max)).toFixed(1)}`;
  const paths = options.series.map((item) => {
    const segments = item.values.map((value, index) => (value === undefined ? undefined : point(value, index)));
    const d = segments.map((segment, index) => (segment ? `${index > 0 && segments[index - 1] ? 'L' : 'M'}${segment}` : '')).join('');
    return html`<path d="${d}" fill="none" stroke="${item.color}" stroke-width="2"/>${item.values.map((value, index) => (value === undefined ? '' : html`<circle cx="${point(value, index).split(',')[0]}" cy="${point(value, index).split(',')[1]}" r="3" fill="${item.color}"><title>${options.labels[index]} ${item.label}：${Math.round(value)}${options.unit}</title></circle>`))}`;
  });
  return html`<figure class="chart"><figcaption>${options.title}</figcaption><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}">${axes(options.labels, max, options.unit)}${paths}</svg>${legend(options.series.map((item) => ({ ...item, values: [] })))}</figure>`;
}

/** One horizontal bar per item, its value at the end: shares and rankings. */
export function horizontalBars(options: { title: string; items: { label: string; value: number; color?: string; text?: string }[] }) {
  const max = Math.max(1, ...options.items.map((item) => item.value));
  return html`<figure class="chart"><figcaption>${options.title}</figcaption>${
    options.items.length === 0
      ? html`<p class="muted">暂无数据</p>`
      : html`<div class="hbars">${options.items.map(
          (item) => html`<div class="hbar"><span class="hbar-label" title="${item.label}">${item.label}</span><span class="hbar-track"><span style="width:${((item.value / max) * 100).toFixed(1)}%;background:${item.color ?? '#3370ff'}"></span></span><span class="hbar-value">${item.text ?? item.value}</span></div>`,
        )}</div>`
  }</figure>`;
}
