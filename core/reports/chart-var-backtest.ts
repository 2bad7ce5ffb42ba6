/**
 * VaR backtest chart: each day's P&L as a thin bar from zero, the −VaR 95 % and −VaR 99 % lines
 * (VaR is a positive loss amount, drawn below zero), and each exception as a red marker whose
 * <title> gives the date, the P&L and both VaRs. The subtitle counts exceptions against the
 * number expected (5 % and 1 % of the days that have a VaR).
 */
import { dateTicks, isoDay, verticalTicks, type LegendItem } from './chart-axes.ts';
import { COLORS, compactUsd, esc, num, USD_MIN_STEP, usdTick } from './chart-kit.ts';
import { layoutFrame, noDataSvg } from './chart-frame.ts';

export interface BacktestPoint {
  /** Trading day, ISO "YYYY-MM-DD". */
  date: string;
  /** Realised P&L of the day, USD. */
  pnl: number;
  /** One-day VaR at 95 % as a positive loss amount, USD (null before the window fills). */
  var95: number | null;
  var99: number | null;
  /** pnl < −var95 (as the backtest decided it). */
  exception95: boolean;
  exception99: boolean;
}

export interface VarBacktestChartOptions {
  /** VaR method shown in the subtitle, e.g. "historical". */
  method?: string;
}

const PLOT_W = 640, PLOT_H = 240;

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

/** `M x y L …` paths of −VaR over runs of days that have one. */
function varPath(days: readonly { x: number; v: number | null }[], y: (v: number) => number): string {
  let d = '', open = false;
  for (const p of days) {
    if (p.v === null) { open = false; continue; }
    d += `${open ? 'L' : 'M'}${num(p.x)} ${num(y(-p.v))}`;
    open = true;
  }
  return d;
}

const line = (cls: string, d: string, color: string): string =>
  d ? `<path class="${cls}" d="${d}" stroke="${color}" stroke-width="1.5" fill="none"/>` : '';

function marker(p: BacktestPoint, x: number, y: number): string {
  const level = p.exception99 ? 99 : 95;
  const tip = `${p.date}: P&L ${compactUsd(p.pnl)}, VaR 95% ${p.var95 === null ? 'n/a' : compactUsd(p.var95)}, VaR 99% ${p.var99 === null ? 'n/a' : compactUsd(p.var99)} (${level}% exception)`;
  const mark = level === 99
    ? `<path d="M${num(x)} ${num(y - 5)}l5 5-5 5-5-5z" fill="${COLORS.exception99}"/>`
    : `<circle cx="${num(x)}" cy="${num(y)}" r="3.5" fill="${COLORS.exception95}"/>`;
  return `<g class="exception" data-level="${level}"><title>${esc(tip)}</title>${mark}</g>`;
}

/** Chart of a VaR backtest; deterministic for the same points (sorted by date first). */
export function varBacktestChartSvg(title: string, points: readonly BacktestPoint[], opts: VarBacktestChartOptions = {}): string {
  const days = points
    .map((p) => ({ p: { ...p, var95: finiteOrNull(p.var95), var99: finiteOrNull(p.var99) }, day: isoDay(p.date) }))
    .filter((d) => Number.isFinite(d.day) && Number.isFinite(d.p.pnl))
    .sort((a, b) => a.day - b.day);
  const ys = days.flatMap(({ p }) => [p.pnl, ...(p.var95 === null ? [] : [-p.var95]), ...(p.var99 === null ? [] : [-p.var99])]);
  const withVar95 = days.filter((d) => d.p.var95 !== null).length, withVar99 = days.filter((d) => d.p.var99 !== null).length;
  const e95 = days.filter((d) => d.p.exception95).length, e99 = days.filter((d) => d.p.exception99).length;
  const subtitle = days.length
    ? `${opts.method ? `${opts.method} VaR · ` : ''}${days.length} days · exceptions at 95%: ${e95} (expected ${(0.05 * withVar95).toFixed(1)}) · at 99%: ${e99} (expected ${(0.01 * withVar99).toFixed(1)})`
    : (opts.method ? `${opts.method} VaR` : undefined);
  const [dMin, dMax] = days.length ? [days[0]!.day, days[days.length - 1]!.day] : [0, 1];
  const legend: LegendItem[] = [
    { label: 'daily P&L', color: COLORS.pnl, mark: 'bar' },
    { label: '−VaR 95%', color: COLORS.var95, mark: 'line' },
    { label: '−VaR 99%', color: COLORS.var99, mark: 'line' },
    { label: 'exception at 95%', color: COLORS.exception95, mark: 'dot' },
    { label: 'exception at 99%', color: COLORS.exception99, mark: 'diamond' },
  ];
  const f = layoutFrame({
    title, ...(subtitle ? { subtitle } : {}), yCaption: 'P&L, USD',
    yTicks: days.length ? verticalTicks({ lo: Math.min(0, ...ys), hi: Math.max(0, ...ys), px: PLOT_H, format: usdTick, minStep: USD_MIN_STEP }) : [],
    xTicks: days.length ? dateTicks(dMin, dMax, PLOT_W) : [],
    xDomain: [dMin - 1, dMax + 1], legend: days.length ? legend : [], plotW: PLOT_W, plotH: PLOT_H,
  });
  if (!days.length) return [f.before, noDataSvg(f), f.after, '</svg>'].join('\n');
  const barW = Math.max(0.6, Math.min(6, ((f.x1 - f.x0) / (dMax - dMin + 2)) * 0.7));
  const at = days.map(({ p, day }) => ({ p, x: f.x(day) }));
  const bars = at.map(({ p, x }) => `M${num(x)} ${num(f.y(0))}V${num(f.y(p.pnl))}`).join('');
  return [
    f.before,
    `<path class="pnl" d="${bars}" stroke="${COLORS.pnl}" stroke-width="${num(barW)}" fill="none"/>`,
    line('var95', varPath(at.map(({ p, x }) => ({ x, v: p.var95 })), f.y), COLORS.var95),
    line('var99', varPath(at.map(({ p, x }) => ({ x, v: p.var99 })), f.y), COLORS.var99),
    f.after,
    ...at.filter(({ p }) => p.exception95 || p.exception99).map(({ p, x }) => marker(p, x, f.y(p.pnl))),
    '</svg>',
  ].join('\n');
}
