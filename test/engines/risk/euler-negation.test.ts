/**
 * Negation properties of the Euler contributions (fast-check). Volatility and VaR are even in the
 * book (σ(−x) = σ(x)), so negating the WHOLE book flips every marginal and leaves every component
 * where it was; inside one book, a position and its exact negation on the same source have
 * opposite components (the hedge takes back exactly what the position adds), and together they
 * contribute nothing. Historical component ES of a book plus a mirrored copy of one holding: the
 * copy's component is the opposite of the holding's.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import { historicalComponentEs } from '../../../engines/risk/component-es.ts';
import { parametricContributions } from '../../../engines/risk/euler-contributions.ts';

/** A random 3×3 covariance A Aᵀ (daily-return scale) from a lower-triangular A. */
const entry = fc.double({ min: -0.02, max: 0.02, noNaN: true });
const covariance = fc.tuple(entry, entry, entry, entry, entry, entry).map(([a, b, c, d, e, f]) => {
  const A = [0.01 + Math.abs(a), 0, 0, b, 0.01 + Math.abs(c), 0, d, e, 0.01 + Math.abs(f)];
  const S = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) S[i * 3 + j]! += A[i * 3 + k]! * A[j * 3 + k]!;
  return denseMatrix(S, 3, 3);
});
const exposures = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => Math.abs(x) > 1), { minLength: 3, maxLength: 6 });

describe('Euler contributions under negation', () => {
  test.prop([covariance, exposures])('negating the whole book flips the marginals and keeps the components', (cov, x) => {
    const sourceIndex = x.map((_, i) => i % 3);
    const a = parametricContributions({ covariance: cov, exposuresUsd: x, sourceIndex, confidence: 0.99 });
    const b = parametricContributions({ covariance: cov, exposuresUsd: x.map((v) => -v), sourceIndex, confidence: 0.99 });
    expect(b.volUsd).toBeCloseTo(a.volUsd, 6);
    a.marginalVol.forEach((m, i) => expect(b.marginalVol[i]!).toBeCloseTo(-m, 9));
    a.componentVar.forEach((c, i) => expect(b.componentVar[i]!).toBeCloseTo(c, 4));
  });

  test.prop([covariance, exposures, fc.nat({ max: 5 })])('a position and its negation in the same book have opposite components', (cov, x, pick) => {
    const i = pick % x.length;
    const book = [...x, -x[i]!];
    const sourceIndex = book.map((_, j) => (j === x.length ? i % 3 : j % 3));
    const r = parametricContributions({ covariance: cov, exposuresUsd: book, sourceIndex, confidence: 0.99 });
    expect(r.componentVar[x.length]!).toBeCloseTo(-r.componentVar[i]!, 6);
    expect(r.componentVol[x.length]! + r.componentVol[i]!).toBeCloseTo(0, 6);
  });

  test.prop([fc.array(fc.double({ min: -5e4, max: 5e4, noNaN: true }), { minLength: 60, maxLength: 60 }), fc.array(fc.double({ min: -5e4, max: 5e4, noNaN: true }), { minLength: 60, maxLength: 60 })])(
    'historical component ES: a mirrored copy of a holding has the opposite component',
    (h1, h2) => {
      // Three holdings per scenario: h1, h2 and −h1.
      const pnl = new Float64Array(60 * 3);
      for (let t = 0; t < 60; t++) pnl.set([h1[t]!, h2[t]!, -h1[t]!], t * 3);
      const r = historicalComponentEs(denseMatrix(pnl, 60, 3), 0.95);
      expect(r.componentEs[2]!).toBeCloseTo(-r.componentEs[0]!, 6);
      expect(r.componentEs[0]! + r.componentEs[1]! + r.componentEs[2]!).toBeCloseTo(r.esUsd, 4);
    },
  );
});
