/** A chart with its numbers one click away: a Chart/Table toggle and a CSV download of the same rows. */
import uPlot from 'uplot';
import { download, h, toCsv } from './dom.ts';

export interface Dataset {
  name: string;
  header: string[];
  rows: (string | number | null)[][];
  numeric?: boolean[];
}

export function tableOf(ds: Dataset, format?: (col: number, v: string | number | null) => string): HTMLElement {
  const fmt = format ?? ((_c: number, v: string | number | null) => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 4 }) : (v ?? '—')));
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': `${ds.name} table` },
    h('table', {},
      h('thead', {}, h('tr', {}, ...ds.header.map((c, i) => h('th', { scope: 'col', class: ds.numeric?.[i] ? 'num' : '' }, c)))),
      h('tbody', {}, ...ds.rows.map((r) => h('tr', {}, ...r.map((v, i) => h('td', { class: ds.numeric?.[i] ? 'num' : '' }, fmt(i, v))))))));
}

export function panel(ds: Dataset, chart: () => HTMLElement): HTMLElement {
  const body = h('div', {});
  let showing: 'chart' | 'table' = 'chart';
  const toggle = h('button', { class: 'secondary', type: 'button', 'aria-pressed': 'false' }, 'Table view');
  const show = () => {
    body.replaceChildren(showing === 'chart' ? chart() : tableOf(ds));
    toggle.textContent = showing === 'chart' ? 'Table view' : 'Chart view';
    toggle.setAttribute('aria-pressed', String(showing === 'table'));
  };
  toggle.addEventListener('click', () => { showing = showing === 'chart' ? 'table' : 'chart'; show(); });
  const csv = h('button', { class: 'secondary', type: 'button', onclick: () => download(`${ds.name.replace(/\W+/g, '-').toLowerCase()}.csv`, toCsv(ds.header, ds.rows)) }, 'Download CSV');
  show();
  return h('div', { class: 'panel', 'data-panel': ds.name }, h('div', { class: 'toolbar' }, toggle, csv), body);
}

/** Horizontal bars for signed values (factor betas, stress P&L). */
export function bars(items: { label: string; value: number; text: string }[]): HTMLElement {
  const max = Math.max(1e-12, ...items.map((i) => Math.abs(i.value)));
  const hasNeg = items.some((i) => i.value < 0);
  return h('div', { class: 'bars', role: 'img', 'aria-label': items.map((i) => `${i.label} ${i.text}`).join('; ') },
    ...items.map((i) => {
      const w = (Math.abs(i.value) / max) * (hasNeg ? 50 : 100);
      const fill = h('span', { class: `bar-fill${i.value < 0 ? ' neg' : ''}` });
      fill.style.width = `${w}%`;
      fill.style.left = hasNeg ? (i.value < 0 ? `${50 - w}%` : '50%') : '0';
      return h('div', { class: 'bar-row' }, h('span', {}, i.label), h('span', { class: 'bar-track' }, fill), h('span', { class: 'num' }, i.text));
    }));
}

/** A uPlot line chart over dates (YYYY-MM-DD), one series per entry. */
export function lineChart(dates: string[], series: { label: string; values: (number | null)[]; color: string; points?: boolean }[], height = 260): HTMLElement {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': `chart of ${series.map((s) => s.label).join(', ')}` });
  const xs = dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const draw = () => {
    const width = Math.max(280, box.clientWidth || 600);
    box.replaceChildren();
    new uPlot({
      width, height,
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: s.points ? 0 : 1.5, points: { show: !!s.points, size: 4, fill: s.color } }))],
      axes: [{ stroke: 'currentColor' }, { stroke: 'currentColor', size: 70 }],
      scales: { x: { time: true } },
    }, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, box);
  };
  requestAnimationFrame(draw);
  return box;
}
