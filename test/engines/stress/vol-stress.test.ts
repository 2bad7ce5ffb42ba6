import { readFileSync } from 'node:fs';
import { fc, test as ptest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { activeStressScenarios } from '../../../engines/stress/catalogue.ts';
import { optionStressRows, type OptionStressMethod, type StressOptionPosition } from '../../../engines/stress/option-stress.ts';
import { runStressScenario } from '../../../engines/stress/stress-scenario.ts';
import { CATALOGUE_VIX_SHOCKS, shiftedVol } from '../../../engines/stress/vol-shock.ts';

// Reference: test/fixtures/vol-stress-scipy.json, produced by `python3 test/fixtures/gen_vol_stress_scipy.py`
// (Python 3.11.7, numpy 2.4.6, scipy 1.17.1; BSM with scipy.stats.norm). Tolerance 1e-9 relative
// (1e-9 USD absolute for values that are 0 to the last digit, e.g. deep OTM puts).
type Row = { id: string; deltaAdjustedUsd: number; underlyingReturn: number; volShiftPoints: number; shiftedVol: number; linearPnlUsd: number; vegaPnlUsd: number; fullPnlUsd: number };
const fx = JSON.parse(readFileSync(new URL('../../fixtures/vol-stress-scipy.json', import.meta.url), 'utf8')) as {
  positions: StressOptionPosition[]; cases: Array<{ scenario: string; moves: Record<string, number>; vixShock: number; rows: Row[] }>;
};
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.max(1e-9 * Math.abs(b), 1e-9));
const pf = { navUsd: 1e6, longValueUsd: 1e6, shortValueUsd: 0 };

describe('VIX shock → implied vol: σ\' = σ (1 + v)', () => {
  test('hand values: VIX +150 % takes 25 % to 62.5 %; −50 % takes 40 % to 20 %; v = 0 leaves σ', () => {
    expect(shiftedVol(0.25, 1.5)).toBeCloseTo(0.625, 15);
    expect(shiftedVol(0.4, -0.5)).toBeCloseTo(0.2, 15);
    expect(shiftedVol(0.3, 0)).toBe(0.3);
    expect(() => shiftedVol(0.3, -1.01)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
  test('the catalogue gives vix_spike_150 its stated +150 % and liquidity_crisis none', () => {
    const cat = activeStressScenarios(JSON.parse(readFileSync(new URL('../../../db/seed/reference/stress-scenarios.json', import.meta.url), 'utf8')));
    expect(cat.find((s) => s.id === 'vix_spike_150')?.volShock).toBe(1.5);
    expect(cat.find((s) => s.id === 'liquidity_crisis')?.volShock).toBeUndefined();
    expect(cat.filter((s) => s.volShock !== undefined).map((s) => s.id)).toEqual(Object.keys(CATALOGUE_VIX_SHOCKS));
  });
});

describe('option rows vs the scipy fixture', () => {
  test.each(fx.cases.map((c) => [c.scenario, c] as const))('%s', (_s, c) => {
    const moves = new Map(Object.entries(c.moves));
    const vega = optionStressRows(fx.positions, moves, c.vixShock, 'delta_vega');
    const full = optionStressRows(fx.positions, moves, c.vixShock, 'full_revaluation');
    const delta = optionStressRows(fx.positions, moves, c.vixShock, 'delta');
    c.rows.forEach((e, i) => {
      close(vega[i]!.underlyingReturn, e.underlyingReturn);
      close(vega[i]!.volShiftPoints, e.volShiftPoints);
      close(vega[i]!.linearPnlUsd, e.linearPnlUsd);
      close(vega[i]!.vegaPnlUsd, e.vegaPnlUsd);
      close(vega[i]!.adjustmentPnlUsd, e.vegaPnlUsd);
      close(full[i]!.linearPnlUsd + full[i]!.adjustmentPnlUsd, e.fullPnlUsd);
      expect(delta[i]!.adjustmentPnlUsd).toBe(0);
    });
  });
});

describe('hand-computed vega P&L', () => {
  test('Hull 19.6 (S 49, K 50, r 5 %, σ 20 %, T 20/52; vega 12.1 per unit vol): 1 long call, VIX +50 % → +10 vol points ≈ +$121', () => {
    const p: StressOptionPosition = { id: 'c', positionType: 'LC', quantity: 1, spot: 49, strike: 50, tenorYears: 20 / 52, rateCont: 0.05, volAnnual: 0.2, underlyingBetas: {} };
    const [r] = optionStressRows([p], new Map(), 0.5, 'delta_vega');
    expect(r!.volShiftPoints).toBeCloseTo(10, 12);
    expect(Math.abs(r!.vegaPnlUsd - 121)).toBeLessThanOrEqual(0.121); // printed vega 12.1 → 0.121/pt × 100 × 10, to 1e-3
  });
  test('ATM call S = K = 100, T 0.25, r 5 %, σ 20 %: d1 = 0.175, φ(d1) = 0.392881, vega/pt = 0.196441; 10 contracts × −10 pts = −1,964.41', () => {
    const p: StressOptionPosition = { id: 'c', positionType: 'LC', quantity: 10, spot: 100, strike: 100, tenorYears: 0.25, rateCont: 0.05, volAnnual: 0.2, underlyingBetas: {} };
    expect(optionStressRows([p], new Map(), -0.5, 'delta_vega')[0]!.vegaPnlUsd).toBeCloseTo(-1964.41, 1);
  });
  test('at expiry (T = 0) a vol shock moves nothing; full revaluation is the intrinsic change minus the linear part', () => {
    const p: StressOptionPosition = { id: 'c', positionType: 'LC', quantity: 1, spot: 110, strike: 100, tenorYears: 0, rateCont: 0.05, volAnnual: 0.3, underlyingBetas: { Market: 1 } };
    const [v] = optionStressRows([p], new Map([['Market', -0.2]]), 1.5, 'delta_vega');
    const [f] = optionStressRows([p], new Map([['Market', -0.2]]), 1.5, 'full_revaluation');
    expect(v!.vegaPnlUsd).toBe(0);
    // Δ = 1 (ITM at expiry): linear = 1 × 100 × 110 × −0.2 = −2,200; S' = 88 < K: value 10 → 0, full = −1,000.
    expect(f!.linearPnlUsd).toBeCloseTo(-2200, 9);
    expect(f!.linearPnlUsd + f!.adjustmentPnlUsd).toBeCloseTo(-1000, 9);
  });
});

describe('volatility scenarios in the stress run', () => {
  const vix = fx.cases.find((c) => c.scenario === 'vix_spike_150')!;
  const cat = activeStressScenarios(JSON.parse(readFileSync(new URL('../../../db/seed/reference/stress-scenarios.json', import.meta.url), 'utf8')));
  const scn = cat.find((s) => s.id === 'vix_spike_150')!;
  const book = [
    { id: 'SPY', factorExposuresUsd: { Market: 200_000 } },
    ...fx.positions.map((p, i) => ({ id: p.id, factorExposuresUsd: Object.fromEntries(Object.entries(p.underlyingBetas).map(([f, b]) => [f, vix.rows[i]!.deltaAdjustedUsd * b])) })),
  ];
  const sum = (k: keyof Row) => vix.rows.reduce((a, r) => a + (r[k] as number), 0);
  test.each<[OptionStressMethod, number]>([['delta', 0], ['delta_vega', 1], ['full_revaluation', 2]])('vix_spike_150 with %s', (method, which) => {
    const r = runStressScenario(scn, book, pf, { exposureModel: 'univariate', options: { positions: fx.positions, method } });
    const linear = 200_000 * -0.15 + sum('linearPnlUsd');
    close(r.directPnlUsd, linear);
    const expected = [linear, linear + sum('vegaPnlUsd'), 200_000 * -0.15 + sum('fullPnlUsd')][which]!;
    close(r.totalPnlUsd, expected);
    close(r.optionAdjustmentPnlUsd, expected - linear);
    expect(r.volShock).toBe(method === 'delta' ? 0 : 1.5); // the VIX shock actually applied to option vols
    close(r.positionContributions.find((c) => c.id === 'lc_atm')!.totalPnlUsd, [vix.rows[0]!.linearPnlUsd, vix.rows[0]!.linearPnlUsd + vix.rows[0]!.vegaPnlUsd, vix.rows[0]!.fullPnlUsd][which]!);
    expect(r.warnings.some((w) => w.includes('VIX shock not applied'))).toBe(method === 'delta');
  });
  test('liquidity_crisis states no VIX move: σ unchanged, flagged', () => {
    const liq = cat.find((s) => s.id === 'liquidity_crisis')!;
    const r = runStressScenario(liq, book, pf, { exposureModel: 'univariate', options: { positions: fx.positions, method: 'delta_vega' } });
    expect([r.volShock, r.optionAdjustmentPnlUsd]).toEqual([0, 0]);
    expect(r.warnings).toContain('volatility scenario states no VIX move: option implied vols unchanged');
  });
  test('an option without its stress position, and v < −1, are INVALID_INPUT', () => {
    expect(() => runStressScenario(scn, [], pf, { exposureModel: 'univariate', options: { positions: fx.positions, method: 'delta_vega' } }))
      .toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => runStressScenario({ ...scn, volShock: -1.5 }, book, pf, { exposureModel: 'univariate', options: { positions: fx.positions, method: 'full_revaluation' } }))
      .toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('properties', () => {
  const opt = fc.record({
    type: fc.constantFrom<'LC' | 'LP'>('LC', 'LP'), spot: fc.double({ min: 20, max: 500, noNaN: true }), mny: fc.double({ min: 0.7, max: 1.3, noNaN: true }),
    tenorYears: fc.double({ min: 0.02, max: 2, noNaN: true }), volAnnual: fc.double({ min: 0.05, max: 1, noNaN: true }),
  });
  ptest.prop([opt, fc.double({ min: 0.01, max: 3, noNaN: true }), fc.integer({ min: 1, max: 50 })], { numRuns: 100 })(
    'a vol rise helps long options and hurts short ones by the same amount (full revaluation and vega)', (o, v, n) => {
      const base = { spot: o.spot, strike: o.spot * o.mny, tenorYears: o.tenorYears, rateCont: 0.04, volAnnual: o.volAnnual, underlyingBetas: {} };
      const long = optionStressRows([{ ...base, id: 'l', positionType: o.type, quantity: n }], new Map(), v, 'full_revaluation')[0]!;
      const short = optionStressRows([{ ...base, id: 's', positionType: o.type === 'LC' ? 'SC' : 'SP', quantity: -n }], new Map(), v, 'full_revaluation')[0]!;
      // ≥ 0 up to price rounding (deep ITM with a tiny vega: V(σ') − V(σ) is ~1e-15 × S per share)
      expect(long.adjustmentPnlUsd).toBeGreaterThanOrEqual(-1e-12 * o.spot * n * 100);
      expect(short.adjustmentPnlUsd + long.adjustmentPnlUsd).toBe(0); // exact mirror
      expect(long.vegaPnlUsd).toBeGreaterThanOrEqual(0);
    });
  ptest.prop([opt, fc.integer({ min: -50, max: 50 })], { numRuns: 50 })('zero factor move and zero VIX shock: every method adds exactly 0', (o, n) => {
    const p = { id: 'p', positionType: (n < 0 ? 'SC' : 'LC') as 'SC' | 'LC', quantity: n === 0 ? 1 : n, spot: o.spot, strike: o.spot * o.mny, tenorYears: o.tenorYears, rateCont: 0.04, volAnnual: o.volAnnual, underlyingBetas: { Market: 1.2 } };
    for (const m of ['delta', 'delta_vega', 'full_revaluation'] as const) expect(optionStressRows([p], new Map([['Market', 0]]), 0, m)[0]!.adjustmentPnlUsd + 0).toBe(0); // ±0
  });
});
