import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { bsmPrice, type BsmInputs } from '../../../engines/options/black-scholes.ts';
import { bsmGreeks } from '../../../engines/options/greeks.ts';
import { impliedVol } from '../../../engines/options/implied-vol.ts';

const RUNS = { numRuns: 200 };
/** Realistic inputs: S in [10, 500], K/S in [0.5, 2], T in [0.02, 3] y, r in [0, 10 %], q in [0, 5 %], σ in [5 %, 100 %]. */
const inputs = fc.record({
  spot: fc.double({ min: 10, max: 500, noNaN: true }),
  moneyness: fc.double({ min: 0.5, max: 2, noNaN: true }),
  tenorYears: fc.double({ min: 0.02, max: 3, noNaN: true }),
  rateCont: fc.double({ min: 0, max: 0.1, noNaN: true }),
  dividendYield: fc.double({ min: 0, max: 0.05, noNaN: true }),
  volAnnual: fc.double({ min: 0.05, max: 1, noNaN: true }),
});
type Raw = { spot: number; moneyness: number; tenorYears: number; rateCont: number; dividendYield: number; volAnnual: number };
const mk = (x: Raw, right: 'call' | 'put'): BsmInputs => ({
  spot: x.spot, strike: x.spot * x.moneyness, tenorYears: x.tenorYears, rateCont: x.rateCont, dividendYield: x.dividendYield, volAnnual: x.volAnnual, right,
});

describe('BSM properties (fast-check)', () => {
  test.prop([inputs], RUNS)('put–call parity: c − p = S e^{−qT} − K e^{−rT} (tolerance 1e-10 × max(S, K))', (x) => {
    const c = bsmGreeks(mk(x, 'call')).price;
    const p = bsmGreeks(mk(x, 'put')).price;
    const k = x.spot * x.moneyness;
    const parity = x.spot * Math.exp(-x.dividendYield * x.tenorYears) - k * Math.exp(-x.rateCont * x.tenorYears);
    expect(Math.abs(c - p - parity)).toBeLessThanOrEqual(1e-10 * Math.max(x.spot, k));
  });

  test.prop([inputs], RUNS)('call within no-arbitrage bounds max(Se^{−qT} − Ke^{−rT}, 0) ≤ c ≤ Se^{−qT}', (x) => {
    const c = bsmGreeks(mk(x, 'call')).price;
    const fs = x.spot * Math.exp(-x.dividendYield * x.tenorYears);
    const lower = Math.max(fs - x.spot * x.moneyness * Math.exp(-x.rateCont * x.tenorYears), 0);
    expect(c).toBeGreaterThanOrEqual(lower - 1e-12 * x.spot);
    expect(c).toBeLessThanOrEqual(fs);
  });

  test.prop([inputs, fc.double({ min: 1.001, max: 1.5, noNaN: true })], RUNS)('call increasing in S and σ (any q) and in T (q = 0)', (x, bump) => {
    const base = mk(x, 'call');
    const c0 = bsmPrice(base);
    const slack = 1e-12 * x.spot;
    expect(bsmPrice({ ...base, spot: base.spot * bump })).toBeGreaterThanOrEqual(c0 - slack);
    expect(bsmPrice({ ...base, volAnnual: base.volAnnual * bump })).toBeGreaterThanOrEqual(c0 - slack);
    const noDiv = { ...base, dividendYield: 0 };
    expect(bsmPrice({ ...noDiv, tenorYears: base.tenorYears * bump })).toBeGreaterThanOrEqual(bsmPrice(noDiv) - slack);
  });

  test.prop([inputs], RUNS)('0 ≤ Δc ≤ e^{−qT} ≤ 1, −1 ≤ Δp ≤ 0, Δc − Δp = e^{−qT}', (x) => {
    const dc = bsmGreeks(mk(x, 'call')).delta;
    const dp = bsmGreeks(mk(x, 'put')).delta;
    const dfq = Math.exp(-x.dividendYield * x.tenorYears);
    expect(dc).toBeGreaterThanOrEqual(0);
    expect(dc).toBeLessThanOrEqual(dfq);
    expect(dp).toBeGreaterThanOrEqual(-1);
    expect(dp).toBeLessThanOrEqual(0);
    expect(Math.abs(dc - dp - dfq)).toBeLessThanOrEqual(1e-14);
  });

  test.prop([inputs], RUNS)('Γ ≥ 0 and Γ, vega identical for call and put', (x) => {
    const c = bsmGreeks(mk(x, 'call'));
    const p = bsmGreeks(mk(x, 'put'));
    expect(c.gamma).toBeGreaterThanOrEqual(0);
    expect(c.gamma).toBe(p.gamma);
    expect(c.vegaPerVolPoint).toBe(p.vegaPerVolPoint);
  });

  test.prop([inputs, fc.constantFrom('call' as const, 'put' as const)], RUNS)(
    'Δ equals the central finite difference (bsmPrice(S+h) − bsmPrice(S−h))/2h, h = 1e-5 S, tolerance 1e-6',
    (x, right) => {
      const b = mk(x, right);
      const h = 1e-5 * b.spot;
      const fd = (bsmPrice({ ...b, spot: b.spot + h }) - bsmPrice({ ...b, spot: b.spot - h })) / (2 * h);
      expect(Math.abs(bsmGreeks(b).delta - fd)).toBeLessThanOrEqual(1e-6);
    },
  );

  test.prop([inputs, fc.constantFrom('call' as const, 'put' as const)], RUNS)(
    'vega, ρ and Θ equal central finite differences of the price (tolerance 1e-6 in their units)',
    (x, right) => {
      const b = mk(x, right);
      const g = bsmGreeks(b);
      const dv = 1e-6;
      const vegaFd = (bsmPrice({ ...b, volAnnual: b.volAnnual + dv }) - bsmPrice({ ...b, volAnnual: b.volAnnual - dv })) / (2 * dv) / 100;
      const rhoFd = (bsmPrice({ ...b, rateCont: b.rateCont + dv }) - bsmPrice({ ...b, rateCont: b.rateCont - dv })) / (2 * dv) / 100;
      const dt = 1e-6;
      const thetaFd = -(bsmPrice({ ...b, tenorYears: b.tenorYears + dt }) - bsmPrice({ ...b, tenorYears: b.tenorYears - dt })) / (2 * dt) / 365;
      expect(Math.abs(g.vegaPerVolPoint - vegaFd)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(g.rhoPerPct - rhoFd)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(g.thetaPerDay - thetaFd)).toBeLessThanOrEqual(1e-6);
    },
  );

  test.prop([inputs, fc.constantFrom('call' as const, 'put' as const)], RUNS)(
    'implied vol round-trips: σ̂ within 1e-6 of σ whenever vega ≥ 0.01 per unit vol',
    (x, right) => {
      const b = mk(x, right);
      const g = bsmGreeks(b);
      fc.pre(g.vegaPerVolPoint * 100 >= 0.01);
      const iv = impliedVol({ ...b, price: g.price });
      expect(Math.abs(bsmPrice({ ...b, volAnnual: iv.volAnnual }) - g.price)).toBeLessThanOrEqual(1e-8);
      expect(Math.abs(iv.volAnnual - b.volAnnual)).toBeLessThanOrEqual(1e-6);
    },
  );
});
