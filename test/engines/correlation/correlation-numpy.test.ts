import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { correlationMatrix } from '../../../engines/correlation/correlation-matrix.ts';
import { correlationPairs } from '../../../engines/correlation/correlation-pairs.ts';
import { pearson } from '../../../engines/correlation/pearson.ts';
import { correlationClusters } from '../../../engines/correlation/clustering.ts';
import { diversification } from '../../../engines/correlation/diversification.ts';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import { logReturns } from '../../../engines/common/returns.ts';
import { windowCloses } from '../../helpers/bundled-prices.ts';

// Reference: numpy 2.4.6 `np.corrcoef`, scipy 1.17.1 `stats.pearsonr` and
// `cluster.hierarchy.linkage(method='average')` + `fcluster(criterion='distance')`, and
// `sparse.csgraph.connected_components`, on log returns of 12 bundled symbols over the last 252
// returns ending 2026-07-13 (test/fixtures/stats-numpy.json, `python3 test/fixtures/gen_stats_numpy.py`).
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/stats-numpy.json'), 'utf8')).correlation as {
  symbols: string[]; dates: string[]; matrix: number[]; pValues: number[]; weights: number[];
  diversificationScore: number; effectiveN: number;
  clusters: Record<string, { hierarchicalAverage: string[][]; components: string[][] }>;
  pairwiseMasked: { n: number; rho: number; pValue: number };
};
const expectRel = (a: number | null, b: number, rel = 1e-9) => {
  expect(a).not.toBeNull();
  expect(Math.abs(a! - b)).toBeLessThanOrEqual(rel * Math.abs(b) + 1e-15);
};
const w = windowCloses(fx.symbols, 253);
const L = w.closes.map(logReturns);
const m = fx.symbols.length;
const panel = new Float64Array(m * 252);
L.forEach((r, i) => panel.set(r, i * 252));
const cm = correlationMatrix(denseMatrix(panel, m, 252), fx.symbols);

describe('correlations on bundled prices vs numpy/scipy', () => {
  test('fast-path matrix equals np.corrcoef to 1e-9 relative', () => {
    expect(w.dates).toEqual(fx.dates);
    expect(cm.fastPath).toBe(true);
    cm.rho.forEach((v, i) => expectRel(v, fx.matrix[i]!));
  });
  test('p-values from the same aligned sample equal scipy pearsonr', () => {
    for (const p of correlationPairs(cm)) {
      const i = fx.symbols.indexOf(p.a);
      const j = fx.symbols.indexOf(p.b);
      expect(p.n).toBe(252);
      expectRel(p.pValue, fx.pValues[i * m + j]!, 1e-7);
    }
  });
  test('pairwise path: AAPL missing every 7th return (t % 7 == 3) vs MSFT, aligned by date', () => {
    const a = Float64Array.from(L[0]!, (v, t) => (t % 7 === 3 ? Number.NaN : v));
    const p = pearson(a, L[1]!);
    expect(p.n).toBe(fx.pairwiseMasked.n);
    expectRel(p.rho, fx.pairwiseMasked.rho);
    expectRel(p.pValue, fx.pairwiseMasked.pValue, 1e-7);
    const withGap = Float64Array.from(panel);
    withGap.set(a, 0);
    const slow = correlationMatrix(denseMatrix(withGap, m, 252), fx.symbols);
    expect(slow.fastPath).toBe(false);
    expectRel(slow.rho[1]!, fx.pairwiseMasked.rho);
    expect(slow.overlap[1]).toBe(fx.pairwiseMasked.n);
    expectRel(slow.rho[2 * m + 3]!, fx.matrix[2 * m + 3]!); // untouched pairs unchanged
  });
  test('diversification score and effective N with aligned weights', () => {
    const d = diversification(cm.rho, fx.weights);
    expectRel(d.diversificationScore, fx.diversificationScore);
    expectRel(d.effectivePositions, fx.effectiveN);
  });
  test.each(['0.7', '0.5'])('clusters at |ρ| ≥ %s: average linkage matches scipy, union-find matches connected_components', (th) => {
    const c = correlationClusters(cm.rho, fx.symbols, Number(th));
    const multi = (g: string[][]) => g.filter((x) => x.length >= 2).map((x) => [...x].sort()).sort();
    expect(c.hierarchical.map((x) => [...x.members].sort()).sort()).toEqual(multi(fx.clusters[th]!.hierarchicalAverage));
    expect(c.components.map((x) => [...x.members].sort()).sort()).toEqual(multi(fx.clusters[th]!.components));
  });
});
