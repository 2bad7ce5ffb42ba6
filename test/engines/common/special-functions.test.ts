import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test as ftest } from '@fast-check/vitest';
import { normInv } from '../../../engines/common/inverse-normal.ts';
import { normCdf, normPdf } from '../../../engines/common/normal.ts';
import { incompleteBeta, lnGamma, studentTTwoSidedP } from '../../../engines/common/student-t.ts';

// Reference: scipy 1.17.1 `norm.ppf` and `2*t.sf(|t|, df)`, test/fixtures/stats-numpy.json (gen_stats_numpy.py).
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/stats-numpy.json'), 'utf8')) as {
  normInv: { p: number[]; x: number[] };
  studentTTwoSided: { t: number; df: number; p: number }[];
};

describe('inverse normal CDF (Acklam + one Halley step)', () => {
  test('matches scipy norm.ppf to 1e-14 relative (absolute near the median)', () => {
    fx.normInv.p.forEach((p, i) => {
      const want = fx.normInv.x[i]!;
      expect(Math.abs(normInv(p) - want)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want)));
    });
  });
  test('classic values: Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.5) = 0', () => {
    expect(normInv(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normInv(0.5)).toBe(0);
  });
  test('p outside (0, 1) is INVALID_INPUT', () => {
    for (const p of [0, 1, -0.1, Number.NaN]) expect(() => normInv(p)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
  // Round trip within its conditioning: an x with relative error ε moves Φ(x) by about φ(x)·|x|·ε,
  // so |Φ(Φ⁻¹(p)) − p| ≤ 8ε·(p + φ(x)|x|) with ε = 2⁻⁵² (near p ≈ 1e-3 that is ≈ 10ε relative to p).
  ftest.prop([fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true })], { numRuns: 200 })('Φ(Φ⁻¹(p)) = p', (p) => {
    const x = normInv(p);
    expect(Math.abs(normCdf(x) - p)).toBeLessThanOrEqual(8 * Number.EPSILON * (p + normPdf(x) * Math.abs(x)));
  });
});

describe('Student t p-values', () => {
  test('match scipy 2·t.sf to 1e-11 relative', () => {
    for (const c of fx.studentTTwoSided) {
      expect(Math.abs(studentTTwoSidedP(c.t, c.df) / c.p - 1)).toBeLessThan(1e-11);
    }
  });
  test('lnGamma(n) = ln((n-1)!) and I_0.5(a, a) = 0.5', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(incompleteBeta(0.5, 3.5, 3.5)).toBeCloseTo(0.5, 14);
    expect(studentTTwoSidedP(0, 10)).toBe(1);
    expect(studentTTwoSidedP(Number.POSITIVE_INFINITY, 10)).toBe(0);
  });
});
