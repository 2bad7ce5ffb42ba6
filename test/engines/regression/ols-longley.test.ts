import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { olsFit } from '../../../engines/regression/ols.ts';
import { fromColumns } from '../../../engines/common/dense-matrix.ts';

// Reference: NIST StRD Linear Least Squares, Longley (1967), certified values to 15 digits
// (test/fixtures/reference/nist_longley*.{csv,json}). Acceptance: ≥ 7 significant digits; we
// assert 1e-9 relative (≥ 9 digits).
const REL = 1e-9;
const dir = join(import.meta.dirname, '../../fixtures/reference');
const rows = readFileSync(join(dir, 'nist_longley.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
const cert = JSON.parse(readFileSync(join(dir, 'nist_longley_certified.json'), 'utf8')) as {
  coefficients: number[];
  standard_errors: number[];
  residual_standard_deviation: number;
  r_squared: number;
};
const y = Float64Array.from(rows, (r) => r[0]!);
const x = fromColumns([1, 2, 3, 4, 5, 6].map((j) => Float64Array.from(rows, (r) => r[j]!)));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('OLS by QR on NIST Longley', () => {
  const fit = olsFit(x, y, { minObservations: 16 });
  test('16 observations, 6 regressors + intercept', () => {
    expect(fit.n).toBe(16);
    expect(fit.k).toBe(6);
    expect(fit.dfResidual).toBe(9);
  });
  test('certified coefficients to ≥ 9 significant digits', () => {
    expect(rel(fit.intercept, cert.coefficients[0]!)).toBeLessThan(REL);
    fit.coefficients.forEach((b, j) => expect(rel(b, cert.coefficients[j + 1]!)).toBeLessThan(REL));
  });
  test('certified standard errors', () => {
    expect(rel(fit.interceptStandardError, cert.standard_errors[0]!)).toBeLessThan(REL);
    fit.standardErrors.forEach((se, j) => expect(rel(se, cert.standard_errors[j + 1]!)).toBeLessThan(REL));
  });
  test('certified residual standard deviation and R²', () => {
    expect(rel(fit.residualVolDaily, cert.residual_standard_deviation)).toBeLessThan(REL);
    expect(rel(fit.rSquared, cert.r_squared)).toBeLessThan(REL);
  });
  test('VIFs match the published Longley collinearity diagnostics', () => {
    // Published VIFs (e.g. Belsley, Kuh & Welsch; R car::vif): 135.53, 1788.51, 33.62, 3.59, 399.15, 758.98.
    const published = [135.53, 1788.51, 33.62, 3.59, 399.15, 758.98];
    fit.vif.forEach((v, j) => expect(v).toBeCloseTo(published[j]!, 1));
    expect(fit.conditionNumber).toBeGreaterThan(100);
  });
  test('minimum observations default (60) rejects Longley with INSUFFICIENT_DATA', () => {
    expect(() => olsFit(x, y)).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA' }));
  });
});
