import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { OptionRight } from '../../../engines/options/black-scholes.ts';
import { bsmPrice } from '../../../engines/options/black-scholes.ts';
import { bsmGreeks, type BsmGreeks } from '../../../engines/options/greeks.ts';
import { bsmGreeksBatch } from '../../../engines/options/greeks-batch.ts';

/**
 * Fixture: test/fixtures/options-scipy.json, produced by test/fixtures/gen_options_scipy.py
 * (numpy 2.4.6, scipy 1.17.1; scipy.stats.norm). Tolerance: |ours − scipy| ≤ 1e-9 × |scipy| + 1e-13
 * (the 1e-13 absolute floor covers values that are exactly 0 or below ~1e-4 in magnitude, e.g. the
 * Γ of a 1-day deep OTM option, where both sides carry rounding noise of the order of 1e-17).
 */
interface Case extends BsmGreeks {
  name?: string; spot: number; strike: number; tenorYears: number; rateCont: number; dividendYield: number; volAnnual: number; right: OptionRight;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/options-scipy.json', import.meta.url), 'utf8')) as { source: string; cases: Case[] };
const REL = 1e-9;
const ABS = 1e-13;
const FIELDS = ['price', 'delta', 'gamma', 'thetaPerYear', 'thetaPerDay', 'vegaPerVolPoint', 'rhoPerPct'] as const;

function within(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= REL * Math.abs(expected) + ABS;
}

describe(`BSM vs scipy fixture (${fixture.source})`, () => {
  test('fixture is the expected grid (756 grid + 6 named cases, calls and puts, q > 0 present)', () => {
    expect(fixture.cases.length).toBe(762);
    expect(fixture.cases.some((c) => c.dividendYield > 0 && c.right === 'put')).toBe(true);
  });

  test('bsmGreeks matches every price and Greek at 1e-9 relative', () => {
    const bad: string[] = [];
    for (const c of fixture.cases) {
      const g = bsmGreeks(c);
      for (const f of FIELDS) if (!within(g[f], c[f])) bad.push(`${JSON.stringify({ ...c, [f]: undefined })} ${f}: ${g[f]} vs ${c[f]}`);
    }
    expect(bad).toEqual([]);
  });

  test('bsmPrice (existing pricer) matches the fixture prices at 1e-9 relative', () => {
    const bad = fixture.cases.filter((c) => !within(bsmPrice(c), c.price));
    expect(bad).toEqual([]);
  });

  test('bsmGreeksBatch gives bit-identical results to bsmGreeks', () => {
    const n = fixture.cases.length;
    const col = (f: (c: Case) => number) => Float64Array.from(fixture.cases, f);
    const out = bsmGreeksBatch({
      spot: col((c) => c.spot), strike: col((c) => c.strike), tenorYears: col((c) => c.tenorYears), rateCont: col((c) => c.rateCont),
      volAnnual: col((c) => c.volAnnual), dividendYield: col((c) => c.dividendYield), isCall: Uint8Array.from(fixture.cases, (c) => (c.right === 'call' ? 1 : 0)),
    });
    for (let i = 0; i < n; i++) {
      const g = bsmGreeks(fixture.cases[i]!);
      for (const f of FIELDS) expect(out[f][i]).toBe(g[f]);
    }
  });
});
