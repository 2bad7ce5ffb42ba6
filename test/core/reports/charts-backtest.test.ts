/**
 * VaR backtest chart: P&L bars, −VaR 95 % / 99 % lines and exception markers land where the y axis
 * says their values are, inside the plot; one marker per exception day; month-start date ticks;
 * a "no data" chart for no points. The fixture is hand-built: 61 weekdays from 2026-01-02, VaR
 * 95 % = $100k and 99 % = $150k from the 6th day, three planted losses beyond VaR.
 */
import { describe, expect, it } from 'vitest';
import { varBacktestChartSvg, type BacktestPoint } from '../../../core/reports/charts.ts';
import { assertTextInside, assertWellFormed, elements, pathPoints, plotArea, yScale } from './charts-svg.ts';

function weekdays(start: string, n: number): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); out.length < n; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const PLANTED: Record<number, number> = { 10: -130_000, 30: -210_000, 45: -160_000 };
const DATES = weekdays('2026-01-02', 61);
const POINTS: BacktestPoint[] = DATES.map((date, i) => {
  const pnl = PLANTED[i] ?? Math.round(40_000 * Math.sin(i * 0.7));
  const var95 = i < 5 ? null : 100_000, var99 = i < 5 ? null : 150_000;
  return { date, pnl, var95, var99, exception95: var95 !== null && pnl < -var95, exception99: var99 !== null && pnl < -var99 };
});

/** Marker centre: a circle's centre, or the diamond path's first vertex moved down 5 px. */
function markerCentre(group: string): { x: number; y: number } {
  const c = /<circle cx="([\d.]+)" cy="([\d.]+)"/.exec(group);
  if (c) return { x: Number(c[1]), y: Number(c[2]) };
  const p = /<path d="M([\d.]+) ([\d.]+)l/.exec(group)!;
  return { x: Number(p[1]), y: Number(p[2]) + 5 };
}

const exceptionGroups = (svg: string): string[] => [...svg.matchAll(/<g class="exception"[\s\S]*?<\/g>/g)].map((m) => m[0]);

describe('varBacktestChartSvg', () => {
  const svg = varBacktestChartSvg('Demo portfolio: VaR backtest (2026-03-27)', POINTS, { method: 'historical' });
  const area = plotArea(svg);
  const y = yScale(svg);
  const bars = pathPoints(elements(svg, 'path').find((p) => p.attrs['class'] === 'pnl')!.attrs['d']!);
  const starts = bars.filter((p) => p.cmd === 'M'), ends = bars.filter((p) => p.cmd === 'V');

  it('is well-formed with every text inside the viewBox', () => {
    assertWellFormed(svg);
    assertTextInside(svg);
  });

  it('draws one P&L bar a day, from zero to the day’s P&L, inside the plot', () => {
    expect(starts).toHaveLength(61);
    starts.forEach((s, i) => {
      expect(s.x).toBeGreaterThan(area.x0);
      expect(s.x).toBeLessThan(area.x1);
      expect(Math.abs(s.y - y(0))).toBeLessThan(0.15);
      expect(Math.abs(ends[i]!.y - y(POINTS[i]!.pnl))).toBeLessThan(0.15);
      expect(ends[i]!.y).toBeGreaterThanOrEqual(area.top);
      expect(ends[i]!.y).toBeLessThanOrEqual(area.yBase);
      if (i) expect(s.x).toBeGreaterThan(starts[i - 1]!.x);
    });
  });

  it('draws −VaR 95 % and −VaR 99 % below zero from the first day that has a VaR', () => {
    for (const [cls, level] of [['var95', 100_000], ['var99', 150_000]] as const) {
      const pts = pathPoints(elements(svg, 'path').find((p) => p.attrs['class'] === cls)!.attrs['d']!);
      expect(pts).toHaveLength(56);
      expect(pts[0]!.x).toBe(starts[5]!.x);
      for (const p of pts) expect(Math.abs(p.y - y(-level))).toBeLessThan(0.15);
    }
  });

  it('marks each exception day once, at its P&L, with a title naming date and amounts', () => {
    const groups = exceptionGroups(svg);
    expect(groups).toHaveLength(POINTS.filter((p) => p.exception95 || p.exception99).length);
    expect(groups).toHaveLength(3);
    expect(groups.map((g) => /data-level="(\d+)"/.exec(g)![1])).toEqual(['95', '99', '99']);
    [10, 30, 45].forEach((i, k) => {
      const c = markerCentre(groups[k]!);
      expect(c.x).toBe(starts[i]!.x);
      expect(Math.abs(c.y - y(PLANTED[i]!))).toBeLessThan(0.15);
      expect(c.y).toBeLessThanOrEqual(area.yBase);
      const title = /<title>([^<]*)<\/title>/.exec(groups[k]!)![1]!;
      expect(title).toContain(DATES[i]!);
      expect(title).toContain(`−$${Math.abs(PLANTED[i]!) / 1000}.0k`);
      expect(title).toContain('$100.0k');
      expect(title).toContain('$150.0k');
    });
  });

  it('ticks the dates at month starts and the P&L axis at nice steps with a caption', () => {
    const texts = elements(svg, 'text').map((t) => t.text);
    expect(texts).toEqual(expect.arrayContaining(['Feb 2026', 'Mar 2026', 'P&L, USD']));
    const feb = elements(svg, 'text').find((t) => t.text === 'Feb 2026')!;
    const jan30 = starts[DATES.indexOf('2026-01-30')]!.x, feb2 = starts[DATES.indexOf('2026-02-02')]!.x;
    expect(Number(feb.attrs['x'])).toBeGreaterThan(jan30);
    expect(Number(feb.attrs['x'])).toBeLessThan(feb2);
  });

  it('says the method and counts exceptions against the number expected', () => {
    const sub = elements(svg, 'text').map((t) => t.text).find((t) => t.startsWith('historical VaR'))!;
    // 56 days with a VaR: expected 0.05 × 56 = 2.8 and 0.01 × 56 = 0.56
    expect(sub).toBe('historical VaR · 61 days · exceptions at 95%: 3 (expected 2.8) · at 99%: 2 (expected 0.6)');
    expect(elements(svg, 'text').map((t) => t.text)).toEqual(expect.arrayContaining(['daily P&L', '−VaR 95%', '−VaR 99%', 'exception at 95%', 'exception at 99%']));
  });

  it('is deterministic whatever the input order', () => {
    expect(varBacktestChartSvg('Demo portfolio: VaR backtest (2026-03-27)', [...POINTS].reverse(), { method: 'historical' })).toBe(svg);
  });

  it('renders a "no data" chart for no points, and survives days without any VaR', () => {
    const empty = varBacktestChartSvg('Nothing yet', []);
    assertWellFormed(empty);
    assertTextInside(empty);
    expect(elements(empty, 'text').map((t) => t.text)).toContain('no data');
    expect(exceptionGroups(empty)).toHaveLength(0);
    const noVar = varBacktestChartSvg('Window filling', POINTS.slice(0, 5));
    assertWellFormed(noVar);
    assertTextInside(noVar);
    expect(elements(noVar, 'path').filter((p) => p.attrs['class'] === 'var95')).toHaveLength(0);
  });

  it('escapes title and method', () => {
    const s = varBacktestChartSvg('A & <B>', POINTS.slice(0, 8), { method: '"param" <x>' });
    assertWellFormed(s);
    expect(s).toContain('A &amp; &lt;B&gt;');
    expect(s).toContain('&quot;param&quot; &lt;x&gt; VaR');
  });
});
