import { fc, test as ptest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../engines/errors.ts';
import { deltaAdjustedExposure, positionNotional } from '../../../engines/valuation/delta-adjusted.ts';
import { portfolioExposureSummary } from '../../../engines/valuation/exposure-summary.ts';
import { valuePosition, type PositionInput } from '../../../engines/valuation/market-value.ts';
import type { PositionType } from '../../../engines/valuation/position-type.ts';

/** Hand-worked book (figures computed by hand in the comments, USD). */
const book: PositionInput[] = [
  // MV 100×200 = 20,000; cost 15,000; DA 20,000; notional 20,000
  { id: 'aapl', symbol: 'AAPL', positionType: 'LONG', quantity: 100, price: 200, entryPrice: 150, sector: 'Technology', tags: ['core', 'tech'] },
  // MV −50×100 = −5,000; cost −5,500; uPnL +500; DA −5,000
  { id: 'xom', symbol: 'XOM', positionType: 'SHORT', quantity: -50, price: 100, entryPrice: 110, sector: 'Energy', tags: ['hedge'] },
  // MV 2×5×100 = 1,000; cost 800; DA 0.6×2×100×200 = 24,000; notional 2×100×200 = 40,000
  { id: 'aapl-c', symbol: 'AAPL260116C00210000', positionType: 'LC', quantity: 2, price: 5, entryPrice: 4, underlyingSymbol: 'AAPL', underlyingPrice: 200, deltaPerShare: 0.6, sector: 'Technology', tags: ['tech'] },
  // MV −3×4×100 = −1,200; cost −1,500; DA −0.3×(−3)×100×500 = +45,000; notional 150,000
  { id: 'spy-sp', symbol: 'SPY260116P00480000', positionType: 'SP', quantity: -3, price: 4, entryPrice: 5, underlyingSymbol: 'SPY', underlyingPrice: 500, deltaPerShare: -0.3, tags: ['hedge', 'core'] },
  // MV 1×10×100 = 1,000; no delta → excluded from DA; notional 40,000; no entry → no cost basis
  { id: 'qqq-lp', symbol: 'QQQ260116P00380000', positionType: 'LP', quantity: 1, price: 10, underlyingSymbol: 'QQQ', underlyingPrice: 400, tags: [] },
];

describe('valuePosition (engines.md §3)', () => {
  test('short stock: signed MV, abs MV, signed cost basis, unrealized P&L', () => {
    expect(valuePosition(book[1]!)).toEqual({ id: 'xom', multiplier: 1, marketValueUsd: -5000, absMarketValueUsd: 5000, costBasisUsd: -5500, unrealizedPnlUsd: 500 });
  });
  test('option uses multiplier 100; no entry price → null cost basis and P&L', () => {
    expect(valuePosition(book[4]!)).toEqual({ id: 'qqq-lp', multiplier: 100, marketValueUsd: 1000, absMarketValueUsd: 1000, costBasisUsd: null, unrealizedPnlUsd: null });
  });
  test('invalid type/sign combinations → INVALID_INPUT', () => {
    const bad: Array<[PositionType, number]> = [['LONG', -1], ['SHORT', 1], ['LC', -1], ['LP', -2], ['SC', 1], ['SP', 3]];
    for (const [t, q] of bad) {
      try { valuePosition({ id: 'x', symbol: 'X', positionType: t, quantity: q, price: 1 }); expect.unreachable(); }
      catch (e) { expect((e as EngineError).code).toBe('INVALID_INPUT'); }
    }
    expect(() => valuePosition({ id: 'x', symbol: 'X', positionType: 'FUTURE' as PositionType, quantity: 1, price: 1 })).toThrow(EngineError);
    expect(() => valuePosition({ id: 'x', symbol: 'X', positionType: 'LONG', quantity: 1, price: -1 })).toThrow(EngineError);
  });
});

describe('portfolioExposureSummary (engines.md §4.1, §4.3 Required)', () => {
  const s = portfolioExposureSummary({ positions: book, cashUsd: 10_000 });
  test('long 22,000; short −6,200 (kept negative); gross 28,200; net 15,800; counts 3 long / 2 short', () => {
    expect([s.longExposureUsd, s.shortExposureUsd, s.grossExposureUsd, s.netExposureUsd]).toEqual([22_000, -6_200, 28_200, 15_800]);
    expect([s.longCount, s.shortCount, s.positionCount]).toEqual([3, 2, 5]);
    expect(s.countsByType).toEqual({ LONG: 1, SHORT: 1, LC: 1, LP: 1, SC: 0, SP: 1 });
  });
  test('stock gross 25,000 vs option gross premium 3,200; notional 255,000 reported separately', () => {
    expect([s.stockGrossUsd, s.optionsGrossPremiumUsd, s.notionalUsd]).toEqual([25_000, 3_200, 255_000]);
  });
  test('delta-adjusted net 84,000 (long 89,000, short −5,000); LP without delta excluded and warned', () => {
    expect([s.deltaAdjustedNetUsd, s.deltaAdjustedLongUsd, s.deltaAdjustedShortUsd]).toEqual([84_000, 89_000, -5_000]);
    expect(s.deltaMissingIds).toEqual(['qqq-lp']);
    expect(s.warnings.some((w) => w.includes('qqq-lp'))).toBe(true);
  });
  test('NAV = Σ signed MV + cash = 15,800 + 10,000; cost basis 8,800; unrealized 6,000', () => {
    expect(s.navUsd).toBe(25_800);
    expect([s.costBasisUsd, s.unrealizedPnlUsd]).toEqual([8_800, 6_000]);
    expect(s.netLeverage).toBeCloseTo(15_800 / 25_800, 14);
  });
  test('empty portfolio → zeros, NAV = cash, warning', () => {
    const e = portfolioExposureSummary({ positions: [], cashUsd: 0 });
    expect([e.grossExposureUsd, e.netExposureUsd, e.notionalUsd, e.deltaAdjustedNetUsd, e.navUsd, e.positionCount]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(e.warnings).toEqual(['empty portfolio: all exposures are zero']);
  });
  test('all-short portfolio: long 0, everything else negative, gross = −net', () => {
    const shorts: PositionInput[] = [
      { id: 'a', symbol: 'A', positionType: 'SHORT', quantity: -10, price: 30 },
      { id: 'b', symbol: 'B260116C00050000', positionType: 'SC', quantity: -1, price: 2, underlyingSymbol: 'B', underlyingPrice: 50, deltaPerShare: 0.5 },
    ];
    const x = portfolioExposureSummary({ positions: shorts, cashUsd: 1000 });
    expect([x.longExposureUsd, x.shortExposureUsd, x.grossExposureUsd, x.netExposureUsd]).toEqual([0, -500, 500, -500]);
    expect([x.longCount, x.shortCount]).toEqual([0, 2]);
    expect(x.deltaAdjustedNetUsd).toBe(-300 - 2500);
    expect(x.navUsd).toBe(500);
  });
  test('cash must be given explicitly and finite', () => {
    expect(() => portfolioExposureSummary({ positions: book, cashUsd: Number.NaN })).toThrow(EngineError);
  });
});

describe('delta-adjusted exposure and notional per position', () => {
  test('stock q×P; option Δ×q×100×S; notional |q|×100×S', () => {
    expect(deltaAdjustedExposure(book[1]!)).toBe(-5000);
    expect(deltaAdjustedExposure(book[3]!)).toBeCloseTo(45_000, 8);
    expect(positionNotional(book[3]!)).toBe(150_000);
    expect(deltaAdjustedExposure(book[4]!)).toBeNull();
  });

  const expectedSign: Record<PositionType, number> = { LONG: 1, SHORT: -1, LC: 1, LP: -1, SC: -1, SP: 1 };
  ptest.prop([
    fc.constantFrom<PositionType>('LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP'), fc.integer({ min: 1, max: 10_000 }),
    fc.double({ min: 0.01, max: 1000, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }), fc.double({ min: 1, max: 1000, noNaN: true }),
  ], { numRuns: 300 })('sign by type: LONG +, SHORT −, LC +, LP −, SC −, SP +', (t, n, price, absDelta, s) => {
    const short = t === 'SHORT' || t === 'SC' || t === 'SP';
    const put = t === 'LP' || t === 'SP';
    const p: PositionInput = { id: 'p', symbol: 'P', positionType: t, quantity: short ? -n : n, price, underlyingPrice: s, deltaPerShare: put ? -absDelta : absDelta };
    expect(Math.sign(deltaAdjustedExposure(p)!)).toBe(expectedSign[t]);
  });
});
