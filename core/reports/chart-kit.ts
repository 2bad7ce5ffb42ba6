/**
 * Shared pieces of the report's SVG charts (plain strings, no browser): XML escaping, a text-width
 * estimate used to size every label column so nothing is clipped, nice axis steps (1, 2 or 5 ×
 * 10ⁿ), compact USD and percent tick labels, and the house colours and fonts.
 *
 * Text widths are estimated, not measured: per-character advances of DejaVu Sans (the usual Linux
 * `sans-serif`, wider than Helvetica/Arial) rounded up, and never less than 0.6 em a character,
 * so an estimate errs on the wide side for the fonts a report viewer is likely to use.
 */

export const FONT_PX = 12;
export const TITLE_PX = 14;
export const SMALL_PX = 11;
export const PAD = 10;

export const COLORS = {
  text: '#222',
  muted: '#666',
  axis: '#555',
  grid: '#e6e6e6',
  neg: '#c0392b',
  pos: '#27ae60',
  pnl: '#95a5a6',
  var95: '#e67e22',
  var99: '#8e44ad',
  exception95: '#e74c3c',
  exception99: '#7b0000',
  series: ['#2c6fbb', '#e67e22', '#27ae60', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d', '#d35400'],
} as const;

// XML 1.0 forbids these control characters anywhere in a document, even escaped.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text and attribute values for SVG (and drops characters XML cannot carry). */
export const esc = (s: string): string =>
  s.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A coordinate with one decimal, never "-0". */
export const num = (x: number): string => {
  const r = Math.round(x * 10) / 10;
  return String(r === 0 ? 0 : r);
};

/** Advance of one character in em: DejaVu Sans rounded up, and never under 0.6 em. */
function charEm(c: string): number {
  if (/[mwMW%@&…−—]/.test(c)) return 1.0;
  if (/[A-Z]/.test(c)) return 0.78;
  if (/[0-9$#+=<>~^_?–]/.test(c)) return 0.66;
  if (c.codePointAt(0)! >= 0x2e80) return 1.05; // CJK and other full-width scripts
  return 0.62;
}

/** Estimated advance width in px of `s` at `fontPx` (bold adds 8 %). */
export function textWidth(s: string, fontPx = FONT_PX, bold = false): number {
  return [...s].reduce((acc, c) => acc + charEm(c), 0) * fontPx * (bold ? 1.08 : 1);
}

/** `s` cut with an ellipsis so that its estimated width is at most `maxPx` (unchanged when it fits). */
export function fitText(s: string, maxPx: number, fontPx = FONT_PX, bold = false): string {
  if (textWidth(s, fontPx, bold) <= maxPx) return s;
  const chars = [...s];
  let n = chars.length;
  while (n > 0 && textWidth(`${chars.slice(0, n).join('').trimEnd()}…`, fontPx, bold) > maxPx) n--;
  return `${chars.slice(0, n).join('').trimEnd()}…`;
}

/** Value labels of bars: "$1.20M", "−$8.0k", "$950". */
export function compactUsd(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  const s = a >= 1e9 ? `${(a / 1e9).toFixed(2)}B` : a >= 1e6 ? `${(a / 1e6).toFixed(2)}M` : a >= 1e3 ? `${(a / 1e3).toFixed(1)}k` : a.toFixed(0);
  return `${x < 0 && s !== '0' ? '−' : ''}$${s}`;
}

/** Shortest decimal rendering of `v` with at most 4 decimals that is exact to 1e-9 relative. */
function shortest(v: number): string {
  for (let d = 0; d < 4; d++) {
    const s = v.toFixed(d);
    if (Math.abs(Number(s) - v) <= 1e-9 * Math.max(1, Math.abs(v))) return s;
  }
  return v.toFixed(4);
}

/** Axis tick in compact USD with no trailing zeros: "−$1.5M", "$500k", "$0", "$2.5". */
export function usdTick(x: number): string {
  const a = Math.abs(x);
  const [unit, suffix] = a >= 1e9 ? [1e9, 'B'] : a >= 1e6 ? [1e6, 'M'] : a >= 1e3 ? [1e3, 'k'] : [1, ''];
  const s = shortest(a / unit);
  return `${x < 0 && Number(s) !== 0 ? '−' : ''}$${s}${suffix}`;
}

/** Axis tick of a plain number: 2.5, −10, 1000. */
export function plainTick(x: number): string {
  const s = shortest(Math.abs(x));
  return `${x < 0 && Number(s) !== 0 ? '−' : ''}${s}`;
}

/** Axis tick for a decimal fraction shown as percent: 0.025 → "2.5%", −0.1 → "−10%". */
export function pctTick(x: number): string {
  const s = shortest(Math.abs(x * 100));
  return `${x < 0 && Number(s) !== 0 ? '−' : ''}${s}%`;
}

/** The nice step (1, 2 or 5 × 10ⁿ) at or above `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 5 + 1e-9 ? 5 : 10) * p;
}

/** Smallest tick steps worth labelling: a cent, and 0.01 % of a fraction shown as percent. */
export const USD_MIN_STEP = 0.01;
export const PCT_MIN_STEP = 1e-4;

/**
 * Ticks at multiples of a nice step covering [lo, hi]: the first tick ≤ lo, the last ≥ hi, about
 * `target` intervals, the step never below `minStep`. A zero range is widened first: [0, 1]
 * around zero, else ±5 % of the value.
 */
export function niceTicks(lo: number, hi: number, target = 5, minStep = 0): number[] {
  let a = Math.min(lo, hi), b = Math.max(lo, hi);
  if (!(b - a > 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)))) {
    const half = Math.max(minStep, Math.abs(a) * 0.05);
    [a, b] = a === 0 ? [0, Math.max(1, minStep)] : [a - half, b + half];
  }
  return ticksWithStep(a, b, Math.max(niceStep((b - a) / Math.max(1, target)), minStep));
}

function ticksWithStep(a: number, b: number, step: number): number[] {
  const i0 = Math.floor(a / step + 1e-9), i1 = Math.ceil(b / step - 1e-9);
  const out: number[] = [];
  for (let i = i0; i <= i1; i++) out.push(Number((i * step).toPrecision(12)) || 0);
  return out;
}

/** The next nice step after the one the ticks use (for thinning crowded labels). */
export function coarserTicks(ticks: readonly number[]): number[] {
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1;
  return ticksWithStep(ticks[0]!, ticks[ticks.length - 1]!, niceStep(step * 1.5));
}

/** Linear map of [d0, d1] onto [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Opening tag of a chart: fixed size, white background, house font. */
export function svgOpen(width: number, height: number, label: string): string {
  const w = Math.ceil(width), h = Math.ceil(height);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="DejaVu Sans, Verdana, sans-serif" font-size="${FONT_PX}" fill="${COLORS.text}" style="background:#fff" role="img" aria-label="${esc(label)}">`;
}

/**
 * A text element whose content is cut to `maxPx` when too long; the full text then rides along in
 * a <title> of the wrapping group (a tooltip in browsers). `attrs` are written as given.
 */
export function fittedText(s: string, maxPx: number, attrs: string, fontPx = FONT_PX, bold = false): string {
  const shown = fitText(s, maxPx, fontPx, bold);
  const el = `<text ${attrs}>${esc(shown)}</text>`;
  return shown === s ? el : `<g><title>${esc(s)}</title>${el}</g>`;
}

/** The title line at the top left (ellipsized to `maxPx`). */
export function titleText(title: string, maxPx: number): string {
  return fittedText(title, maxPx, `x="${PAD}" y="${PAD + TITLE_PX}" font-size="${TITLE_PX}" font-weight="bold"`, TITLE_PX, true);
}

/** Chart width wide enough for the title (capped at 1000 px; longer titles are ellipsized). */
export function widthForTitle(baseWidth: number, title: string): number {
  return Math.ceil(Math.max(baseWidth, Math.min(textWidth(title, TITLE_PX, true) + 2 * PAD, 1000)));
}
