import { describe, expect, test } from 'vitest';
import { factorRollup } from '../../../engines/regression/factor-rollup.ts';
import { capBeta } from '../../../engines/regression/beta-cap.ts';

describe('portfolio factor roll-up (engines.md §6.6 item 5)', () => {
  test('worked example §8.11: long AAPL +100k β1.2, short XOM −50k β0.8 → $80,000 market exposure', () => {
    const r = factorRollup(
      [
        { id: 'AAPL', deltaAdjExposureUsd: 100_000, betas: [1.2, 0.3] },
        { id: 'XOM', deltaAdjExposureUsd: -50_000, betas: [0.8, -0.5] },
      ],
      ['Market', 'Value'],
      200_000,
    );
    expect(r.factorDollarUsd[0]).toBeCloseTo(80_000, 9);
    expect(r.factorDollarUsd[1]).toBeCloseTo(30_000 + 25_000, 9);
    expect(r.portfolioBeta[0]).toBeCloseTo(0.4, 15);
    expect(r.coveragePct).toBe(100);
    expect(r.warnings).toEqual([]);
  });
  test('option takes its underlying betas on its delta-adjusted exposure (caller maps them)', () => {
    // long 10 calls, Δ 0.6, S 200 → E = 0.6 × 10 × 100 × 200 = 120,000 at the underlying's β 1.5
    const r = factorRollup([{ id: 'AAPL-C', deltaAdjExposureUsd: 0.6 * 10 * 100 * 200, betas: [1.5] }], ['Market'], 100_000);
    expect(r.factorDollarUsd[0]).toBeCloseTo(180_000, 9);
  });
  test('positions without betas: excluded from numerator, counted in coverage denominator', () => {
    const r = factorRollup(
      [
        { id: 'A', deltaAdjExposureUsd: 75_000, betas: [1] },
        { id: 'ZM', deltaAdjExposureUsd: -25_000, betas: null },
      ],
      ['Market'],
      50_000,
    );
    expect(r.factorDollarUsd[0]).toBe(75_000);
    expect(r.portfolioBeta[0]).toBe(1.5);
    expect(r.coveragePct).toBe(75);
    expect(r.uncoveredIds).toEqual(['ZM']);
    expect(r.warnings).toHaveLength(1);
  });
  test('zero NAV → portfolio betas null with a warning; empty portfolio → zeros, full coverage', () => {
    const r = factorRollup([{ id: 'A', deltaAdjExposureUsd: 10, betas: [1] }], ['Market'], 0);
    expect(r.portfolioBeta).toEqual([null]);
    expect(r.warnings.some((w) => w.includes('NAV is 0'))).toBe(true);
    const e = factorRollup([], ['Market'], 0);
    expect(Array.from(e.factorDollarUsd)).toEqual([0]);
    expect(e.coveragePct).toBe(100);
  });
  test('wrong beta count or NaN → INVALID_INPUT', () => {
    expect(() => factorRollup([{ id: 'A', deltaAdjExposureUsd: 1, betas: [1, 2] }], ['Market'], 1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => factorRollup([{ id: 'A', deltaAdjExposureUsd: Number.NaN, betas: [1] }], ['Market'], 1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('beta caps (engines.md §6.6 item 3)', () => {
  test('±3 hard guard keeps raw estimate and SE', () => {
    expect(capBeta(3.4, 0.2)).toEqual({ beta: 3, rawBeta: 3.4, standardError: 0.2, capped: true, shrunkForDisplay: 0.67 * 3 + 0.33 });
    expect(capBeta(-5, 1).beta).toBe(-3);
    const inside = capBeta(1.2, 0.1);
    expect(inside.capped).toBe(false);
    expect(inside.shrunkForDisplay).toBeCloseTo(0.67 * 1.2 + 0.33, 15);
    expect(() => capBeta(Number.NaN, 0)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
