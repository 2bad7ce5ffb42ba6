import { fc, test as ptest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../engines/errors.ts';
import { bsmPrice } from '../../../engines/options/black-scholes.ts';
import { marketBetaScenarios } from '../../../engines/scenarios/market-scenarios.ts';
import { optionMarketScenarios, type OptionScenarioPosition } from '../../../engines/scenarios/option-scenarios.ts';
import { rateShockScenarios } from '../../../engines/scenarios/rate-scenarios.ts';

/** engines.md §8.11 book: AAPL +100,000 β 1.2, XOM −50,000 β 0.8 → signed beta exposure 80,000. */
const book = [{ id: 'AAPL', deltaAdjustedUsd: 100_000, betaMarket: 1.2 }, { id: 'XOM', deltaAdjustedUsd: -50_000, betaMarket: 0.8 }];

describe('market scenarios via beta (engines.md §7.4)', () => {
  test('default ±5/10/20 %: 80,000 × shock → ±4,000, ±8,000, ±16,000 (not the reference’s 150,000 × 1.067)', () => {
    const r = marketBetaScenarios(book);
    expect(r.map((x) => x.label)).toEqual(['market_up_5', 'market_down_5', 'market_up_10', 'market_down_10', 'market_up_20', 'market_down_20']);
    const expected = [4000, -4000, 8000, -8000, 16000, -16000];
    r.forEach((x, i) => expect(x.pnlUsd).toBeCloseTo(expected[i]!, 9));
    expect(r[3]!.contributions.map((c) => c.pnlUsd)).toEqual([-12_000, 4_000]);
  });
  test('all-short book gains when the market falls', () => {
    const r = marketBetaScenarios([{ id: 's', deltaAdjustedUsd: -30_000, betaMarket: 1 }], [{ label: 'd', shock: -0.2 }]);
    expect(r[0]!.pnlUsd).toBeCloseTo(6000, 9);
  });
  test('empty book → zero P&L per shock; non-finite beta → INVALID_INPUT', () => {
    expect(marketBetaScenarios([]).every((x) => x.pnlUsd === 0)).toBe(true);
    expect(() => marketBetaScenarios([{ id: 'x', deltaAdjustedUsd: 1, betaMarket: Number.NaN }])).toThrow(EngineError);
  });
  ptest.prop([fc.array(fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })), { maxLength: 10 }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })], { numRuns: 100 })(
    'P&L scales with the shock; zero shock gives zero', (rows, shock, k) => {
      const pos = rows.map(([e, b], i) => ({ id: String(i), deltaAdjustedUsd: e, betaMarket: b }));
      const [a, b, z] = marketBetaScenarios(pos, [{ label: 'a', shock }, { label: 'b', shock: k * shock }, { label: 'z', shock: 0 }]);
      expect(Math.abs(b!.pnlUsd - k * a!.pnlUsd)).toBeLessThanOrEqual(1e-9 * Math.abs(k * a!.pnlUsd) + 1e-6);
      expect(z!.pnlUsd + 0).toBe(0);
    });
});

const call: OptionScenarioPosition = { id: 'c', positionType: 'LC', quantity: 2, spot: 100, strike: 100, tenorYears: 0.25, rateCont: 0.05, volAnnual: 0.2, betaUnderlying: 1.5 };

describe('option non-linearity: delta-gamma and full revaluation', () => {
  test('full revaluation = (BSM(S(1+β·shock)) − BSM(S)) × q × 100 computed independently with bsmPrice', () => {
    const [r] = optionMarketScenarios([call], [{ label: 'down_10', shock: -0.1 }]);
    const b = { strike: 100, tenorYears: 0.25, rateCont: 0.05, volAnnual: 0.2, right: 'call' as const };
    const expected = (bsmPrice({ ...b, spot: 85 }) - bsmPrice({ ...b, spot: 100 })) * 2 * 100;
    expect(r!.fullRevaluationPnlUsd).toBeCloseTo(expected, 9);
    expect(r!.positions[0]!.underlyingMove).toBeCloseTo(-15, 12);
  });
  test('small shock (0.1 %, ΔS = 0.15): delta-gamma error is < 1 % of the delta-only error (third vs second order)', () => {
    const [r] = optionMarketScenarios([call], [{ label: 'tiny', shock: 0.001 }]);
    const dgErr = Math.abs(r!.deltaGammaPnlUsd - r!.fullRevaluationPnlUsd);
    const dErr = Math.abs(r!.deltaPnlUsd - r!.fullRevaluationPnlUsd); // ≈ ½ Γ q m ΔS² ≈ 0.5 × 0.04 × 200 × 0.0225 ≈ 0.09
    expect(dErr).toBeGreaterThan(0.05);
    expect(dgErr).toBeLessThan(0.01 * dErr);
  });
  test('deep ITM call behaves like stock: +20 % with β 1 → ≈ +20 × 100 per contract', () => {
    const [r] = optionMarketScenarios([{ ...call, quantity: 1, strike: 50, betaUnderlying: 1 }], [{ label: 'up', shock: 0.2 }]);
    expect(r!.fullRevaluationPnlUsd).toBeCloseTo(2000, 6);
  });
  test('underlying shocked below zero: put worth K e^{−rT}, call worthless', () => {
    const put: OptionScenarioPosition = { ...call, id: 'p', positionType: 'LP', quantity: 1, betaUnderlying: 6 };
    const [r] = optionMarketScenarios([put], [{ label: 'wipe', shock: -0.2 }]);
    const p0 = bsmPrice({ spot: 100, strike: 100, tenorYears: 0.25, rateCont: 0.05, volAnnual: 0.2, right: 'put' });
    expect(r!.fullRevaluationPnlUsd).toBeCloseTo((100 * Math.exp(-0.0125) - p0) * 100, 9);
  });
  test('stock position or type/sign mismatch → INVALID_INPUT', () => {
    expect(() => optionMarketScenarios([{ ...call, positionType: 'LONG' }])).toThrow(EngineError);
    expect(() => optionMarketScenarios([{ ...call, positionType: 'SC' }])).toThrow(EngineError);
  });
  ptest.prop([fc.double({ min: -0.3, max: 0.3, noNaN: true }), fc.double({ min: 0.5, max: 2, noNaN: true }), fc.constantFrom<'LC' | 'LP'>('LC', 'LP')], { numRuns: 100 })(
    'convexity: a long option’s full-revaluation P&L ≥ its delta P&L; the short mirror is ≤', (shock, beta, t) => {
      const long = { ...call, positionType: t, quantity: 3, betaUnderlying: beta };
      const short = { ...long, positionType: t === 'LC' ? ('SC' as const) : ('SP' as const), quantity: -3 };
      const [l] = optionMarketScenarios([long], [{ label: 's', shock }]);
      const [s] = optionMarketScenarios([short], [{ label: 's', shock }]);
      expect(l!.fullRevaluationPnlUsd).toBeGreaterThanOrEqual(l!.deltaPnlUsd - 1e-9);
      expect(s!.fullRevaluationPnlUsd).toBeLessThanOrEqual(s!.deltaPnlUsd + 1e-9);
    });
});

describe('rate scenarios in bp (engines.md §7.4)', () => {
  test('defaults ±50/±100/±200 bp; TLT-like β −0.0017/bp on $100k: +100 bp → −17,000', () => {
    const r = rateShockScenarios([{ id: 'TLT', exposureUsd: 100_000, rateBetaPerBp: -0.0017 }]);
    expect(r.map((x) => x.shockBp)).toEqual([50, -50, 100, -100, 200, -200]);
    expect(r[2]!.pnlUsd).toBeCloseTo(-17_000, 9);
    expect(r[5]!.pnlUsd).toBeCloseTo(34_000, 9);
  });
  test('a short bond position gains when yields rise', () => {
    const [r] = rateShockScenarios([{ id: 'short', exposureUsd: -50_000, rateBetaPerBp: -0.0017 }], [{ label: 'up', shockBp: 100 }]);
    expect(r!.pnlUsd).toBeCloseTo(8500, 9);
  });
  test('duplicate labels or NaN β → INVALID_INPUT', () => {
    expect(() => rateShockScenarios([], [{ label: 'a', shockBp: 1 }, { label: 'a', shockBp: 2 }])).toThrow(EngineError);
    expect(() => rateShockScenarios([{ id: 'x', exposureUsd: 1, rateBetaPerBp: Number.NaN }])).toThrow(EngineError);
  });
});
