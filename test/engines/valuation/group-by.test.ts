import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../engines/errors.ts';
import { exposureBySector, exposureByTag, exposureByType, exposureByUnderlying } from '../../../engines/valuation/group-by.ts';
import type { PositionInput } from '../../../engines/valuation/market-value.ts';

const book: PositionInput[] = [
  { id: 'aapl', symbol: 'AAPL', positionType: 'LONG', quantity: 100, price: 200, sector: 'Technology', tags: ['core', 'tech'] }, // MV 20,000
  { id: 'xom', symbol: 'XOM', positionType: 'SHORT', quantity: -50, price: 100, sector: 'Energy', tags: ['hedge'] }, // MV −5,000
  { id: 'aapl-c', symbol: 'AAPL260116C00210000', positionType: 'LC', quantity: 2, price: 5, underlyingSymbol: 'AAPL', underlyingPrice: 200, deltaPerShare: 0.6, sector: 'Technology', tags: ['tech'] }, // MV 1,000
  { id: 'spy-sp', symbol: 'SPY260116P00480000', positionType: 'SP', quantity: -3, price: 4, underlyingSymbol: 'SPY', underlyingPrice: 500, deltaPerShare: -0.3, tags: ['hedge', 'core'] }, // MV −1,200
];
const pick = <T extends { key: string }>(gs: T[], key: string): T => gs.find((g) => g.key === key)!;

describe('group-bys (engines.md §4.4)', () => {
  test('by sector: Technology 21,000 long (2 positions); Energy −5,000; missing sector → Unclassified', () => {
    const g = exposureBySector(book);
    expect(g.map((x) => x.key)).toEqual(['Energy', 'Technology', 'Unclassified']);
    expect([pick(g, 'Technology').netExposureUsd, pick(g, 'Technology').positionCount]).toEqual([21_000, 2]);
    expect(pick(g, 'Energy').shortExposureUsd).toBe(-5_000);
    expect(pick(g, 'Unclassified').netExposureUsd).toBe(-1_200);
  });
  test('by type: one group per type present', () => {
    expect(exposureByType(book).map((x) => [x.key, x.netExposureUsd])).toEqual([['LC', 1000], ['LONG', 20000], ['SHORT', -5000], ['SP', -1200]]);
  });
  test('by underlying: AAPL stock + call together (net 21,000, DA 20,000 + 24,000, 1 call); SPY put', () => {
    const g = exposureByUnderlying(book);
    const aapl = pick(g, 'AAPL');
    expect([aapl.netExposureUsd, aapl.callCount, aapl.countsByType.LONG]).toEqual([21_000, 1, 1]);
    expect(aapl.deltaAdjustedNetUsd).toBeCloseTo(44_000, 8);
    expect(pick(g, 'SPY').putCount).toBe(1);
    expect(pick(g, 'SPY').deltaAdjustedNetUsd).toBeCloseTo(45_000, 8); // −0.3 × −3 × 100 × 500
  });
  test('by underlying: option without underlying symbol → INVALID_INPUT', () => {
    expect(() => exposureByUnderlying([{ id: 'o', symbol: 'O', positionType: 'LC', quantity: 1, price: 1 }])).toThrow(EngineError);
  });
  test('by tag, no filter: a position with two tags counts under each', () => {
    const { groups, combined } = exposureByTag(book);
    expect(groups.map((x) => [x.key, x.netExposureUsd])).toEqual([['core', 18_800], ['hedge', -6_200], ['tech', 21_000]]);
    expect(combined.netExposureUsd).toBe(14_800);
  });
  test('by tag, mode any (OR) vs all (AND)', () => {
    const any = exposureByTag(book, { filterTags: ['core', 'hedge'], mode: 'any' });
    expect(any.combined.positionCount).toBe(3); // aapl, xom, spy-sp
    expect(any.groups.map((x) => [x.key, x.positionCount])).toEqual([['core', 2], ['hedge', 2]]);
    const all = exposureByTag(book, { filterTags: ['core', 'hedge'], mode: 'all' });
    expect(all.combined.positionCount).toBe(1); // spy-sp only
    expect(all.combined.netExposureUsd).toBe(-1_200);
    expect(() => exposureByTag(book, { filterTags: [] })).toThrow(EngineError);
  });
});
