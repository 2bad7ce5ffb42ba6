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
});
