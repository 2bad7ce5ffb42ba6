/**
 * The backtest's common-random-numbers Monte Carlo: a linear book's VaR against the closed form
 * z·√(xᵀΣx) (within the order-statistic interval of its quantile), an option book against a
 * direct revaluation of every path with revalueBook, scaling, and refusals.
 */
import { describe, expect, it } from 'vitest';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import { normInv } from '../../../engines/common/inverse-normal.ts';
import { quantileSorted } from '../../../engines/common/quantile.ts';
import { drawNormals, sourceMonteCarloVar } from '../../../engines/montecarlo/source-monte-carlo.ts';
import { revalueBook, type RiskBook } from '../../../engines/risk/risk-book.ts';

// Daily covariance of two sources: vols 1.2 % and 2 %, correlation 0.6.
const COV = denseMatrix(Float64Array.of(1.44e-4, 0.6 * 0.012 * 0.02, 0.6 * 0.012 * 0.02, 4e-4), 2, 2);
const SOURCES = ['AAA', 'BBB'];
const linear: RiskBook = { linear: [{ id: 'a', source: 'AAA', valueUsd: 1e6 }, { id: 'b', source: 'BBB', valueUsd: -4e5 }], options: [] };

describe('sourceMonteCarloVar', () => {
  it('matches the closed-form VaR of a linear normal book within the quantile interval', () => {
    const paths = 20_000;
    const draws = drawNormals(paths, 2, 7);
    const [v95, v99] = sourceMonteCarloVar({ book: linear, sources: SOURCES, covariance: COV, draws, confidences: [0.95, 0.99] });
    const sigma = Math.sqrt(1e12 * 1.44e-4 + 1.6e11 * 4e-4 - 2 * 1e6 * 4e5 * 0.6 * 0.012 * 0.02);
    for (const [c, v] of [[0.95, v95!], [0.99, v99!]] as const) {
      const exact = normInv(c) * sigma;
      // Standard error of the sample quantile: √(p(1−p)/n) / φ(z).
      const phi = Math.exp(-0.5 * normInv(c) ** 2) / Math.sqrt(2 * Math.PI);
      const se = (Math.sqrt((c * (1 - c)) / paths) / phi) * sigma;
      expect(Math.abs(v - exact)).toBeLessThan(4 * se);
    }
    // Ten days: √10 × the 1-day figure from the same draws.
    const [t99] = sourceMonteCarloVar({ book: linear, sources: SOURCES, covariance: COV, draws, confidences: [0.99], horizonDays: 10 });
    expect(t99).toBeCloseTo(v99! * Math.sqrt(10), 6);
  });

  it('reprices options on every path exactly as revalueBook does', () => {
    const book: RiskBook = {
      linear: [{ id: 'a', source: 'AAA', valueUsd: 2e5 }],
      options: [
        { id: 'c', source: 'AAA', right: 'call', spot: 100, strike: 105, tenorYears: 0.25, rateCont: 0.04, volAnnual: 0.3, sharesSigned: -500 },
        { id: 'p', source: 'BBB', right: 'put', spot: 50, strike: 48, tenorYears: 0.5, rateCont: 0.04, volAnnual: 0.45, dividendYield: 0.01, sharesSigned: 1000 },
      ],
    };
    const paths = 500;
    const draws = drawNormals(paths, 2, 11);
    const got = sourceMonteCarloVar({ book, sources: SOURCES, covariance: COV, draws, confidences: [0.9, 0.99] });
    // Independent path: A = Cholesky by hand, r = A z, P&L = revalueBook with one day of decay.
    const l11 = 0.012, l21 = 0.6 * 0.02, l22 = 0.02 * Math.sqrt(1 - 0.36);
    const pnl = Float64Array.from({ length: paths }, (_, p) => {
      const z1 = draws.z[p * 2]!, z2 = draws.z[p * 2 + 1]!;
      return revalueBook(book, { returns: new Map([['AAA', l11 * z1], ['BBB', l21 * z1 + l22 * z2]]), dtYears: 1 / 252 }).totalUsd;
    }).sort();
    expect(got[0]).toBeCloseTo(-quantileSorted(pnl, 0.1), 6);
    expect(got[1]).toBeCloseTo(-quantileSorted(pnl, 0.01), 6);
  });

  it('scales linearly with the book and is reproducible from the seed', () => {
    const draws = drawNormals(1000, 4, 3);
    const base = sourceMonteCarloVar({ book: linear, sources: SOURCES, covariance: COV, draws, confidences: [0.99] })[0]!;
    const doubled = { linear: linear.linear.map((h) => ({ ...h, valueUsd: h.valueUsd * 2.5 })), options: [] };
    expect(sourceMonteCarloVar({ book: doubled, sources: SOURCES, covariance: COV, draws, confidences: [0.99] })[0]).toBeCloseTo(base * 2.5, 6);
    expect(sourceMonteCarloVar({ book: linear, sources: SOURCES, covariance: COV, draws: drawNormals(1000, 4, 3), confidences: [0.99] })[0]).toBe(base);
  });

  it('refuses unknown sources, too few draws and bad confidences', () => {
    const draws = drawNormals(100, 2, 1);
    expect(() => sourceMonteCarloVar({ book: { linear: [{ id: 'x', source: 'ZZZ', valueUsd: 1 }], options: [] }, sources: SOURCES, covariance: COV, draws, confidences: [0.99] })).toThrow(/not among the sources/);
    expect(() => sourceMonteCarloVar({ book: linear, sources: [...SOURCES, 'CCC'], covariance: COV, draws, confidences: [0.99] })).toThrow(/draws for 2/);
    expect(() => sourceMonteCarloVar({ book: linear, sources: SOURCES, covariance: COV, draws, confidences: [1] })).toThrow(/confidence/);
    expect(() => drawNormals(10, 2, 1)).toThrow(/paths/);
  });
});
