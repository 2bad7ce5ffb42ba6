import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { olsFit } from '../../../engines/regression/ols.ts';
import { batchFactorBetas } from '../../../engines/regression/batch-factor-betas.ts';
import { orthogonalizedStyleDesign } from '../../../engines/regression/style-factors.ts';
import { independentFactorBetas } from '../../../engines/regression/independent-betas.ts';
import { rateBeta } from '../../../engines/regression/rate-beta.ts';
import { fromColumns } from '../../../engines/common/dense-matrix.ts';
import { simpleReturns } from '../../../engines/common/returns.ts';
import { bundledYields, windowCloses } from '../../helpers/bundled-prices.ts';

// Reference: numpy 2.4.6 `linalg.lstsq` (SVD, independent of our QR) + scipy 1.17.1 on the bundled
// prices, last 252 simple returns ending 2026-07-13 — test/fixtures/stats-numpy.json, produced by
// `python3 test/fixtures/gen_stats_numpy.py`. Tolerance: 1e-9 relative (the acceptance).
interface OlsFx {
  intercept: number; coefficients: number[]; interceptStandardError: number; standardErrors: number[]; tStats: number[];
  pValues: number[]; rSquared: number; adjRSquared: number; residualVolDaily: number; residualVolAnnual: number;
  conditionNumber: number; vif: number[];
}
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/stats-numpy.json'), 'utf8')).regression as {
  factors: string[]; dates: string[]; raw: Record<string, OlsFx>; style: Record<string, OlsFx>;
  univariate: Record<string, Record<string, OlsFx>>; rateBeta: OlsFx;
};
const REL = 1e-9;
function expectRel(actual: number, expected: number, rel = REL) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-15);
}
function expectFit(fit: ReturnType<typeof olsFit>, want: OlsFx) {
  expectRel(fit.intercept, want.intercept);
  expectRel(fit.interceptStandardError, want.interceptStandardError);
  fit.coefficients.forEach((b, j) => expectRel(b, want.coefficients[j]!));
  fit.standardErrors.forEach((b, j) => expectRel(b, want.standardErrors[j]!));
  fit.tStats.forEach((b, j) => expectRel(b, want.tStats[j]!));
  fit.pValues.forEach((b, j) => expectRel(b, want.pValues[j]!, 1e-8));
  expectRel(fit.rSquared, want.rSquared);
  expectRel(fit.adjRSquared, want.adjRSquared);
  expectRel(fit.residualVolDaily, want.residualVolDaily);
  expectRel(fit.residualVolAnnual, want.residualVolAnnual);
  expectRel(fit.conditionNumber, want.conditionNumber);
  fit.vif.forEach((v, j) => expectRel(v, want.vif[j]!));
}

const stocks = ['AAPL', 'XOM', 'JPM', 'NVDA'];
const w = windowCloses([...stocks, ...fx.factors], 253);
const R = w.closes.map(simpleReturns);
const etf = Object.fromEntries(fx.factors.map((f, i) => [f, R[stocks.length + i]!])) as Record<string, Float64Array>;
const design = fromColumns(fx.factors.map((f) => etf[f]!));

describe('factor betas on bundled prices vs numpy', () => {
  test('window is the same 253 dates as the fixture', () => {
    expect(w.dates).toEqual(fx.dates);
  });
  test.each(stocks)('%s on the 7 raw factor ETFs (multivariate OLS)', (s) => {
    expectFit(olsFit(design, R[stocks.indexOf(s)]!), fx.raw[s]!);
  });
  test.each(stocks)('%s on the orthogonalised style design (SPY + spreads)', (s) => {
    const { design: d, names } = orthogonalizedStyleDesign(etf as never);
    expect(names[0]).toBe('Market');
    expectFit(olsFit(d, R[stocks.indexOf(s)]!), fx.style[s]!);
  });
  test('batched betas (one QR) reproduce the numpy fits for all four stocks', () => {
    const flat = new Float64Array(4 * 252);
    stocks.forEach((_, p) => flat.set(R[p]!, p * 252));
    const b = batchFactorBetas({ factors: design, returns: flat, positions: 4 });
    stocks.forEach((s, p) => {
      for (let j = 0; j < 7; j++) {
        expectRel(b.betas[p * 7 + j]!, fx.raw[s]!.coefficients[j]!);
        expectRel(b.standardErrors[p * 7 + j]!, fx.raw[s]!.standardErrors[j]!, 1e-8);
      }
      expectRel(b.rSquared[p]!, fx.raw[s]!.rSquared);
      expectRel(b.intercepts[p]!, fx.raw[s]!.intercept, 1e-8);
    });
    expectRel(b.conditionNumber, fx.raw.AAPL!.conditionNumber);
  });
  test('compatibility mode: univariate per ETF, labelled non-additive', () => {
    const out = independentFactorBetas(R[0]!, fx.factors.map((f) => ({ name: f, returns: etf[f]! })));
    expect(out.label).toBe('independent, non-additive');
    out.betas.forEach((b) => {
      const want = fx.univariate.AAPL![b.factor]!;
      expectRel(b.beta, want.coefficients[0]!);
      expectRel(b.betaStandardError, want.standardErrors[0]!);
      expectRel(b.rSquared, want.rSquared);
      expectRel(b.alpha, want.intercept);
    });
  });
  test('rate beta: TLT on Δ^TNX in bp (β per +1 bp) matches numpy', () => {
    const tnx = bundledYields().get('^TNX')!;
    const rw = windowCloses(['TLT'], 253, '2026-07-13', [tnx]);
    const r = rateBeta(simpleReturns(rw.closes[0]!), rw.closes[1]!);
    expectRel(r.beta, fx.rateBeta.coefficients[0]!);
    expectRel(r.betaStandardError, fx.rateBeta.standardErrors[0]!);
    expectRel(r.rSquared, fx.rateBeta.rSquared);
    // a long-duration bond ETF loses on rising yields: ≈ −0.13 % per bp
    expect(r.beta).toBeLessThan(-0.0005);
    expect(() => rateBeta(new Float64Array(100), new Float64Array(100))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
