import { describe, expect, test } from 'vitest';
import { fc, test as ftest } from '@fast-check/vitest';
import { varExceptions } from '../../../engines/backtest/exceptions.ts';
import { kupiecPof } from '../../../engines/backtest/kupiec.ts';
import { christoffersenTests } from '../../../engines/backtest/christoffersen.ts';
import { baselTrafficLight } from '../../../engines/backtest/basel.ts';
import { backtestVar } from '../../../engines/backtest/var-backtest.ts';

describe('published reference values', () => {
  // Basel Committee on Banking Supervision (1996), "Supervisory framework for the use of
  // 'backtesting' in conjunction with the internal models approach to market risk capital
  // requirements", Table 1 (coverage 99 %, 250 observations): cumulative probability of
  // 0..10 exceptions, in percent to two decimals; Table 2: zones and plus factors.
  const BASEL_CUMULATIVE_PCT = [8.11, 28.58, 54.32, 75.81, 89.22, 95.88, 98.63, 99.6, 99.89, 99.97, 99.99];
  const BASEL_PLUS = [0, 0, 0, 0, 0, 0.4, 0.5, 0.65, 0.75, 0.85, 1, 1, 1];
  test('Basel 1996: Binomial(250, 1 %) cumulative probabilities to the table’s 0.005 %-points', () => {
    BASEL_CUMULATIVE_PCT.forEach((pct, x) => {
      expect(Math.abs(100 * baselTrafficLight(x, 250).cumulativeProbability - pct)).toBeLessThanOrEqual(0.005);
    });
  });
  test('Basel 1996: green 0–4, yellow 5–9, red ≥ 10 with plus factors 0 / 0.40 / 0.50 / 0.65 / 0.75 / 0.85 / 1.00', () => {
    BASEL_PLUS.forEach((plus, x) => {
      const t = baselTrafficLight(x, 250, 0.99);
      expect(t.zone).toBe(x <= 4 ? 'green' : x <= 9 ? 'yellow' : 'red');
      expect(t.plusFactor).toBe(plus);
    });
    expect(baselTrafficLight(250, 250).zone).toBe('red');
    expect(baselTrafficLight(250, 250).plusFactor).toBe(1);
    expect(baselTrafficLight(4, 251).plusFactor).toBeNull();
    expect(baselTrafficLight(4, 250, 0.975).plusFactor).toBeNull();
  });

  // Kupiec (1995), Table 3, as reprinted in P. Jorion, "Value at Risk" (3rd ed., 2007), Table 6-3
  // "Model backtesting, 95 percent nonrejection test confidence regions": the numbers N of
  // exceptions for which the POF test does not reject at 5 %, for T = 255, 510 and 1000 days.
  // [p, T, lowest N not rejected, highest N not rejected]; the table writes them as lo−1 < N < hi+1.
  const KUPIEC_REGIONS: [number, number, number, number][] = [
    [0.01, 510, 2, 10], [0.01, 1000, 5, 16],
    [0.025, 255, 3, 11], [0.025, 510, 7, 20], [0.025, 1000, 16, 35],
    [0.05, 255, 7, 20], [0.05, 510, 17, 35], [0.05, 1000, 38, 64],
    [0.075, 255, 12, 27], [0.075, 510, 28, 50], [0.075, 1000, 60, 91],
    [0.1, 255, 17, 35], [0.1, 510, 39, 64], [0.1, 1000, 82, 119],
  ];
  function region(p: number, days: number): [number, number] {
    const kept: number[] = [];
    for (let x = 0; x <= days; x++) if (!kupiecPof(days, x, 1 - p).reject) kept.push(x);
    // the region is an interval
    expect(kept.at(-1)! - kept[0]! + 1).toBe(kept.length);
    return [kept[0]!, kept.at(-1)!];
  }
  test.each(KUPIEC_REGIONS)('Kupiec/Jorion region p=%f, T=%i: %i ≤ N ≤ %i', (p, days, lo, hi) => {
    expect(region(p, days)).toEqual([lo, hi]);
  });
  test('Kupiec/Jorion p = 1 %, T = 255: the table gives N < 7; zero exceptions are also rejected (LR = −510 ln 0.99 = 5.13 > 3.84)', () => {
    expect(region(0.01, 255)).toEqual([1, 6]);
    expect(kupiecPof(255, 0, 0.99).statistic).toBeCloseTo(-510 * Math.log(0.99), 12);
  });
  test('hand-computed corners: x = 0 gives −2n ln(1−p), x = n gives −2n ln p, x = np gives 0', () => {
    expect(kupiecPof(250, 0, 0.99).statistic).toBeCloseTo(-500 * Math.log(0.99), 12);
    expect(kupiecPof(20, 20, 0.95).statistic).toBeCloseTo(-40 * Math.log(0.05), 12);
    expect(kupiecPof(200, 10, 0.95).statistic).toBeLessThan(1e-12);
    expect(kupiecPof(200, 10, 0.95).pValue).toBeCloseTo(1, 12);
  });
  test('Christoffersen by hand: I = 1,1,0,0,0,0,0,0,0,1 → n00 6, n01 1, n10 1, n11 1', () => {
    // π0 = 1/7, π1 = 1/2, π = 2/9: LR_ind = 2[6 ln((6/7)/(7/9)) + ln((1/7)/(2/9)) + ln((1/2)/(7/9)) + ln((1/2)/(2/9))]
    const want = 2 * (6 * Math.log(6 / 7 / (7 / 9)) + Math.log(1 / 7 / (2 / 9)) + Math.log(1 / 2 / (7 / 9)) + Math.log(1 / 2 / (2 / 9)));
    const out = christoffersenTests([1, 1, 0, 0, 0, 0, 0, 0, 0, 1], 0.9);
    expect([out.independence.n00, out.independence.n01, out.independence.n10, out.independence.n11]).toEqual([6, 1, 1, 1]);
    expect(out.independence.statistic).toBeCloseTo(want, 12);
    expect(out.conditionalCoverage.statistic).toBeCloseTo(want + kupiecPof(10, 3, 0.9).statistic, 12);
  });
  test('no exception before the last day (n10 + n11 = 0) or none at all: LR_ind = 0, p = 1', () => {
    for (const flags of [[0, 0, 0, 0, 1], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1]]) {
      const ind = christoffersenTests(flags, 0.99).independence;
      expect([ind.statistic, ind.pValue, ind.reject]).toEqual([0, 1, false]);
    }
  });
});

describe('validation', () => {
  const bad = expect.objectContaining({ code: 'INVALID_INPUT' });
  test('bad inputs are INVALID_INPUT; one day is INSUFFICIENT_DATA', () => {
    expect(() => varExceptions([1, 2], [1])).toThrow(bad);
    expect(() => varExceptions([Number.NaN], [1])).toThrow(bad);
    expect(() => kupiecPof(10, 11, 0.99)).toThrow(bad);
    expect(() => kupiecPof(10, 1.5, 0.99)).toThrow(bad);
    expect(() => kupiecPof(0, 0, 0.99)).toThrow(bad);
    expect(() => kupiecPof(10, 1, 1)).toThrow(bad);
    expect(() => christoffersenTests([0, 2, 0], 0.99)).toThrow(bad);
    expect(() => christoffersenTests([0], 0.99)).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
    expect(() => baselTrafficLight(-1, 250)).toThrow(bad);
    expect(() => backtestVar({ dates: ['a'], pnl: [1, 2], varUsd: [1, 1] }, 0.99)).toThrow(bad);
    expect(() => backtestVar({ dates: ['a', 'b'], pnl: [1, 2], varUsd: [1, 1] }, 0)).toThrow(bad);
  });
  test('a loss exactly equal to the VaR is not an exception; a loss one cent larger is', () => {
    expect([...varExceptions([-100, -100.01, 50], [100, 100, 100])]).toEqual([0, 1, 0]);
  });
});

const dayCount = fc.integer({ min: 2, max: 400 });
const planted = dayCount.chain((n) =>
  fc.record({
    n: fc.constant(n),
    days: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.min(n, 40) }),
    varUsd: fc.array(fc.double({ min: 1, max: 1e7, noNaN: true }), { minLength: n, maxLength: n }),
    slack: fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
    coverage: fc.constantFrom(0.9, 0.95, 0.975, 0.99),
  }),
);

describe('properties', () => {
  ftest.prop([planted], { numRuns: 150 })('a backtest finds exactly the planted exception dates; statistics ≥ 0, p ∈ [0, 1]', (c) => {
    const hit = new Set(c.days);
    const dates = Array.from({ length: c.n }, (_, t) => `d${String(t).padStart(4, '0')}`);
    // planted: a loss beyond the VaR by at least 1 %; elsewhere at or above −VaR (equality included).
    const pnl = c.varUsd.map((v, t) => (hit.has(t) ? -v * (1.01 + c.slack[t]!) : -v + v * c.slack[t]!));
    const r = backtestVar({ dates, pnl, varUsd: c.varUsd }, c.coverage);
    expect(r.exceptionDates).toEqual([...c.days].sort((a, b) => a - b).map((t) => dates[t]));
    expect(r.exceptions).toBe(c.days.length);
    for (const lr of [r.kupiec, r.independence, r.conditionalCoverage]) {
      expect(lr.statistic).toBeGreaterThanOrEqual(0);
      expect(lr.pValue).toBeGreaterThanOrEqual(0);
      expect(lr.pValue).toBeLessThanOrEqual(1);
      expect(lr.reject).toBe(lr.pValue < 0.05);
    }
    const { n00, n01, n10, n11 } = r.independence;
    expect(n00 + n01 + n10 + n11).toBe(c.n - 1);
    expect(r.conditionalCoverage.statistic).toBeCloseTo(r.kupiec.statistic + r.independence.statistic, 9);
    expect(r.basel === null).toBe(c.coverage !== 0.99);
  });
  ftest.prop([fc.integer({ min: 1, max: 2000 }), fc.constantFrom(0.9, 0.95, 0.99)], { numRuns: 60 })(
    'Kupiec LR grows as the count moves away from n·p on either side',
    (n, coverage) => {
      const p = 1 - coverage;
      const stats = Array.from({ length: n + 1 }, (_, x) => kupiecPof(n, x, coverage).statistic);
      for (let x = 1; x <= n; x++) {
        if (x - 1 >= n * p) expect(stats[x]!).toBeGreaterThan(stats[x - 1]!);
        if (x <= n * p) expect(stats[x]!).toBeLessThan(stats[x - 1]!);
      }
    },
  );
  ftest.prop([fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 300 })], { numRuns: 100 })(
    'traffic-light cumulative probability is non-decreasing in the exception count and zones never go back',
    (a, n) => {
      const x = Math.min(a, n);
      const lo = baselTrafficLight(Math.max(0, x - 1), n);
      const hi = baselTrafficLight(x, n);
      expect(hi.cumulativeProbability).toBeGreaterThanOrEqual(lo.cumulativeProbability);
      const rank = { green: 0, yellow: 1, red: 2 };
      expect(rank[hi.zone]).toBeGreaterThanOrEqual(rank[lo.zone]);
    },
  );
});
