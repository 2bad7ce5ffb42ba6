/**
 * Axes and legends of the report charts: value axes whose nice ticks are thinned until their
 * labels fit, date axes ticked at month (or year) starts, and a legend that wraps to the chart
 * width. Each piece returns its SVG and the space it needs, so a chart can size itself first.
 */
import { coarserTicks, COLORS, esc, FONT_PX, fittedText, niceTicks, num, SMALL_PX, textWidth } from './chart-kit.ts';

export interface Tick {
  value: number;
  label: string;
}

/** The value range, size and labelling of an axis; `minStep` is the finest step worth a label. */
export interface AxisSpec {
  lo: number;
  hi: number;
  px: number;
  format: (v: number) => string;
  minStep: number;
}

/** Nice ticks for a horizontal axis `px` long, coarsened until their labels do not touch. */
export function horizontalTicks({ lo, hi, px: plotW, format, minStep }: AxisSpec): Tick[] {
  let ticks = niceTicks(lo, hi, 6, minStep);
  for (let guard = 0; guard < 20 && ticks.length > 2; guard++) {
    const spacing = plotW / (ticks.length - 1);
    const widest = Math.max(...ticks.map((t) => textWidth(format(t), SMALL_PX)));
    if (widest + 6 <= spacing) break; // estimates run ~10 % wide, so 6 px leaves a real gap
    ticks = coarserTicks(ticks);
  }
  return ticks.map((value) => ({ value, label: format(value) }));
}

/** Nice ticks for a vertical axis `px` tall (at least ~32 px between ticks). */
export function verticalTicks({ lo, hi, px: plotH, format, minStep }: AxisSpec): Tick[] {
  let ticks = niceTicks(lo, hi, Math.max(2, Math.floor(plotH / 44)), minStep);
  while (ticks.length > 3 && plotH / (ticks.length - 1) < 32) ticks = coarserTicks(ticks);
  return ticks.map((value) => ({ value, label: format(value) }));
}

/** Width of the widest tick label. */
export const tickLabelWidth = (ticks: readonly Tick[]): number => Math.max(0, ...ticks.map((t) => textWidth(t.label, SMALL_PX)));

/** Horizontal grid lines, tick marks and right-aligned labels of a y axis at `x0`. */
export function yAxisSvg(ticks: readonly Tick[], y: (v: number) => number, x0: number, x1: number): string {
  return ticks
    .map((t) => {
      const yy = num(y(t.value));
      return `<line x1="${num(x0)}" y1="${yy}" x2="${num(x1)}" y2="${yy}" stroke="${COLORS.grid}"/>` +
        `<line x1="${num(x0 - 4)}" y1="${yy}" x2="${num(x0)}" y2="${yy}" stroke="${COLORS.axis}"/>` +
        `<text x="${num(x0 - 6)}" y="${num(y(t.value) + SMALL_PX * 0.35)}" text-anchor="end" font-size="${SMALL_PX}" fill="${COLORS.muted}">${esc(t.label)}</text>`;
    })
    .join('');
}

export interface XTick extends Tick {
  anchor?: 'start' | 'middle' | 'end';
}

/** Vertical grid lines, tick marks and labels under an x axis at `yBase` (labels at `yBase + 16`). */
export function xAxisSvg(ticks: readonly XTick[], x: (v: number) => number, yTop: number, yBase: number, grid = true): string {
  return ticks
    .map((t) => {
      const xx = num(x(t.value));
      return (grid ? `<line x1="${xx}" y1="${num(yTop)}" x2="${xx}" y2="${num(yBase)}" stroke="${COLORS.grid}"/>` : '') +
        `<line x1="${xx}" y1="${num(yBase)}" x2="${xx}" y2="${num(yBase + 4)}" stroke="${COLORS.axis}"/>` +
        `<text x="${xx}" y="${num(yBase + 16)}" text-anchor="${t.anchor ?? 'middle'}" font-size="${SMALL_PX}" fill="${COLORS.muted}">${esc(t.label)}</text>`;
    })
    .join('');
}

/** Height an x axis needs below the plot: tick, label and a little air. */
export const X_AXIS_H = 24;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Days since 1970-01-01 (UTC) of an ISO date "YYYY-MM-DD…", or NaN. */
export function isoDay(s: string): number {
  const m = ISO_DAY.exec(s);
  if (!m) return Number.NaN;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(t) ? t / 86_400_000 : Number.NaN;
}

const isoOf = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

/**
 * Ticks at month starts inside [d0, d1] (days since epoch), every k months with k the smallest of
 * 1, 2, 3, 6, 12, 24, 60 whose labels fit `plotW`; yearly steps are labelled "2020", others
 * "Mar 2020". A span with fewer than two month starts is labelled by its first and last day.
 */
export function dateTicks(d0: number, d1: number, plotW: number): XTick[] {
  const pxPerDay = plotW / Math.max(1, d1 - d0);
  const first = new Date(d0 * 86_400_000), last = new Date(d1 * 86_400_000);
  const m0 = first.getUTCFullYear() * 12 + first.getUTCMonth() + (first.getUTCDate() === 1 ? 0 : 1);
  const m1 = last.getUTCFullYear() * 12 + last.getUTCMonth();
  for (const k of [1, 2, 3, 6, 12, 24, 60, 120]) {
    const ticks: XTick[] = [];
    for (let m = Math.ceil(m0 / k) * k; m <= m1; m += k) {
      const y = Math.floor(m / 12), mo = m % 12;
      ticks.push({ value: Date.UTC(y, mo, 1) / 86_400_000, label: k >= 12 ? String(y) : `${MONTHS[mo]} ${y}` });
    }
    const widest = Math.max(0, ...ticks.map((t) => textWidth(t.label, SMALL_PX)));
    if (ticks.length >= 2 && widest + 12 <= pxPerDay * 28 * k) return ticks;
    if (ticks.length < 2) break;
  }
  return d1 > d0
    ? [{ value: d0, label: isoOf(d0), anchor: 'start' }, { value: d1, label: isoOf(d1), anchor: 'end' }]
    : [{ value: d0, label: isoOf(d0) }];
}

export interface LegendItem {
  label: string;
  color: string;
  mark: 'line' | 'dash' | 'bar' | 'dot' | 'diamond';
}

function swatch(item: LegendItem, x: number, y: number): string {
  const c = item.color;
  switch (item.mark) {
    case 'line': return `<line x1="${num(x)}" y1="${num(y)}" x2="${num(x + 16)}" y2="${num(y)}" stroke="${c}" stroke-width="2"/>`;
    case 'dash': return `<line x1="${num(x)}" y1="${num(y)}" x2="${num(x + 16)}" y2="${num(y)}" stroke="${c}" stroke-width="2" stroke-dasharray="4 2"/>`;
    case 'bar': return `<rect x="${num(x + 5)}" y="${num(y - 5)}" width="6" height="10" fill="${c}"/>`;
    case 'dot': return `<circle cx="${num(x + 8)}" cy="${num(y)}" r="3.5" fill="${c}"/>`;
    case 'diamond': return `<path d="M${num(x + 8)} ${num(y - 5)}l5 5-5 5-5-5z" fill="${c}"/>`;
  }
}

const LEGEND_ROW = 18, LEGEND_LABEL_MAX = 420;

/** A legend laid out in rows within `maxW` px from (x, y) (y = the first row's top). */
export function legendSvg(items: readonly LegendItem[], x: number, y: number, maxW: number): { svg: string; height: number } {
  if (!items.length) return { svg: '', height: 0 };
  const parts: string[] = [];
  let cx = x, row = 0;
  for (const item of items) {
    const labelW = Math.min(textWidth(item.label, FONT_PX), LEGEND_LABEL_MAX, maxW - 22);
    const w = 22 + labelW + 16;
    if (cx > x && cx + w - 16 > x + maxW) { row++; cx = x; }
    const mid = y + row * LEGEND_ROW + LEGEND_ROW / 2;
    parts.push(swatch(item, cx, mid), fittedText(item.label, labelW, `x="${num(cx + 22)}" y="${num(mid + FONT_PX * 0.35)}"`));
    cx += w;
  }
  return { svg: parts.join(''), height: (row + 1) * LEGEND_ROW };
}
