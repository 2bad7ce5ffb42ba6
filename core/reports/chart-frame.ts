/**
 * The frame shared by the report's time and line charts: title, optional subtitle, y-axis caption
 * above the plot, y ticks with grid lines on the left, x ticks under the plot and a legend below.
 * Margins come from the text they hold, so the plot moves right for wide tick labels and the chart
 * grows for a long title instead of clipping either.
 */
import { legendSvg, tickLabelWidth, xAxisSvg, X_AXIS_H, yAxisSvg, type LegendItem, type Tick, type XTick } from './chart-axes.ts';
import { COLORS, esc, FONT_PX, fittedText, linear, num, PAD, SMALL_PX, svgOpen, textWidth, titleText, TITLE_PX, widthForTitle } from './chart-kit.ts';

export interface FrameSpec {
  title: string;
  subtitle?: string;
  yCaption: string;
  /** Ticks of the y axis; its domain is [first, last] (no ticks: an empty plot over [0, 1]). */
  yTicks: readonly Tick[];
  xTicks: readonly XTick[];
  xDomain: readonly [number, number];
  legend: readonly LegendItem[];
  plotW: number;
  plotH: number;
}

export interface Frame {
  width: number;
  height: number;
  /** Plot area in px. */
  x0: number;
  x1: number;
  top: number;
  yBase: number;
  x: (v: number) => number;
  y: (v: number) => number;
  /** Everything drawn under the marks (header, grid, ticks). */
  before: string;
  /** Everything drawn over the marks (axis lines, zero line, legend); the caller closes with </svg>. */
  after: string;
}

/** Lays out a chart frame from its texts and ticks. */
export function layoutFrame(spec: FrameSpec): Frame {
  const yLabelW = tickLabelWidth(spec.yTicks);
  const x0 = PAD + Math.max(yLabelW + 8, textWidth(spec.xTicks[0]?.label ?? '', SMALL_PX) / 2);
  const x1 = x0 + spec.plotW;
  const right = Math.max(PAD, tickLabelWidth(spec.xTicks) / 2 + 2) + PAD;
  const headerW = Math.max(textWidth(spec.subtitle ?? '', SMALL_PX), textWidth(spec.yCaption)) + 2 * PAD;
  const width = widthForTitle(Math.max(x1 + right, Math.min(headerW, 1000)), spec.title);
  const subtitleY = PAD + TITLE_PX + 16;
  const captionY = (spec.subtitle ? subtitleY : PAD + TITLE_PX) + 20;
  const top = captionY + 14, yBase = top + spec.plotH;
  const [y0, y1] = spec.yTicks.length ? [spec.yTicks[0]!.value, spec.yTicks[spec.yTicks.length - 1]!.value] : [0, 1];
  const y = linear(y0, y1, yBase, top);
  const x = linear(spec.xDomain[0], spec.xDomain[1], x0, x1);
  const legendY = yBase + X_AXIS_H + 4;
  const legend = legendSvg(spec.legend, PAD, legendY, width - 2 * PAD);
  const height = Math.ceil(legendY + legend.height + PAD);
  const maxText = width - 2 * PAD;
  const before = [
    svgOpen(width, height, spec.title),
    titleText(spec.title, maxText),
    spec.subtitle ? fittedText(spec.subtitle, maxText, `x="${PAD}" y="${subtitleY}" font-size="${SMALL_PX}" fill="${COLORS.muted}"`, SMALL_PX) : '',
    fittedText(spec.yCaption, maxText, `x="${PAD}" y="${captionY}" fill="${COLORS.muted}"`, FONT_PX),
    yAxisSvg(spec.yTicks, y, x0, x1),
    xAxisSvg(spec.xTicks, x, top, yBase),
  ].join('\n');
  const zero = spec.yTicks.length && y0 < 0 && y1 > 0 ? `<line x1="${num(x0)}" y1="${num(y(0))}" x2="${num(x1)}" y2="${num(y(0))}" stroke="${COLORS.axis}"/>` : '';
  const after = [
    zero,
    `<path class="frame" d="M${num(x0)} ${num(top)}V${num(yBase)}H${num(x1)}" fill="none" stroke="${COLORS.axis}"/>`,
    legend.svg,
  ].join('\n');
  return { width, height, x0, x1, top, yBase, x, y, before, after };
}

/** The "no data" note in the middle of a frame's plot. */
export const noDataSvg = (f: Frame): string =>
  `<text x="${num((f.x0 + f.x1) / 2)}" y="${num((f.top + f.yBase) / 2)}" text-anchor="middle" fill="${COLORS.muted}">${esc('no data')}</text>`;
