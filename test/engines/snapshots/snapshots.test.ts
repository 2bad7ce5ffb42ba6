import { fc, test as ptest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../engines/errors.ts';
import { dailyPnl, type SnapshotPosition } from '../../../engines/snapshots/daily-pnl.ts';
import { buildDailySnapshot } from '../../../engines/snapshots/daily-snapshot.ts';

const D = '2026-07-13';
const PREV = '2026-07-10';
const held: SnapshotPosition[] = [
  // long 100 AAPL 190 → 200: +1,000
  { id: 'aapl', symbol: 'AAPL', positionType: 'LONG', quantity: 100, entryDate: '2026-01-05', entryPrice: 150, price: 200, priceDate: D, prevPrice: 190 },
  // short 50 XOM 100 → 110: −500 (a rising short loses, unlike the reference's Δ-gross rule)
  { id: 'xom', symbol: 'XOM', positionType: 'SHORT', quantity: -50, entryDate: '2026-02-02', entryPrice: 90, price: 110, priceDate: D, prevPrice: 100 },
  // 2 long calls 5 → 6 per share × 100: +200
  { id: 'call', symbol: 'AAPL260918C00200000', positionType: 'LC', quantity: 2, entryDate: '2026-03-02', entryPrice: 4, price: 6, priceDate: D, prevPrice: 5, underlyingSymbol: 'AAPL', underlyingPrice: 200, deltaPerShare: 0.55 },
];

describe('dailyPnl (engines.md §9 Required)', () => {
  test('held both days: Σ q × (P_D − P_prev) × mult = 1,000 − 500 + 200 = 700', () => {
    const r = dailyPnl({ date: D, prevDate: PREV, positions: held });
    expect([r.heldPnlUsd, r.openedPnlUsd, r.realizedPnlUsd, r.totalPnlUsd]).toEqual([700, 0, 0, 700]);
  });
  test('position opened today: q × (P_D − entry), never its cost: 10 × (52 − 50) = +20', () => {
    const opened: SnapshotPosition = { id: 'new', symbol: 'NEW', positionType: 'LONG', quantity: 10, entryDate: D, entryPrice: 50, price: 52, prevPrice: null };
    expect(dailyPnl({ date: D, prevDate: PREV, positions: [opened] }).openedPnlUsd).toBe(20);
  });
  test('position closed today: realised move since the last mark: 20 × (33 − 30) = +60; excluded from values', () => {
    const closed: SnapshotPosition = { id: 'cl', symbol: 'CL', positionType: 'LONG', quantity: 20, entryDate: '2026-01-02', entryPrice: 10, exitDate: D, exitPrice: 33, price: 34, prevPrice: 30 };
    expect(dailyPnl({ date: D, prevDate: PREV, positions: [closed] }).realizedPnlUsd).toBe(60);
    const s = buildDailySnapshot({ date: D, positions: [closed], cashUsd: 660, prev: { date: PREV, navUsd: 600, cumulativePnlUsd: 0 } });
    expect([s.numPositions, s.grossExposureUsd, s.navUsd, s.dailyPnlUsd]).toEqual([0, 0, 660, 60]);
  });
  test('opened and closed within the period: q × (exit − entry)', () => {
    const p: SnapshotPosition = { id: 'd', symbol: 'D', positionType: 'SHORT', quantity: -10, entryDate: '2026-07-11', entryPrice: 40, exitDate: D, exitPrice: 38, price: 38, prevPrice: null };
    expect(dailyPnl({ date: D, prevDate: PREV, positions: [p] }).realizedPnlUsd).toBe(20);
  });
  test('position closed before the period contributes nothing', () => {
    const p: SnapshotPosition = { id: 'old', symbol: 'O', positionType: 'LONG', quantity: 5, entryDate: '2026-01-02', entryPrice: 1, exitDate: '2026-07-01', exitPrice: 2, price: 3, prevPrice: 2 };
    expect(dailyPnl({ date: D, prevDate: PREV, positions: [p] }).totalPnlUsd).toBe(0);
  });
  test('invalid type/sign or prevDate ≥ date → INVALID_INPUT', () => {
    expect(() => dailyPnl({ date: D, prevDate: PREV, positions: [{ ...held[0]!, positionType: 'SHORT' }] })).toThrow(EngineError);
    expect(() => dailyPnl({ date: D, prevDate: D, positions: [] })).toThrow(EngineError);
  });
});

describe('buildDailySnapshot', () => {
  const prev = { date: PREV, navUsd: 100_000, cumulativePnlUsd: 1_500 };
  test('values, NAV, return and cumulative P&L from the latest earlier snapshot', () => {
    const s = buildDailySnapshot({ date: D, positions: held, cashUsd: 80_000, prev });
    // MV: 20,000 − 5,500 + 1,200 → long 21,200, short −5,500, net 15,700, NAV 95,700
    expect([s.longValueUsd, s.shortValueUsd, s.grossExposureUsd, s.netExposureUsd, s.navUsd]).toEqual([21_200, -5_500, 26_700, 15_700, 95_700]);
    expect(s.deltaAdjustedNetUsd).toBeCloseTo(20_000 - 5_500 + 0.55 * 2 * 100 * 200, 9);
    expect(s.dailyPnlUsd).toBe(700);
    expect(s.dailyReturn).toBeCloseTo(0.007, 15);
    expect(s.cumulativePnlUsd).toBe(2_200);
    expect([s.numPositions, s.numLongPositions, s.numShortPositions]).toEqual([3, 2, 1]);
    expect(s.countsByType).toEqual({ LONG: 1, SHORT: 1, LC: 1, LP: 0, SC: 0, SP: 0 });
    expect([s.priceCoveragePct, s.stalePriceCount, s.isComplete]).toEqual([100, 0, true]);
  });
  test('a missed day: the P&L spans the gap from the last snapshot and the cumulative P&L is not reset', () => {
    const s = buildDailySnapshot({ date: D, positions: held, cashUsd: 80_000, prev: { date: '2026-07-08', navUsd: 100_000, cumulativePnlUsd: 1_500 } });
    expect(s.cumulativePnlUsd).toBe(2_200); // prevPrice is the close on the snapshot date 07-08
  });
  test('missing and stale prices: excluded / flagged, coverage 2/3, incomplete', () => {
    const positions = [held[0]!, { ...held[1]!, price: null }, { ...held[2]!, priceDate: '2026-07-09' }];
    const s = buildDailySnapshot({ date: D, positions, cashUsd: 0, prev });
    expect(s.priceCoveragePct).toBeCloseTo(200 / 3, 12);
    expect(s.stalePriceCount).toBe(1);
    expect(s.isComplete).toBe(false);
    expect(s.numPositions).toBe(3);
    expect(s.dailyPnlUsd).toBe(1_200);
    expect(s.warnings.some((w) => w.includes('xom'))).toBe(true);
  });
  test('empty portfolio: zero values, NAV = cash, warnings, first snapshot return 0', () => {
    const s = buildDailySnapshot({ date: D, positions: [], cashUsd: 485_000, prev: null });
    expect([s.navUsd, s.grossExposureUsd, s.dailyPnlUsd, s.dailyReturn, s.cumulativePnlUsd, s.priceCoveragePct]).toEqual([485_000, 0, 0, 0, 0, 100]);
    expect(s.warnings).toContain('empty portfolio: all exposures are zero');
    expect(s.warnings).toContain('no earlier snapshot: daily return set to 0');
  });
  test('all-short book: long value 0, rising prices lose money', () => {
    const s = buildDailySnapshot({ date: D, positions: [held[1]!], cashUsd: 20_000, prev: { date: PREV, navUsd: 15_000, cumulativePnlUsd: 0 } });
    expect([s.longValueUsd, s.shortValueUsd, s.dailyPnlUsd, s.navUsd]).toEqual([0, -5_500, -500, 14_500]);
  });

  // Self-financing book (opens paid from cash, closes credited to cash): ΔNAV must equal the P&L.
  const pos = fc.record({
    kind: fc.constantFrom('held', 'opened', 'closed'), long: fc.boolean(), option: fc.boolean(),
    n: fc.integer({ min: 1, max: 1000 }), p0: fc.integer({ min: 1, max: 50_000 }), p1: fc.integer({ min: 1, max: 50_000 }), entry: fc.integer({ min: 1, max: 50_000 }),
  });
  ptest.prop([fc.array(pos, { maxLength: 12 }), fc.integer({ min: 0, max: 10_000_000 })], { numRuns: 150 })(
    'no capital flows: NAV_D − NAV_prev equals daily P&L (cent prices, exact to 1e-6 USD)', (rows, cash0) => {
      const cashPrev = cash0;
      let cashD = cash0, navPrevPositions = 0;
      const positions: SnapshotPosition[] = rows.map((r, i) => {
        const m = r.option ? 100 : 1;
        const q = r.long ? r.n : -r.n;
        const [p0, p1, entry] = [r.p0 / 100, r.p1 / 100, r.entry / 100];
        const positionType = r.option ? (r.long ? 'LC' : 'SC') : r.long ? 'LONG' : 'SHORT';
        if (r.kind === 'opened') cashD -= q * entry * m;
        else navPrevPositions += q * p0 * m;
        if (r.kind === 'closed') cashD += q * p1 * m;
        return {
          id: String(i), symbol: `S${i}`, positionType, quantity: q, entryPrice: entry,
          entryDate: r.kind === 'opened' ? D : '2026-01-02', exitDate: r.kind === 'closed' ? D : null, exitPrice: r.kind === 'closed' ? p1 : null,
          price: p1, prevPrice: r.kind === 'opened' ? null : p0, underlyingPrice: 100, deltaPerShare: 0.5, underlyingSymbol: 'U',
        };
      });
      const navPrev = navPrevPositions + cashPrev;
      const s = buildDailySnapshot({ date: D, positions, cashUsd: cashD, prev: { date: PREV, navUsd: navPrev, cumulativePnlUsd: 0 } });
      expect(Math.abs(s.navUsd - navPrev - s.dailyPnlUsd)).toBeLessThanOrEqual(1e-6);
    });
});

describe('buildDailySnapshot dollar Greeks', () => {
  const greeksA = { dollarDelta: 11_000, dollarGamma1Pct: 25, thetaDollarsPerDay: -12.5, vegaDollarsPerVolPoint: 40, rhoDollarsPerPct: 8 };
  const greeksB = { dollarDelta: -4_000, dollarGamma1Pct: -10, thetaDollarsPerDay: 6, vegaDollarsPerVolPoint: -15, rhoDollarsPerPct: -3 };
  const put: SnapshotPosition = {
    id: 'put', symbol: 'AAPL260918P00180000', positionType: 'SP', quantity: -1, entryDate: '2026-03-02', entryPrice: 3, price: 2, priceDate: D, prevPrice: 2.5,
    underlyingSymbol: 'AAPL', underlyingPrice: 200, deltaPerShare: -0.2, dollarGreeks: greeksB,
  };

  test('sums the options’ dollar Greeks and ignores stocks', () => {
    const withGreeks = held.map((p) => (p.id === 'call' ? { ...p, dollarGreeks: greeksA } : p));
    const s = buildDailySnapshot({ date: D, positions: [...withGreeks, put], cashUsd: 0, prev: null });
    expect(s.dollarGreeks).toEqual({ dollarDelta: 7_000, dollarGamma1Pct: 15, thetaDollarsPerDay: -6.5, vegaDollarsPerVolPoint: 25, rhoDollarsPerPct: 5 });
    expect(s.optionsWithoutGreeks).toBe(0);
  });

  test('counts and warns about options without Greeks instead of inventing them', () => {
    const s = buildDailySnapshot({ date: D, positions: [...held, put], cashUsd: 0, prev: null });
    expect(s.dollarGreeks.dollarDelta).toBe(-4_000);
    expect(s.optionsWithoutGreeks).toBe(1);
    expect(s.warnings.some((w) => w.startsWith('options without Greeks') && w.includes('call'))).toBe(true);
  });
});
