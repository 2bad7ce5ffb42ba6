/**
 * A tiny SVG reader for the chart tests, independent of the chart code: a well-formedness check
 * (balanced tags, only the five XML entities), the text elements with their attributes, and an
 * estimated text extent at 0.6 em a character (0.95 em for W, M, w, m, %, − — the widest glyphs
 * of common sans-serif fonts).
 */
import { expect } from 'vitest';

export interface El {
  name: string;
  attrs: Record<string, string>;
  /** Decoded text content (text and title elements). */
  text: string;
}

const ATTR = /([\w:-]+)="([^"]*)"/g;

const decode = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

export function attrsOf(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(ATTR)].map((m) => [m[1]!, decode(m[2]!)]));
}

/** Throws unless `svg` is one well-formed <svg> element with only known entities. */
export function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([\w:-]+)([^>]*?)(\/?)>/g)) {
    if (m[1]) expect(stack.pop(), `closing </${m[2]}>`).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]!);
  }
  expect(stack).toEqual([]);
  for (const amp of svg.matchAll(/&[^;\s]*;?/g)) expect(['&amp;', '&lt;', '&gt;', '&quot;']).toContain(amp[0]);
  expect(svg.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]/);
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
}

/** Elements named `name` (text content for those with a closing tag). */
export function elements(svg: string, name: string): El[] {
  const re = new RegExp(`<${name}((?:\\s[^>]*?)?)(?:/>|>([\\s\\S]*?)</${name}>)`, 'g');
  return [...svg.matchAll(re)].map((m) => ({ name, attrs: attrsOf(m[1] ?? ''), text: decode((m[2] ?? '').replace(/<[^>]*>/g, '')) }));
}

export function viewBox(svg: string): { w: number; h: number } {
  const [x, y, w, h] = attrsOf(/<svg[^>]*>/.exec(svg)![0])['viewBox']!.split(' ').map(Number);
  expect([x, y]).toEqual([0, 0]);
  return { w: w!, h: h! };
}

const em = (c: string): number => (/[WMwm%−]/.test(c) ? 0.95 : 0.6);

/** Estimated box of a text element: anchor-aware horizontally, ascent 0.8 em and descent 0.25 em. */
export function textBox(t: El, rootFontPx = 12): { x0: number; x1: number; y0: number; y1: number } {
  const px = Number(t.attrs['font-size'] ?? rootFontPx);
  const w = [...t.text].reduce((a, c) => a + em(c), 0) * px;
  const x = Number(t.attrs['x']), y = Number(t.attrs['y']);
  const anchor = t.attrs['text-anchor'] ?? 'start';
  const x0 = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
  return { x0, x1: x0 + w, y0: y - 0.8 * px, y1: y + 0.25 * px };
}

/** Asserts every text element's estimated box lies inside the viewBox. */
export function assertTextInside(svg: string): void {
  const { w, h } = viewBox(svg);
  for (const t of elements(svg, 'text')) {
    const b = textBox(t);
    expect({ text: t.text, left: b.x0 >= 0, right: b.x1 <= w, top: b.y0 >= 0, bottom: b.y1 <= h }).toEqual({ text: t.text, left: true, right: true, top: true, bottom: true });
  }
}

/** Parses a compact USD or percent tick ("−$1.5M", "$500k", "2.5%") back to a number. */
export function parseTick(label: string): number {
  const m = /^(−?)\$?([\d.]+)([kMB%]?)$/.exec(label);
  if (!m) throw new Error(`not a tick label: ${label}`);
  const unit = { '': 1, k: 1e3, M: 1e6, B: 1e9, '%': 0.01 }[m[3]!]!;
  return (m[1] ? -1 : 1) * Number(m[2]) * unit;
}

/** True when `step` is 1, 2 or 5 × 10ⁿ (to 1e-9 relative). */
export function isNiceStep(step: number): boolean {
  const p = 10 ** Math.floor(Math.log10(step) + 1e-12);
  return [1, 2, 5, 10].some((m) => Math.abs(step / p - m) < 1e-9 * m);
}

/** The plot frame `M x0 top V yBase H x1` of a time or line chart. */
export function plotArea(svg: string): { x0: number; x1: number; top: number; yBase: number } {
  const d = elements(svg, 'path').find((p) => p.attrs['class'] === 'frame')!.attrs['d']!;
  const [x0, top, yBase, x1] = /^M([\d.]+) ([\d.]+)V([\d.]+)H([\d.]+)$/.exec(d)!.slice(1).map(Number);
  return { x0: x0!, x1: x1!, top: top!, yBase: yBase! };
}

/** (x, y) pairs of the absolute M/L/V/H commands of a path. */
export function pathPoints(d: string): { x: number; y: number; cmd: string }[] {
  const out: { x: number; y: number; cmd: string }[] = [];
  let x = 0, y = 0;
  for (const m of d.matchAll(/([MLVH])([-\d.]+)(?: ([-\d.]+))?/g)) {
    const cmd = m[1]!;
    if (cmd === 'V') y = Number(m[2]);
    else if (cmd === 'H') x = Number(m[2]);
    else [x, y] = [Number(m[2]), Number(m[3])];
    out.push({ x, y, cmd });
  }
  return out;
}

/**
 * The y-axis ticks: value from each right-aligned 11 px label, y from the full-width grid line
 * just above its baseline (labels sit a little below their line to look centred on it).
 */
export function yTicks(svg: string): { value: number; y: number }[] {
  const area = plotArea(svg);
  const lines = elements(svg, 'line')
    .filter((l) => l.attrs['y1'] === l.attrs['y2'] && Number(l.attrs['x1']) === area.x0 && Number(l.attrs['x2']) === area.x1)
    .map((l) => Number(l.attrs['y1']));
  return elements(svg, 'text')
    .filter((t) => t.attrs['text-anchor'] === 'end' && t.attrs['font-size'] === '11')
    .map((t) => {
      const base = Number(t.attrs['y']);
      const y = lines.filter((ly) => ly <= base && base - ly < 6).sort((a, b) => b - a)[0];
      if (y === undefined) throw new Error(`no grid line for tick ${t.text}`);
      return { value: parseTick(t.text), y };
    });
}

/** The value → y map the y ticks define (a least-squares line through them, checked to be exact). */
export function yScale(svg: string): (v: number) => number {
  const t = yTicks(svg);
  expect(t.length).toBeGreaterThanOrEqual(2);
  const [a, b] = [t[0]!, t[t.length - 1]!];
  const k = (b.y - a.y) / (b.value - a.value);
  for (const p of t) expect(Math.abs(a.y + (p.value - a.value) * k - p.y)).toBeLessThan(0.11);
  return (v) => a.y + (v - a.value) * k;
}
