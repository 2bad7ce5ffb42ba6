/**
 * Line chart of one or more named series (cumulative replay P&L paths, NAV history), in USD or as
 * percent of a decimal fraction. The x values decide the axis: ISO dates give a time axis ticked
 * at month starts, numbers (e.g. trading days since an episode began) a linear axis with nice
 * ticks, anything else an ordered category axis.
 */
import { dateTicks, horizontalTicks, isoDay, verticalTicks, type LegendItem, type XTick } from './chart-axes.ts';
import { COLORS, esc, fitText, num, PCT_MIN_STEP, pctTick, plainTick, SMALL_PX, textWidth, USD_MIN_STEP, usdTick } from './chart-kit.ts';
import { layoutFrame, noDataSvg } from './chart-frame.ts';

export interface LineSeries {
  name: string;
  points: readonly { x: string; y: number }[];
}

export interface LineChartOptions {
  /** Caption above the y axis (default "USD", or "%" with `percent`). */
  yCaption?: string;
  /** y values are decimal fractions (0.012 = 1.2 %), labelled as percent. */
  percent?: boolean;
}

const PLOT_W = 640, PLOT_H = 240, CATEGORY_LABEL_MAX = 120;

interface XAxis {
  pos: (x: string) => number;
  domain: [number, number];
  ticks: XTick[];
}

/** The x axis the values call for (see the module comment). */
function xAxisFor(xs: readonly string[]): XAxis {
  const days = xs.map(isoDay);
  if (days.every(Number.isFinite)) {
    const [lo, hi] = [Math.min(...days), Math.max(...days)];
    const domain: [number, number] = hi > lo ? [lo, hi] : [lo - 1, hi + 1];
    return { pos: isoDay, domain, ticks: dateTicks(lo, hi, PLOT_W) };
  }
  const nums = xs.map((x) => (x.trim() === '' ? Number.NaN : Number(x)));
  if (nums.every(Number.isFinite)) {
    const ticks = horizontalTicks({ lo: Math.min(...nums), hi: Math.max(...nums), px: PLOT_W, format: plainTick, minStep: 1e-4 });
    return { pos: Number, domain: [ticks[0]!.value, ticks[ticks.length - 1]!.value], ticks };
  }
  const order = [...new Set(xs)];
  const index = new Map(order.map((x, i) => [x, i]));
  const labels = order.map((x) => fitText(x, CATEGORY_LABEL_MAX, SMALL_PX));
  const widest = Math.max(...labels.map((l) => textWidth(l, SMALL_PX)));
  const every = Math.max(1, Math.ceil(order.length / Math.max(1, Math.floor(PLOT_W / (widest + 12)))));
  const ticks = labels.flatMap((label, i) => (i % every === 0 ? [{ value: i, label }] : []));
  return { pos: (x) => index.get(x)!, domain: order.length > 1 ? [0, order.length - 1] : [-1, 1], ticks };
}

/** Path of a series over its finite points in x order, and dots for points with no neighbour. */
function seriesSvg(pts: readonly { px: number; py: number | null }[], color: string, dashed: boolean): string {
  let d = '', run: { px: number; py: number }[] = [];
  const dots: string[] = [];
  const flush = (): void => {
    if (run.length === 1) dots.push(`<circle cx="${num(run[0]!.px)}" cy="${num(run[0]!.py)}" r="2.5" fill="${color}"/>`);
    else run.forEach((p, i) => (d += `${i ? 'L' : 'M'}${num(p.px)} ${num(p.py)}`));
    run = [];
  };
  for (const p of pts) {
    if (p.py === null) flush();
    else run.push({ px: p.px, py: p.py });
  }
  flush();
  return (d ? `<path class="series" d="${d}" stroke="${color}" stroke-width="1.75"${dashed ? ' stroke-dasharray="5 3"' : ''} fill="none" stroke-linejoin="round"/>` : '') + dots.join('');
}

/** Line chart of `series`; deterministic for the same input. */
export function lineChartSvg(title: string, series: readonly LineSeries[], opts: LineChartOptions = {}): string {
  const shown = series.filter((s) => s.points.some((p) => Number.isFinite(p.y)));
  const xs = shown.flatMap((s) => s.points.map((p) => p.x));
  const ys = shown.flatMap((s) => s.points.map((p) => p.y).filter(Number.isFinite));
  const format = opts.percent ? pctTick : usdTick;
  const axis = xs.length ? xAxisFor(xs) : null;
  const n = COLORS.series.length; // colours repeat dashed after the first round
  const legend: LegendItem[] = shown.map((s, i) => ({ label: s.name, color: COLORS.series[i % n]!, mark: i < n ? 'line' : 'dash' }));
  const f = layoutFrame({
    title, yCaption: opts.yCaption ?? (opts.percent ? '%' : 'USD'),
    yTicks: ys.length ? verticalTicks({ lo: Math.min(...ys), hi: Math.max(...ys), px: PLOT_H, format, minStep: opts.percent ? PCT_MIN_STEP : USD_MIN_STEP }) : [],
    xTicks: axis?.ticks ?? [], xDomain: axis?.domain ?? [0, 1], legend, plotW: PLOT_W, plotH: PLOT_H,
  });
  if (!axis) return [f.before, noDataSvg(f), f.after, '</svg>'].join('\n');
  const lines = shown.map((s, i) => {
    const pts = s.points
      .map((p) => ({ px: f.x(axis.pos(p.x)), py: Number.isFinite(p.y) ? f.y(p.y) : null }))
      .sort((a, b) => a.px - b.px);
    return `<g><title>${esc(s.name)}</title>${seriesSvg(pts, legend[i]!.color, legend[i]!.mark === 'dash')}</g>`;
  });
  return [f.before, ...lines, f.after, '</svg>'].join('\n');
}
