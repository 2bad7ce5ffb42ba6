/**
 * Sync on the bundled provider alone (no API keys): loads the shipped closes once, then every
 * rerun is a no-op that validates stored data — counted in rows and updated_at, on both databases.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDatabase } from '../../../core/bootstrap.ts';
import { tradingDays } from '../../../core/market-data/calendar.ts';
import { createLogger } from '../../../core/logger.ts';
import { syncMarketData, type SyncDeps } from '../../../core/market-data/sync.ts';
import { queryRows } from '../../../db/exec.ts';
import { createTestDb, describeEachDb, type TestDb } from '../../helpers/db.ts';

const fingerprint = async (db: TestDb) =>
  (await queryRows<{ n: number; u: string; s: string }>(db.db, sql`select count(*)::int as n, max(updated_at)::text as u, sum(close)::text as s from market_prices`))[0]!;

describeEachDb('market-data sync on bundled data', (kind) => {
  let db: TestDb;
  let deps: SyncDeps;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await seedDatabase(db);
    deps = { db: db.db, log: createLogger({ level: 'silent' }), clock: () => new Date('2026-07-14T12:00:00Z') };
  });
  afterAll(() => db.destroy());

  it('ensure-history loads the bundled closes and reports 252 trading days for every bundled symbol', async () => {
    const s = await syncMarketData(deps, { mode: 'ensure-history' });
    expect(s.providers).toEqual(['bundled']);
    expect(s.expectedDate).toBe('2026-07-13'); // 08:00 in New York on the 14th: the 13th is the last close
    expect(s.perProvider.bundled!.rowsWritten).toBe(123_975); // data/market: 75 × 1639 + VIX 1639 + … (check-db figure)
    expect(s.rateRowsWritten).toBe(2 * 1639);
    expect(s.window).toEqual({ from: tradingDays('2025-07-01', '2026-07-13').slice(-252)[0], to: '2026-07-13', tradingDays: 252 });
    const bySymbol = new Map(s.symbols.map((o) => [o.symbol, o]));
    for (const sym of ['AAPL', 'SPY', 'VIX', 'AGG', 'VUG', 'SIZE', 'BRK-B']) expect(bySymbol.get(sym), sym).toMatchObject({ status: 'ok', lastDate: '2026-07-13', history: { available: 252, needed: 252, status: 'full' } });
    for (const fund of ['FXNAX', 'FCNTX', 'FMAGX', 'VTIAX']) expect(bySymbol.get(fund), fund).toMatchObject({ kind: 'fund', status: 'stale', lastDate: null, history: { available: 0, status: 'missing' } });
    expect(s.stale.sort()).toEqual(['FCNTX', 'FMAGX', 'FXNAX', 'VTIAX']);
    expect(s.skipped.filter((k) => k.reason.startsWith('option'))).toHaveLength(8); // the demo book's 8 options are never requested as equities
    expect(s.symbols.some((o) => /\d{6}[CP]\d{8}$/.test(o.symbol))).toBe(false);
    expect(s.failed).toEqual([]);
  });

  it('reruns of every mode write nothing and leave updated_at untouched', async () => {
    const before = await fingerprint(db);
    for (const mode of ['latest', 'backfill', 'ensure-history'] as const) {
      const s = await syncMarketData(deps, { mode, days: mode === 'backfill' ? 90 : undefined });
      expect(s.rowsWritten, mode).toBe(0);
      expect(s.rateRowsWritten, mode).toBe(0);
    }
    expect(await fingerprint(db)).toEqual(before);
  });

  it('a later clock reports every symbol stale against the expected trading day, offline', async () => {
    const s = await syncMarketData({ ...deps, clock: () => new Date('2026-11-30T22:00:00Z') }, { mode: 'latest' });
    expect(s.expectedDate).toBe('2026-11-30');
    expect(s.symbolsOk).toBe(0);
    expect(s.stale).toContain('AAPL');
    expect(s.dataAsOf).toBe('2026-07-13');
  });

  it('unresolvable symbols are skipped and a bad days value is refused', async () => {
    await db.db.execute(sql`update securities set is_unresolvable = true where symbol = 'ZM'`);
    const s = await syncMarketData(deps, { mode: 'latest', symbols: ['zm', 'AAPL'] });
    expect(s.skipped).toEqual([{ symbol: 'ZM', reason: 'marked unresolvable; not requested' }]);
    expect(s.symbols.map((o) => o.symbol)).toEqual(['AAPL']);
    await expect(syncMarketData(deps, { mode: 'backfill', days: 0 })).rejects.toThrow(/days must be/);
  });
});
