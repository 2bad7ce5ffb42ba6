import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monteCarloVar, type FactorMcInput, type McResult } from '../../../engines/montecarlo/monte-carlo-var.ts';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import type { OptionHolding, RiskBook } from '../../../engines/risk/risk-book.ts';

// References: python3 test/fixtures/gen_montecarlo_scipy.py (numpy 2.4.6, scipy 1.17.1):
// closed forms for linear books (normal and Student-t), the exact quantile and scipy quad CVaR of
// one call driven by one factor, and a 4,000,000-path numpy Monte Carlo of a mixed book.
// Acceptance: the reference lies inside the engine's own 95 % interval (fixed seeds, so each
// check is deterministic), plus width checks so an interval cannot pass by being wide.
type Levels = Record<string, { var: number; cvar: number; varSeOnePath?: number }>;
const fx = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/montecarlo-scipy.json'), 'utf8')) as {
  model: { factors: string[]; covariance: number[]; loadings: Record<string, number[]>; residualVol: Record<string, number>; rateFactor: string };
  linearBook: RiskBook; mixedBook: RiskBook;
  singleCall: { factorVol: number; beta: number; option: OptionHolding };
  linear: Record<string, { horizonDays: number; dof?: number; sigmaUsd: number; levels: Levels }>;
  single: Record<string, { horizonDays: number; innovations: 'normal' | 'student_t'; dof: number | null; levels: Levels }>;
  mixed: Record<string, { horizonDays: number; innovations: 'normal' | 'student_t'; dof: number | null; mean: number; std: number; meanSe: number; levels: Levels }>;
};
const k = fx.model.factors.length;
const model = {
  factors: fx.model.factors, factorCovariance: denseMatrix(Float64Array.from(fx.model.covariance), k, k),
  loadings: new Map(Object.entries(fx.model.loadings)), residualVol: new Map(Object.entries(fx.model.residualVol)), rateFactor: fx.model.rateFactor,
};
const innov = (kind: 'normal' | 'student_t', dof: number | null | undefined): FactorMcInput['innovations'] => (kind === 'normal' ? { kind } : { kind, dof: dof! });
const within = (x: number, [lo, hi]: [number, number]) => {
  expect(x).toBeGreaterThanOrEqual(lo);
  expect(x).toBeLessThanOrEqual(hi);
};
const level = (r: McResult, c: string) => r.levels.find((l) => l.confidence === Number(c))!;
const PATHS = 20_000;

describe('linear book: closed-form VaR/CVaR inside the Monte Carlo intervals', () => {
  test.each(Object.keys(fx.linear))('%s', (key) => {
    const ref = fx.linear[key]!;
    const kind = ref.dof ? 'student_t' : 'normal';
    const out = monteCarloVar({ ...model, book: fx.linearBook, horizonDays: ref.horizonDays, paths: PATHS, seed: 11, innovations: innov(kind, ref.dof) });
    expect(out.factorRoot).toBe('cholesky');
    expect(out.stdPnlUsd / ref.sigmaUsd).toBeGreaterThan(0.97);
    expect(out.stdPnlUsd / ref.sigmaUsd).toBeLessThan(1.03);
    for (const [c, want] of Object.entries(ref.levels)) {
      const got = level(out, c);
      within(want.var, got.varCi95);
      within(want.cvar, got.cvarCi95);
      // the order-statistic interval is about ±1.96 × the asymptotic VaR standard error
      const width = got.varCi95[1] - got.varCi95[0];
      const theory = (2 * 1.959964 * want.varSeOnePath!) / Math.sqrt(PATHS);
      expect(width / theory).toBeGreaterThan(0.6);
      expect(width / theory).toBeLessThan(1.5);
      expect(got.cvarCi95[1] - got.cvarCi95[0]).toBeLessThan(0.12 * want.cvar);
    }
  });
  test('Student-t (ν = 5) CVaR at 99 % exceeds the normal CVaR for the same covariance and seed', () => {
    const run = (innovations: FactorMcInput['innovations']) => level(monteCarloVar({ ...model, book: fx.linearBook, horizonDays: 1, paths: PATHS, seed: 5, innovations }), '0.99');
    const t = run({ kind: 'student_t', dof: 5 });
    const n = run({ kind: 'normal' });
    expect(t.cvarCi95[0]).toBeGreaterThan(n.cvarCi95[1]);
    // closed forms: 66,805.55 vs 51,626.43 USD
    expect(fx.linear.student_t5_h1!.levels['0.99']!.cvar).toBeGreaterThan(fx.linear.normal_h1!.levels['0.99']!.cvar);
  });
});

describe('one call driven by one factor: exact quantile and quadrature CVaR inside the intervals', () => {
  const { factorVol, beta, option } = fx.singleCall;
  const single = {
    book: { linear: [], options: [option] }, factors: ['MKT'], factorCovariance: denseMatrix(Float64Array.of(factorVol ** 2), 1, 1),
    loadings: new Map([[option.source, [beta]]]), residualVol: new Map<string, number>(),
  };
  test.each(Object.keys(fx.single))('%s', (key) => {
    const ref = fx.single[key]!;
    const out = monteCarloVar({ ...single, horizonDays: ref.horizonDays, paths: PATHS, seed: 3, innovations: innov(ref.innovations, ref.dof) });
    for (const [c, want] of Object.entries(ref.levels)) {
      const got = level(out, c);
      within(want.var, got.varCi95);
      within(want.cvar, got.cvarCi95);
      expect(Math.abs(got.varUsd - want.var)).toBeLessThan(0.06 * want.var);
    }
    // one holding: its tail contribution is the whole tail mean
    expect(out.tailContributionUsd[0]!).toBeCloseTo(-level(out, '0.99').cvarUsd, 6);
  });
});

describe('mixed book with options and a rate factor vs a 4,000,000-path numpy Monte Carlo', () => {
  test.each(Object.keys(fx.mixed))('%s, 10-day', (key) => {
    const ref = fx.mixed[key]!;
    const out = monteCarloVar({ ...model, book: fx.mixedBook, horizonDays: ref.horizonDays, paths: PATHS, seed: 2024, innovations: innov(ref.innovations, ref.dof) });
    const se = Math.hypot(out.stdPnlUsd / Math.sqrt(PATHS), ref.meanSe);
    expect(Math.abs(out.meanPnlUsd - ref.mean)).toBeLessThan(4 * se);
    expect(out.stdPnlUsd / ref.std).toBeGreaterThan(0.97);
    expect(out.stdPnlUsd / ref.std).toBeLessThan(1.03);
    for (const [c, want] of Object.entries(ref.levels)) {
      within(want.var, level(out, c).varCi95);
      within(want.cvar, level(out, c).cvarCi95);
    }
  });
});
