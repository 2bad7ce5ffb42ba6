/**
 * SVG charts of the report, built as plain strings (no browser): horizontal bars of signed USD
 * values (dollar exposure by factor, stress P&L by scenario), the VaR backtest and line charts
 * (replay P&L paths, NAV history). Every chart sizes its label columns from its own text, so no
 * label is clipped, and carries a labelled value axis with nice round ticks.
 */
import { horizontalTicks, tickLabelWidth, xAxisSvg, X_AXIS_H } from './chart-axes.ts';
import { COLORS, compactUsd, esc, FONT_PX, fittedText, linear, num, PAD, svgOpen, textWidth, titleText, TITLE_PX, USD_MIN_STEP, usdTick, widthForTitle } from './chart-kit.ts';

export { lineChartSvg, type LineSeries, type LineChartOptions } from './chart-line.ts';
export { varBacktestChartSvg, type BacktestPoint, type VarBacktestChartOptions } from './chart-var-backtest.ts';

export interface Bar {
  label: string;
  value: number;
}

export interface BarChartOptions {
  /** Caption under the value axis, e.g. "P&L, USD" (default "USD"). */
  axisCaption?: string;
  /** Width of the plot area in px (default 360). */
  plotWidth?: number;
}

const ROW = 22, LABEL_MAX = 420;

/**
 * Horizontal bar chart of signed USD values, one row per bar (negatives red, positives green),
 * with a zero line, a value axis ticked at nice steps spanning the data and zero, and a caption.
 * Labels longer than 420 px (estimated) are ellipsized with the full label in a <title>.
 */
export function barChartSvg(title: string, bars: readonly Bar[], opts: BarChartOptions = {}): string {
  const plotW = opts.plotWidth ?? 360, caption = opts.axisCaption ?? 'USD';
  const values = bars.map((b) => (Number.isFinite(b.value) ? b.value : 0));
  const ticks = bars.length ? horizontalTicks({ lo: Math.min(0, ...values), hi: Math.max(0, ...values), px: plotW, format: usdTick, minStep: USD_MIN_STEP }) : [];
  const halfTick = tickLabelWidth(ticks) / 2;
  const labelW = Math.min(LABEL_MAX, Math.max(0, ...bars.map((b) => textWidth(b.label))));
  const valueW = Math.max(0, ...bars.map((b) => textWidth(compactUsd(b.value)))) + 8;
  const x0 = PAD + Math.max(labelW + 10, halfTick);
  const width = widthForTitle(x0 + plotW + Math.max(valueW, halfTick) + PAD, title);
  const top = PAD + TITLE_PX + 14, plotH = Math.max(bars.length, 1) * ROW, yBase = top + plotH;
  const height = yBase + X_AXIS_H + FONT_PX + 6 + PAD;
  const x = ticks.length ? linear(ticks[0]!.value, ticks[ticks.length - 1]!.value, x0, x0 + plotW) : linear(0, 1, x0, x0 + plotW);
  const zero = num(x(0));
  const rows = bars.map((b, i) => {
    const y = top + i * ROW, ty = num(y + ROW / 2 + FONT_PX * 0.35);
    const label = fittedText(b.label, labelW, `x="${num(x0 - 8)}" y="${ty}" text-anchor="end"`);
    const value = `<text x="${num(x0 + plotW + 8)}" y="${ty}">${esc(compactUsd(b.value))}</text>`;
    if (!Number.isFinite(b.value)) return label + value;
    const [a, c] = [x(0), x(b.value)].sort((p, q) => p - q) as [number, number];
    return `${label}<rect x="${num(a)}" y="${y + 4}" width="${num(c - a)}" height="${ROW - 8}" fill="${b.value < 0 ? COLORS.neg : COLORS.pos}"/>${value}`;
  });
  const capW = Math.min(textWidth(caption), width - 2 * PAD);
  const capX = Math.min(Math.max(x0 + plotW / 2, PAD + capW / 2), width - PAD - capW / 2);
  return [
    svgOpen(width, height, title),
    titleText(title, width - 2 * PAD),
    xAxisSvg(ticks, x, top - 4, yBase),
    ...rows,
    `<line x1="${zero}" y1="${top - 4}" x2="${zero}" y2="${yBase}" stroke="${COLORS.axis}"/>`,
    `<line x1="${num(x0)}" y1="${yBase}" x2="${num(x0 + plotW)}" y2="${yBase}" stroke="${COLORS.axis}"/>`,
    fittedText(caption, capW, `x="${num(capX)}" y="${num(yBase + X_AXIS_H + FONT_PX)}" text-anchor="middle" fill="${COLORS.muted}"`),
    bars.length ? '' : `<text x="${num(x0 + plotW / 2)}" y="${top + 15}" text-anchor="middle" fill="${COLORS.muted}">no data</text>`,
    '</svg>',
  ].join('\n');
}
