/**
 * Line chart (NAV history, cumulative replay P&L): every point lands where the axes say, inside the
 * plot; a legend entry per series; date ticks at month starts, numeric x at nice steps; percent
 * ticks for fractions; gaps for non-finite values; "no data" for nothing to draw.
 */
import { describe, expect, it } from 'vitest';
import { lineChartSvg, type LineSeries } from '../../../core/reports/charts.ts';
import { assertTextInside, assertWellFormed, elements, isNiceStep, pathPoints, plotArea, yScale } from './charts-svg.ts';

const day = (i: number): string => new Date(Date.UTC(2025, 10, 3) + i * 86_400_000).toISOString().slice(0, 10);

/** 120 calendar days from 2025-11-03; NAV ramps from $1.00M by $2.5k a day, a second book is flat $400k. */
const NAV: LineSeries[] = [
  { name: 'Demo Hedge Fund Style Investor Portfolio', points: Array.from({ length: 120 }, (_, i) => ({ x: day(i), y: 1_000_000 + 2_500 * i })) },
  { name: 'Demo Individual Investor Portfolio', points: Array.from({ length: 120 }, (_, i) => ({ x: day(i), y: 400_000 })) },
];

const seriesPaths = (svg: string) => elements(svg, 'path').filter((p) => p.attrs['class'] === 'series').map((p) => pathPoints(p.attrs['d']!));

/** Numeric x ticks under the plot (11 px, middle-anchored) with their positions. */
const xTicks = (svg: string) =>
  elements(svg, 'text').filter((t) => t.attrs['font-size'] === '11' && (t.attrs['text-anchor'] ?? 'middle') !== 'end').map((t) => ({ label: t.text, x: Number(t.attrs['x']) }));

describe('lineChartSvg', () => {
  it('plots dated series inside the plot where the y axis puts their values', () => {
    const svg = lineChartSvg('NAV history', NAV, { yCaption: 'NAV, USD' });
    assertWellFormed(svg);
    assertTextInside(svg);
    const area = plotArea(svg), y = yScale(svg);
    const paths = seriesPaths(svg);
    expect(paths).toHaveLength(2);
    paths.forEach((pts, s) => {
      expect(pts).toHaveLength(120);
      pts.forEach((p, i) => {
        expect(p.x).toBeGreaterThanOrEqual(area.x0);
        expect(p.x).toBeLessThanOrEqual(area.x1);
        expect(p.y).toBeGreaterThanOrEqual(area.top);
        expect(p.y).toBeLessThanOrEqual(area.yBase);
        expect(Math.abs(p.y - y(NAV[s]!.points[i]!.y))).toBeLessThan(0.15);
      });
    });
    // time axis: first and last day at the plot edges, 2026-01-01 at (59 / 119) of the width
    expect(paths[0]![0]!.x).toBe(area.x0);
    expect(paths[0]![119]!.x).toBe(area.x1);
    const jan = elements(svg, 'text').find((t) => t.text === 'Jan 2026')!;
    expect(Math.abs(Number(jan.attrs['x']) - (area.x0 + ((area.x1 - area.x0) * 59) / 119))).toBeLessThan(0.15);
    const texts = elements(svg, 'text').map((t) => t.text);
    expect(texts).toEqual(expect.arrayContaining(['Dec 2025', 'Jan 2026', 'Feb 2026', 'NAV, USD', ...NAV.map((s) => s.name)]));
  });

  it('labels fractions as percent and numeric x at nice steps', () => {
    const paths: LineSeries[] = [
      { name: 'GFC 2008-09', points: Array.from({ length: 121 }, (_, i) => ({ x: String(i), y: -0.004 * i })) },
      { name: 'COVID-19 2020', points: Array.from({ length: 41 }, (_, i) => ({ x: String(i), y: -0.006 * i })) },
    ];
    const svg = lineChartSvg('Historical replays: cumulative P&L', paths, { percent: true, yCaption: 'Cumulative P&L, % of NAV' });
    assertWellFormed(svg);
    assertTextInside(svg);
    const y = yScale(svg); // parses "−40%" etc. as fractions
    const [gfc, covid] = seriesPaths(svg);
    expect(Math.abs(gfc![120]!.y - y(-0.48))).toBeLessThan(0.15);
    expect(Math.abs(covid![40]!.y - y(-0.24))).toBeLessThan(0.15);
    const ticks = xTicks(svg).map((t) => ({ v: Number(t.label), x: t.x }));
    expect(ticks.every((t) => Number.isFinite(t.v))).toBe(true);
    expect(isNiceStep(ticks[1]!.v - ticks[0]!.v)).toBe(true);
    expect(ticks[0]!.v).toBeLessThanOrEqual(0);
    expect(ticks[ticks.length - 1]!.v).toBeGreaterThanOrEqual(120);
    // x = 40 (last COVID point) sits where the ticks put 40
    const k = (ticks[1]!.x - ticks[0]!.x) / (ticks[1]!.v - ticks[0]!.v);
    expect(Math.abs(covid![40]!.x - (ticks[0]!.x + (40 - ticks[0]!.v) * k))).toBeLessThan(0.15);
    expect(elements(svg, 'text').some((t) => /^−\d+%$/.test(t.text))).toBe(true);
  });

  it('orders category x by first appearance and breaks the line at non-finite values', () => {
    const svg = lineChartSvg('Scenarios', [{ name: 'a', points: [{ x: 'Q1', y: 1 }, { x: 'Q2', y: Number.NaN }, { x: 'Q3', y: 3 }, { x: 'Q4', y: 4 }] }]);
    assertWellFormed(svg);
    assertTextInside(svg);
    expect(elements(svg, 'circle')).toHaveLength(1); // Q1 stands alone
    const [pts] = seriesPaths(svg);
    expect(pts!.map((p) => p.cmd)).toEqual(['M', 'L']);
    const labels = xTicks(svg).map((t) => t.label);
    expect(labels).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
  });

  it('renders "no data" for no series, empty series or only non-finite values', () => {
    for (const series of [[], [{ name: 'x', points: [] }], [{ name: 'y', points: [{ x: '2026-01-02', y: Number.NaN }] }]]) {
      const svg = lineChartSvg('Empty', series);
      assertWellFormed(svg);
      assertTextInside(svg);
      expect(elements(svg, 'text').map((t) => t.text)).toContain('no data');
      expect(seriesPaths(svg)).toHaveLength(0);
    }
  });

  it('keeps a long legend inside the chart, escapes names and is deterministic', () => {
    const many: LineSeries[] = Array.from({ length: 9 }, (_, s) => ({
      name: `Series <${s}> & a rather long descriptive name ${'W'.repeat(s)}`,
      points: [{ x: '2026-01-02', y: s }, { x: '2026-03-02', y: s + 1 }],
    }));
    const svg = lineChartSvg('Many & <many>', many);
    assertWellFormed(svg);
    assertTextInside(svg);
    expect(svg).toContain('Series &lt;3&gt; &amp; a rather long');
    expect(lineChartSvg('Many & <many>', many)).toBe(svg);
  });
});
