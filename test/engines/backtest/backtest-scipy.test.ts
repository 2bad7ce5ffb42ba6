import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kupiecPof } from '../../../engines/backtest/kupiec.ts';
import { christoffersenTests } from '../../../engines/backtest/christoffersen.ts';
import { baselTrafficLight } from '../../../engines/backtest/basel.ts';
import { backtestVar } from '../../../engines/backtest/var-backtest.ts';
import { historicalVar } from '../../../engines/risk/historical-var.ts';
import { simpleReturns } from '../../../engines/common/returns.ts';
import { windowCloses } from '../../helpers/bundled-prices.ts';

// Reference: numpy/scipy (versions in the fixture) with the formulas of Kupiec (1995),
// Christoffersen (1998) and the Basel Committee (1996) written independently in
// test/fixtures/gen_backtest_scipy.py (scipy.special.xlogy for 0·ln 0, chi2.sf, binom.cdf);
// test/fixtures/backtest-scipy.json. Tolerance: 1e-9 relative, with an absolute floor of 1e-12
// for statistics that are 0 up to rounding (x/n = p exactly, where the reference's difference of
// two log-likelihoods leaves a residue of order 1e-14).
interface Lr { statistic: number; pValue: number }
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/backtest-scipy.json'), 'utf8')) as {
  kupiec: (Lr & { n: number; x: number; coverage: number; expected: number; observedRate: number })[];
  christoffersen: { flags: number[]; coverage: number; counts: number[]; independence: Lr; conditionalCoverage: Lr }[];
  basel: { x: number; n: number; coverage: number; cumulativeProbability: number; zone: string }[];
  backtests: Record<string, {
    dates: string[]; pnl: number[]; varUsd: number[];
    report: {
      days: number; exceptions: number; expected: number; exceptionDates: string[]; counts: number[];
      kupiec: Lr; independence: Lr; conditionalCoverage: Lr; basel?: { zone: string; cumulativeProbability: number };
    };
  }>;
};

function close(actual: number, expected: number, rel = 1e-9, abs = 1e-12) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + abs);
}
function closeLr(actual: Lr & { reject: boolean; df: number }, want: Lr, df: number) {
  expect(actual.df).toBe(df);
  close(actual.statistic, want.statistic);
  close(actual.pValue, want.pValue);
  expect(actual.reject).toBe(want.pValue < 0.05);
}

describe('Kupiec POF vs scipy', () => {
  test.each(fx.kupiec.map((c) => [c.n, c.x, c.coverage, c] as const))('n=%i x=%i coverage=%f', (n, x, coverage, want) => {
    const k = kupiecPof(n, x, coverage);
    closeLr(k, want, 1);
    close(k.expected, want.expected, 1e-12, 0);
    expect(k.observedRate).toBe(want.observedRate);
  });
});

describe('Christoffersen independence and conditional coverage vs scipy', () => {
  test.each(fx.christoffersen.map((c, i) => [i, c.flags.length, c] as const))('planted sequence %i (T=%i)', (_i, _t, c) => {
    const out = christoffersenTests(c.flags, c.coverage);
    const { n00, n01, n10, n11 } = out.independence;
    expect([n00, n01, n10, n11]).toEqual(c.counts);
    closeLr(out.independence, c.independence, 1);
    closeLr(out.conditionalCoverage, c.conditionalCoverage, 2);
  });
});

describe('Basel traffic-light zones vs scipy binom.cdf', () => {
  test('cumulative probability and zone for 0..30 exceptions, n ∈ {100, 250, 500, 1000}, coverage ∈ {0.95, 0.975, 0.99}', () => {
    for (const c of fx.basel) {
      const out = baselTrafficLight(c.x, c.n, c.coverage);
      close(out.cumulativeProbability, c.cumulativeProbability);
      expect(out.zone).toBe(c.zone);
      expect(out.plusFactor === null).toBe(!(c.n === 250 && c.coverage === 0.99));
    }
  });
});

describe('backtest of a rolling 250-day historical VaR of $1m SPY (last 250 days to 2026-07-13)', () => {
  const w = windowCloses(['SPY'], 501);
  const pnlAll = simpleReturns(w.closes[0]!).map((r) => 1e6 * r);
  test.each(['0.99', '0.95'])('inputs rebuilt from the bundled prices and historicalVar match the fixture at %s', (c) => {
    const b = fx.backtests[c]!;
    expect(w.dates.slice(251)).toEqual(b.dates);
    for (let t = 0; t < 250; t++) {
      close(pnlAll[250 + t]!, b.pnl[t]!, 1e-12, 1e-9);
      close(historicalVar(pnlAll.subarray(t, t + 250), Number(c)).var1d, b.varUsd[t]!, 1e-12, 1e-9);
    }
  });
  test.each(['0.99', '0.95'])('report at %s', (c) => {
    const b = fx.backtests[c]!;
    const r = backtestVar({ dates: b.dates, pnl: b.pnl, varUsd: b.varUsd }, Number(c));
    const want = b.report;
    expect([r.coverage, r.days, r.exceptions]).toEqual([Number(c), want.days, want.exceptions]);
    close(r.expected, want.expected, 1e-12, 0);
    expect(r.exceptionDates).toEqual(want.exceptionDates);
    closeLr(r.kupiec, want.kupiec, 1);
    expect([r.independence.n00, r.independence.n01, r.independence.n10, r.independence.n11]).toEqual(want.counts);
    closeLr(r.independence, want.independence, 1);
    closeLr(r.conditionalCoverage, want.conditionalCoverage, 2);
    if (want.basel) {
      expect(r.basel?.zone).toBe(want.basel.zone);
      close(r.basel!.cumulativeProbability, want.basel.cumulativeProbability);
      expect(r.basel!.plusFactor).toBe(0);
    } else {
      expect(r.basel).toBeNull();
    }
  });
});
