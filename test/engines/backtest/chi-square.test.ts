import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test as ftest } from '@fast-check/vitest';
import { chiSquareSf, gammaQ } from '../../../engines/common/chi-square.ts';
import { erfc } from '../../../engines/common/normal.ts';

// Reference: scipy.stats.chi2.sf (versions in the fixture), test/fixtures/backtest-scipy.json
// from `python3 test/fixtures/gen_backtest_scipy.py`.
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/backtest-scipy.json'), 'utf8')) as {
  versions: Record<string, string>;
  chi2Sf: { x: number; df: number; sf: number }[];
};

describe('chi-square upper tail', () => {
  test(`matches scipy ${fx.versions.scipy} chi2.sf for df 1..10, x up to 200, to 1e-12 relative`, () => {
    expect(fx.chi2Sf.length).toBe(170);
    let worst = 0;
    for (const c of fx.chi2Sf) {
      const rel = Math.abs(chiSquareSf(c.x, c.df) / c.sf - 1);
      worst = Math.max(worst, rel);
    }
    expect(worst).toBeLessThan(1e-12);
  });
  test('textbook critical values: χ²₁ 3.841458820694124 and χ²₂ 5.991464547107979 are the 95 % points (Abramowitz & Stegun 26.4)', () => {
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 14);
    expect(chiSquareSf(5.991464547107979, 2)).toBeCloseTo(0.05, 14);
    expect(chiSquareSf(6.634896601021214, 1)).toBeCloseTo(0.01, 14);
  });
  test('closed forms: df 2 is exp(−x/2); df 1 is erfc(√(x/2)); Q(1, x) = e^{−x}', () => {
    for (const x of [0.01, 0.7, 3, 12, 80]) {
      expect(Math.abs(chiSquareSf(x, 2) / Math.exp(-x / 2) - 1)).toBeLessThan(1e-13);
      expect(Math.abs(chiSquareSf(x, 1) / erfc(Math.sqrt(x / 2)) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(gammaQ(1, x) / Math.exp(-x) - 1)).toBeLessThan(1e-13);
    }
  });
  test('corners: x ≤ 0 gives 1, x = ∞ gives 0; df ≤ 0 and NaN are INVALID_INPUT', () => {
    expect(chiSquareSf(0, 1)).toBe(1);
    expect(chiSquareSf(-3, 4)).toBe(1);
    expect(chiSquareSf(Infinity, 3)).toBe(0);
    for (const [x, df] of [[1, 0], [1, -1], [Number.NaN, 1], [1, Number.NaN]] as const) {
      expect(() => chiSquareSf(x, df)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
  ftest.prop([fc.double({ min: 0, max: 300, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), fc.integer({ min: 1, max: 10 })], { numRuns: 200 })(
    'in [0, 1] and non-increasing in x',
    (x, dx, df) => {
      const a = chiSquareSf(x, df);
      const b = chiSquareSf(x + dx, df);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(1);
      expect(b).toBeLessThanOrEqual(a * (1 + 1e-14));
    },
  );
});
