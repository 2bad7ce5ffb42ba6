import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dailyReturnsFromNav, timeWeightedReturn } from '../../../engines/performance/time-weighted.ts';
import { benchmarkRelative, type RelativePerformance } from '../../../engines/performance/benchmark-relative.ts';
import { simpleReturns } from '../../../engines/common/returns.ts';
import { bundledYields, windowCloses } from '../../helpers/bundled-prices.ts';

// Reference: numpy (version in the fixture), test/fixtures/performance-numpy.json from
// `python3 test/fixtures/gen_performance_numpy.py`: a $1m 60/40 QQQ/TLT buy-and-hold book with a
// $50k deposit and a $30k withdrawal, against SPY and AGG, risk-free ^IRX/100/252 of the
// return's start date; the last 252 returns ending 2026-07-13. Tolerance 1e-9 relative.
type Rel = Omit<RelativePerformance, 'upCapture' | 'downCapture'> & { upCapture: number; downCapture: number };
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/performance-numpy.json'), 'utf8')) as {
  versions: Record<string, string>;
  dates: string[]; nav: number[]; flows: number[]; portfolioReturns: number[]; riskFreeDaily: number[];
  benchmarkReturns: Record<'SPY' | 'AGG', number[]>;
  twr: Record<'portfolio' | 'SPY' | 'portfolioLast126' | 'portfolioFirst40', { twr: number; annualized: number; days: number }>;
  relative: Record<'SPY' | 'AGG' | 'SPY_noRf', Rel>;
};
function rel(actual: number | null, expected: number, tol = 1e-9) {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

describe(`performance vs numpy ${fx.versions.numpy} on the bundled prices`, () => {
  test('the fixture benchmark returns and risk-free rates are the bundled SPY/AGG closes and ^IRX', () => {
    const w = windowCloses(['QQQ', 'TLT', 'SPY', 'AGG'], 253, '2026-07-13', [bundledYields().get('^IRX')!]);
    expect(w.dates).toEqual(fx.dates);
    simpleReturns(w.closes[2]!).forEach((r, t) => rel(r, fx.benchmarkReturns.SPY[t]!, 1e-12));
    simpleReturns(w.closes[3]!).forEach((r, t) => rel(r, fx.benchmarkReturns.AGG[t]!, 1e-12));
    fx.riskFreeDaily.forEach((v, t) => rel(w.closes[4]![t]! / 100 / 252, v, 1e-15));
  });
  test('daily returns from NAV with a deposit and a withdrawal', () => {
    const r = dailyReturnsFromNav(fx.nav, fx.flows);
    expect(r.length).toBe(252);
    r.forEach((v, t) => {
      // absolute floor: a NAV ratio carries ~1e-16 relative error, so a return near 0 is known to ~1e-16 absolute
      expect(Math.abs(v - fx.portfolioReturns[t]!)).toBeLessThanOrEqual(1e-9 * Math.abs(fx.portfolioReturns[t]!) + 1e-15);
    });
    // without the flows the deposit day shows as a +4.6 % "return"
    expect(dailyReturnsFromNav(fx.nav)[79]! - r[79]!).toBeCloseTo(50_000 / fx.nav[79]!, 12);
  });
  test.each(['portfolio', 'SPY', 'portfolioLast126', 'portfolioFirst40'] as const)('time-weighted return and annualisation: %s', (k) => {
    const series = k === 'SPY' ? fx.benchmarkReturns.SPY : k === 'portfolioLast126' ? fx.portfolioReturns.slice(-126) : k === 'portfolioFirst40' ? fx.portfolioReturns.slice(0, 40) : fx.portfolioReturns;
    const out = timeWeightedReturn(series);
    expect(out.days).toBe(fx.twr[k].days);
    rel(out.twr, fx.twr[k].twr);
    rel(out.annualized, fx.twr[k].annualized);
  });
  test.each([['SPY', 'SPY', true], ['AGG', 'AGG', true], ['SPY_noRf', 'SPY', false]] as const)('relative to %s', (key, bench, withRf) => {
    const out = benchmarkRelative(fx.portfolioReturns, fx.benchmarkReturns[bench], withRf ? fx.riskFreeDaily : undefined);
    const want = fx.relative[key];
    expect([out.days, out.upDays, out.downDays]).toEqual([want.days, want.upDays, want.downDays]);
    for (const f of ['portfolioTwr', 'benchmarkTwr', 'activeReturn', 'beta', 'alphaAnnual', 'correlation', 'trackingErrorAnnual', 'informationRatio', 'upCapture', 'downCapture'] as const) {
      rel(out[f], want[f]);
    }
  });
});
