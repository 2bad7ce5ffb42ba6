/**
 * Bar chart of the report (factor exposures, stress P&L): labels sized from the text so nothing is
 * clipped, a value axis at nice round steps covering the data and zero, its caption, escaping.
 * Text extents are estimated by the test's own rule (charts-svg.ts), not the chart's.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { niceTicks, pctTick, usdTick } from '../../../core/reports/chart-kit.ts';
import { barChartSvg, type Bar } from '../../../core/reports/charts.ts';
import { assertTextInside, assertWellFormed, elements, isNiceStep, parseTick, textBox, viewBox } from './charts-svg.ts';

const STRESS: Bar[] = [
  { label: 'Market Rally 10%', value: 412_345 },
  { label: 'Market Crash 35%', value: -1_443_207 },
  { label: '2008-style crisis (hypothetical factor shock)', value: -1_912_000 },
  { label: 'COVID-19-style crash (hypothetical factor shock)', value: -1_210_000 },
  { label: 'Dot-com-style crash (hypothetical factor shock)', value: -2_450_500 },
  { label: 'Rates Up 300bp', value: 0 },
  { label: 'WWWWWWWWWWMMMMMMMMMM', value: 55_000 },
];

/** The value-axis ticks under the bars: labels and x positions (11 px, middle-anchored). */
function axisTicks(svg: string): { value: number; x: number }[] {
  return elements(svg, 'text')
    .filter((t) => t.attrs['font-size'] === '11' && t.attrs['text-anchor'] === 'middle')
    .map((t) => ({ value: parseTick(t.text), x: Number(t.attrs['x']) }));
}

function assertNiceCover(ticks: readonly { value: number }[], lo: number, hi: number): void {
  expect(ticks.length).toBeGreaterThanOrEqual(2);
  const step = ticks[1]!.value - ticks[0]!.value;
  expect(isNiceStep(step)).toBe(true);
  ticks.forEach((t, i) => {
    expect(Math.abs(t.value - (ticks[0]!.value + i * step))).toBeLessThan(1e-9 * Math.max(1, Math.abs(t.value)) + step * 1e-9);
    expect(Math.abs(t.value / step - Math.round(t.value / step))).toBeLessThan(1e-6); // a multiple of the step
  });
  const tol = step * 1e-9; // a value within a billionth of a step of a tick counts as on it
  expect(ticks[0]!.value).toBeLessThanOrEqual(Math.min(0, lo) + tol);
  expect(ticks[ticks.length - 1]!.value).toBeGreaterThanOrEqual(Math.max(0, hi) - tol);
  expect(ticks[0]!.value).toBeGreaterThan(Math.min(0, lo) - step); // no wasted step below the data
  expect(ticks[ticks.length - 1]!.value).toBeLessThan(Math.max(0, hi) + step);
}

describe('tick helpers', () => {
  it('formats compact USD and percent ticks without trailing zeros', () => {
    expect([-1.2e6, 5e5, 0, 1.5e6, 2.5, -2.5e9, 1e3, 999].map(usdTick)).toEqual(['−$1.2M', '$500k', '$0', '$1.5M', '$2.5', '−$2.5B', '$1k', '$999']);
    expect([0.025, -0.1, 0, 0.0005].map(pctTick)).toEqual(['2.5%', '−10%', '0%', '0.05%']);
  });

  it('chooses 1/2/5 × 10ⁿ steps (hand-worked cases)', () => {
    // range 2,862,845 over 6 intervals = 477,141 → 500k
    expect(niceTicks(-2_450_500, 412_345, 6)).toEqual([-2.5e6, -2e6, -1.5e6, -1e6, -5e5, 0, 5e5]);
    // 0.3 over 5 = 0.06 → 0.1, and no float noise in the labels' values
    expect(niceTicks(0.1, 0.4, 5)).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('barChartSvg', () => {
  const svg = barChartSvg('Demo Hedge Fund Style Investor Portfolio: stress P&L by scenario (2026-07-13)', STRESS, { axisCaption: 'P&L, USD' });

  it('keeps every text (long labels, wide capitals, values, ticks, title) inside the viewBox', () => {
    assertWellFormed(svg);
    assertTextInside(svg);
    const labels = elements(svg, 'text').filter((t) => STRESS.some((b) => b.label === t.text));
    expect(labels).toHaveLength(STRESS.length); // none ellipsized at this length
  });

  it('puts labels left of every bar and values right of every bar', () => {
    const rects = elements(svg, 'rect').map((r) => ({ x0: Number(r.attrs['x']), x1: Number(r.attrs['x']) + Number(r.attrs['width']) }));
    expect(rects).toHaveLength(STRESS.length);
    const left = Math.min(...rects.map((r) => r.x0)), right = Math.max(...rects.map((r) => r.x1));
    for (const t of elements(svg, 'text')) {
      if (STRESS.some((b) => b.label === t.text)) expect(textBox(t).x1).toBeLessThanOrEqual(left);
      if (/^−?\$[\d.]+[kM]?$/.test(t.text) && t.attrs['font-size'] === undefined) expect(textBox(t).x0).toBeGreaterThanOrEqual(right);
    }
  });

  it('has a value axis at nice steps covering the data and zero, with grid lines and the caption', () => {
    const ticks = axisTicks(svg);
    assertNiceCover(ticks, -2_450_500, 412_345);
    // tick positions are linear in value, and the bar of the worst scenario ends at its value
    const k = (ticks[1]!.x - ticks[0]!.x) / (ticks[1]!.value - ticks[0]!.value);
    for (const t of ticks) expect(Math.abs(ticks[0]!.x + (t.value - ticks[0]!.value) * k - t.x)).toBeLessThan(0.11);
    const worst = elements(svg, 'rect').map((r) => Number(r.attrs['x'])).sort((a, b) => a - b)[0]!;
    expect(Math.abs(worst - (ticks[0]!.x + (-2_450_500 - ticks[0]!.value) * k))).toBeLessThan(0.11);
    const grid = elements(svg, 'line').filter((l) => l.attrs['x1'] === l.attrs['x2']);
    expect(grid.length).toBeGreaterThanOrEqual(ticks.length);
    expect(elements(svg, 'text').map((t) => t.text)).toContain('P&L, USD');
    expect(svg).toContain('P&amp;L, USD');
  });

  it('ellipsizes a label beyond the generous maximum and keeps the full label in a <title>', () => {
    const long = `${'Very long scenario name '.repeat(6)}<end>`;
    const s = barChartSvg('t', [{ label: long, value: -5 }]);
    assertWellFormed(s);
    assertTextInside(s);
    expect(elements(s, 'title').map((t) => t.text)).toContain(long);
    expect(elements(s, 'text').some((t) => t.text.endsWith('…'))).toBe(true);
  });

  it('escapes title, labels and caption', () => {
    const s = barChartSvg('t <&> "q"', [{ label: 'A & <B>', value: 10 }, { label: 'B', value: -5 }], { axisCaption: '<cap>' });
    assertWellFormed(s);
    expect(s).toContain('t &lt;&amp;&gt; &quot;q&quot;');
    expect(s).toContain('A &amp; &lt;B&gt;');
    expect(s).toContain('&lt;cap&gt;');
    expect(s).not.toContain('<B>');
  });

  it('renders no data, a single zero and non-finite values without throwing', () => {
    for (const bars of [[], [{ label: 'zero', value: 0 }], [{ label: 'nan', value: Number.NaN }, { label: 'ok', value: 3 }]]) {
      const s = barChartSvg('x', bars);
      assertWellFormed(s);
      assertTextInside(s);
    }
    expect(barChartSvg('x', [])).toContain('no data');
  });

  it('is deterministic and keeps the old two-argument call', () => {
    expect(barChartSvg('a', STRESS)).toBe(barChartSvg('a', STRESS));
    expect(elements(barChartSvg('a', STRESS), 'text').map((t) => t.text)).toContain('USD');
  });

  test.prop([fc.array(fc.record({ label: fc.string({ maxLength: 60 }), value: fc.double({ min: -5e9, max: 5e9, noNaN: true }) }), { minLength: 1, maxLength: 25 })], { numRuns: 60 })(
    'any bar set: well-formed, nothing outside the viewBox, ticks nice and covering',
    (bars) => {
      const s = barChartSvg('Property title', bars);
      assertWellFormed(s);
      assertTextInside(s);
      const values = bars.map((b) => b.value);
      const lo = Math.min(...values), hi = Math.max(...values);
      if (hi - lo > 1e-6) assertNiceCover(axisTicks(s), lo, hi);
      const boxes = elements(s, 'text').filter((t) => t.attrs['font-size'] === '11').map((t) => textBox(t));
      boxes.slice(1).forEach((b, i) => expect(b.x0).toBeGreaterThanOrEqual(boxes[i]!.x1)); // tick labels never touch
      expect(viewBox(s).w).toBeLessThan(1200);
    },
  );
});
