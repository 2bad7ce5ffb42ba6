/**
 * Price reads against the bundled CSV (test/helpers/bundled-prices.ts) as the independent
 * reference: the service must return exactly the stored real closes and changes derived from them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradingDays } from '../../../core/market-data/calendar.ts';
import { createLogger } from '../../../core/logger.ts';
import type { Principal } from '../../../core/services/context.ts';
import { getCurrentQuotes, getFactorEtfPrices, getHistoricalPrices } from '../../../core/services/market-data.ts';
import { bundledSeries } from '../../helpers/bundled-prices.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

const INDIVIDUAL = '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe';
const alice: Principal = { userId: 'fd5f083c-6ffc-df32-89ca-a4044b5723f5', email: 'demo_individual@sigmasight.com', role: 'user' };
const closeOn = (symbol: string, date: string) => {
  const s = bundledSeries(symbol);
  return s.closes[s.dates.indexOf(date)]!;
};

describe('market-data reads', () => {
  let db: TestDb;
  let deps: { db: TestDb['db']; log: ReturnType<typeof createLogger>; clock: () => Date };
  beforeAll(async () => {
    db = await createTestDb('pglite', { seeded: true });
    deps = { db: db.db, log: createLogger({ level: 'silent' }), clock: () => new Date('2026-11-30T12:00:00Z') };
  });
  afterAll(() => db.destroy());

  it('historical prices are the stored real closes over a calendar-day lookback', async () => {
    const r = await getHistoricalPrices(deps, alice, { portfolio_id: INDIVIDUAL, lookback_days: 14 });
    expect(r.metadata).toMatchObject({ lookback_days: 14, start_date: '2026-06-29', end_date: '2026-07-13', trading_days_included: 10 });
    expect(tradingDays('2026-06-29', '2026-07-13')).toHaveLength(10); // 07-03 closed
    const spy = bundledSeries('SPY');
    const want = spy.dates.filter((d) => d >= '2026-06-29');
    expect(r.symbols['SPY']!.dates).toEqual(want); // factor ETF added by default
    expect(r.symbols['AAPL']!.close).toEqual(want.map((d) => closeOn('AAPL', d)));
    expect(r.symbols['AAPL']!.volume.every((v) => v === 0)).toBe(true);
    expect(r.symbols['FXNAX']).toBeUndefined();
    expect(r.metadata.omitted_symbols).toContainEqual({ symbol: 'FXNAX', reason: 'no stored closes in the window' });
    expect(r.metadata.total_data_points).toBe(Object.keys(r.symbols).length * 10);
  });

  it('filters symbols, caps by market value and formats unix dates', async () => {
    const r = await getHistoricalPrices(deps, alice, { portfolio_id: INDIVIDUAL, lookback_days: 3, symbols: 'aapl, xom ,SPY', date_format: 'unix', include_factor_etfs: true });
    expect(Object.keys(r.symbols).sort()).toEqual(['AAPL', 'SPY']);
    expect(r.metadata.omitted_symbols).toEqual([{ symbol: 'XOM', reason: 'not held in this portfolio and not a factor ETF' }]);
    expect(r.symbols['AAPL']!.dates).toEqual([Date.UTC(2026, 6, 10) / 1000, Date.UTC(2026, 6, 13) / 1000]);
    const top = await getHistoricalPrices(deps, alice, { portfolio_id: INDIVIDUAL, lookback_days: 3, max_symbols: 2, include_factor_etfs: false });
    expect(Object.keys(top.symbols)).toHaveLength(2);
    await expect(getHistoricalPrices(deps, alice, { portfolio_id: INDIVIDUAL, lookback_days: 999 })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('lookback_days') });
  });

  it('quotes give the change from the previous trading day and flag staleness against the clock', async () => {
    const r = await getCurrentQuotes(deps, alice, { symbols: 'aapl,NOPE,VIX', max_symbols: 2 });
    expect(r.metadata).toMatchObject({ requested_symbols: ['AAPL', 'NOPE', 'VIX'], applied_symbols: ['AAPL', 'NOPE'], truncated: true, successful_quotes: 1, failed_symbols: ['NOPE'] });
    const q = r.quotes[0]!;
    const last = closeOn('AAPL', '2026-07-13');
    const prev = closeOn('AAPL', '2026-07-10');
    expect(q).toMatchObject({ symbol: 'AAPL', price_date: '2026-07-13', previous_close: prev, bid: null, is_stale: true, source: 'bundled' });
    expect(q.last_price).toBeCloseTo(last, 9);
    expect(q.day_change!).toBeCloseTo(last - prev, 9);
    expect(q.day_change_percent!).toBeCloseTo((100 * (last - prev)) / prev, 9);
    await expect(getCurrentQuotes(deps, alice, { symbols: ' , ' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('factor ETF prices accept names case-insensitively and tickers, with optional history', async () => {
    const r = await getFactorEtfPrices(deps, alice, { factors: 'value, spy,Nope', lookback_days: 30 });
    expect(Object.keys(r.data).sort()).toEqual(['SPY', 'VTV']);
    expect(r.metadata).toMatchObject({ factor_model: '7-factor', etf_count: 2, as_of: '2026-07-13', unmatched_factors: ['NOPE'] });
    expect(r.data['VTV']).toMatchObject({ factor_name: 'Value', date: '2026-07-13', data_source: 'bundled' });
    expect(r.data['VTV']!.current_price).toBeCloseTo(closeOn('VTV', '2026-07-13'), 9);
    expect(r.data['SPY']!.history!.map((h) => h.date)).toEqual(bundledSeries('SPY').dates.filter((d) => d >= '2026-06-13'));
    const all = await getFactorEtfPrices(deps, alice, {});
    expect(Object.keys(all.data).sort()).toEqual(['MTUM', 'QUAL', 'SIZE', 'SPY', 'USMV', 'VTV', 'VUG']);
    expect(all.data['SPY']!.history).toBeNull();
  });
});
