import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { annualizedVolatility } from '../../../engines/risk/volatility.ts';
import { historicalPnl } from '../../../engines/risk/historical-pnl.ts';
import { historicalVar } from '../../../engines/risk/historical-var.ts';
import { parametricVar } from '../../../engines/risk/parametric-var.ts';
import { maxDrawdown } from '../../../engines/risk/drawdown.ts';
import { sharpeSortino } from '../../../engines/risk/sharpe-sortino.ts';
import { betaToMarket } from '../../../engines/risk/beta-to-market.ts';
import { sampleCovariance } from '../../../engines/covariance/sample-covariance.ts';
import { fromColumns } from '../../../engines/common/dense-matrix.ts';
import { simpleReturns } from '../../../engines/common/returns.ts';
import { bundledSeries, bundledYields, windowCloses } from '../../helpers/bundled-prices.ts';

// Reference: numpy 2.4.6 / scipy 1.17.1 on the bundled prices (last 252 simple returns ending
// 2026-07-13), test/fixtures/stats-numpy.json from `python3 test/fixtures/gen_stats_numpy.py`.
// Quantiles: np.quantile default (linear). Tolerance 1e-9 relative.
type Hist = Record<'var1d' | 'cvar1d' | 'var10dSqrt' | 'cvar10dSqrt' | 'var10dOverlapping' | 'cvar10dOverlapping', number>;
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/stats-numpy.json'), 'utf8')).risk as {
  symbols: string[]; exposuresUsd: number[]; dates: string[]; pnlUsd: number[];
  historical: Record<string, Hist>;
  parametric: Record<string, { sigmaUsd: number; var1d: number; var10d: number }>;
  volatilityAnnual: Record<string, number>;
  sharpe: { dates: string[]; irxPct: number[] } & Record<'SPY' | 'AAPL', { sharpe: number; sortino: number }>;
  drawdown: Record<string, { depth: number; peakIndex: number; troughIndex: number; recoveryIndex: number | null; n: number }>;
  betaToSpy: { AAPL: number };
};
function expectRel(actual: number | null, expected: number, rel = 1e-9) {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

const w = windowCloses(fx.symbols, 253);
const R = w.closes.map(simpleReturns);
const panel = fromColumns(R);

describe('risk metrics on bundled prices vs numpy', () => {
  test('same window and historical P&L as the fixture', () => {
    expect(w.dates).toEqual(fx.dates);
    const pnl = historicalPnl(panel, fx.exposuresUsd);
    pnl.forEach((v, t) => expectRel(v, fx.pnlUsd[t]!, 1e-12));
  });
  test('annualised volatility (std ddof=1 × √252)', () => {
    fx.symbols.forEach((s, i) => expectRel(annualizedVolatility(R[i]!), fx.volatilityAnnual[s]!));
  });
  test.each(['0.95', '0.99'])('historical VaR / CVaR at %s: 1-day, √10 and overlapping 10-day', (c) => {
    const out = historicalVar(historicalPnl(panel, fx.exposuresUsd), Number(c));
    const want = fx.historical[c]!;
    for (const key of Object.keys(want) as (keyof Hist)[]) expectRel(out[key], want[key]);
  });
  test.each(['0.95', '0.99'])('parametric delta-normal VaR at %s from the sample covariance', (c) => {
    const cov = sampleCovariance(panel, fx.symbols);
    const out = parametricVar({ covariance: cov.matrix, exposuresUsd: fx.exposuresUsd, confidence: Number(c) });
    expectRel(out.sigmaUsd, fx.parametric[c]!.sigmaUsd);
    expectRel(out.var1d, fx.parametric[c]!.var1d);
    expectRel(out.var10d, fx.parametric[c]!.var10d);
  });
  test.each(['SPY', 'AAPL'] as const)('Sharpe and Sortino of %s against ^IRX', (s) => {
    const irx = bundledYields().get('^IRX')!;
    const sw = windowCloses(['SPY', 'AAPL'], 253, '2026-07-13', [irx]);
    expect(sw.dates).toEqual(fx.sharpe.dates);
    const r = simpleReturns(sw.closes[s === 'SPY' ? 0 : 1]!);
    const out = sharpeSortino(r, sw.closes[2]!.subarray(0, 252));
    expectRel(out.sharpe, fx.sharpe[s].sharpe);
    expectRel(out.sortino, fx.sharpe[s].sortino);
  });
  test.each(['SPY', 'AAPL', 'PTON'])('max drawdown of %s over the whole bundled history', (s) => {
    const series = bundledSeries(s);
    const want = fx.drawdown[s]!;
    expect(series.closes.length).toBe(want.n);
    const dd = maxDrawdown(series.closes);
    expectRel(dd.depth, want.depth);
    expect([dd.peakIndex, dd.troughIndex, dd.recoveryIndex]).toEqual([want.peakIndex, want.troughIndex, want.recoveryIndex]);
  });
  test('beta of AAPL to SPY (np.polyfit slope)', () => {
    expectRel(betaToMarket(R[fx.symbols.indexOf('AAPL')]!, R[fx.symbols.indexOf('SPY')]!).beta, fx.betaToSpy.AAPL);
  });
});
