/**
 * The long market history the second-wave phases read: built with the run's already-loaded
 * closes (only earlier dates read again), it equals the history read entirely from the database.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clearAnalysisMemos } from '../../../core/batch/analyses/memo.ts';
import { loadMarketHistory } from '../../../core/batch/market-history.ts';
import { historyFrom } from '../../../core/batch/phases/analyses.ts';
import { loadCloses } from '../../../db/queries/market-prices.ts';
import { DEMO_AS_OF, seededDb } from '../../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../../helpers/db.ts';

describeEachDb('market history', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await seededDb(kind);
  }, 120_000);
  afterAll(() => db.destroy());

  it.each(['2026-03-02', '2024-01-02', '2019-12-01'])('completed from closes known since %s, equals the history read in full', async (from) => {
    const symbols = ['AAPL', 'SPY', 'TLT', 'QQQ', 'NVDA', 'MSFT', 'NOSUCH'];
    clearAnalysisMemos();
    const full = await loadMarketHistory(db.db, symbols, historyFrom(DEMO_AS_OF), DEMO_AS_OF);
    // the known window leaves one symbol out, as a run's may
    const known = await loadCloses(db.db, symbols.filter((s) => s !== 'TLT'), from, DEMO_AS_OF);
    clearAnalysisMemos();
    const part = await loadMarketHistory(db.db, symbols, historyFrom(DEMO_AS_OF), DEMO_AS_OF, { from, closes: known });
    expect(part).not.toBe(full);
    expect(part.dates.length).toBeGreaterThan(700);
    expect(part).toEqual(full);
  });

  // Ranges at the edges of the history: two adjacent ones, a single trading date, a single
  // weekend date, one before any close and one after the as-of date (as a replay window ahead of
  // an earlier run's date is), around a recent tail set apart from them.
  const RECENT = '2026-06-02';
  const EDGE_RANGES: [string, string][] = [
    ['1990-01-02', '1990-03-01'],
    ['2020-02-09', '2020-03-23'],
    ['2023-05-01', '2023-05-10'],
    ['2023-05-11', '2023-05-24'],
    ['2024-03-02', '2024-03-02'],
    ['2024-03-04', '2024-03-04'],
    [RECENT, DEMO_AS_OF],
    ['2026-07-16', '2026-08-14'],
  ];

  it.each(['2023-05-10', '2023-05-11', '2024-03-02', '2024-03-04', RECENT, DEMO_AS_OF])(
    'ranges at the edges of the history hold the calendar dates of each range read alone, whether closes are known since %s or not',
    async (from) => {
      const symbols = ['AAPL', 'SPY', 'TLT', 'NOSUCH'];
      const spy = await Promise.all(EDGE_RANGES.map(([a, b]) => loadCloses(db.db, ['SPY'], a, b)));
      const expected = spy.flatMap((m) => m.get('SPY')?.dates ?? []);
      expect(expected).toContain('2024-03-04');
      expect(expected).not.toContain('2024-03-02');
      clearAnalysisMemos();
      const full = await loadMarketHistory(db.db, symbols, EDGE_RANGES, DEMO_AS_OF);
      expect(full.dates).toEqual(expected);
      // the recent tail is the last range with dates: everything before it lies in the earlier ranges
      expect(full.tailStart).toBe(spy.slice(0, 6).reduce((n, m) => n + (m.get('SPY')?.dates.length ?? 0), 0));
      expect(full.dates[full.tailStart]! >= RECENT).toBe(true);
      const known = await loadCloses(db.db, symbols.filter((s) => s !== 'TLT'), from, DEMO_AS_OF);
      clearAnalysisMemos();
      const part = await loadMarketHistory(db.db, symbols, EDGE_RANGES, DEMO_AS_OF, { from, closes: known });
      expect(part).not.toBe(full);
      expect(part).toEqual(full);
    },
  );
});
