/**
 * Phase 1 with an HTTP provider: with an FMP key the batch syncs the latest closes from the
 * provider (a local fake FMP server) before computing, so stored closes and results move to the
 * provider's prices; a provider that fails for a symbol leaves the run complete, with the symbol
 * reported. Without keys the offline coverage check stays in place.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { providerSyncFromEnv } from '../../../core/batch/provider-sync.ts';
import { getBatchStatus, startSystemRun } from '../../../core/batch/service.ts';
import { parseEnv } from '../../../core/env.ts';
import { createLogger } from '../../../core/logger.ts';
import { marketPrices, positionValuations, positions } from '../../../db/schema/index.ts';
import { batchDeps, seededDb } from '../../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../../helpers/db.ts';
import { FakeMarketServer, fakeClose } from '../market-data/fake-market-server.ts';

const log = createLogger({ level: 'silent' });
const ADMIN = { userId: '00000000-0000-0000-0000-000000000000', email: 'admin@sigmasight.dev', role: 'admin' as const };

it('keeps the offline check when no provider key is configured', () => {
  expect(providerSyncFromEnv(parseEnv({}), log)).toBeUndefined();
});

describeEachDb('batch market-data phase through a provider', (kind) => {
  let db: TestDb;
  let fake: FakeMarketServer;
  beforeAll(async () => {
    [db, fake] = await Promise.all([seededDb(kind), new FakeMarketServer().start()]);
  }, 180_000);
  afterAll(async () => {
    await fake.stop();
    await db.destroy();
  });

  it('syncs closes from FMP, values positions at them, and survives a failing symbol', async () => {
    fake.always.set('fmp:MSFT', { status: 500 });
    const env = parseEnv({ FMP_API_KEY: 'test-key', FMP_BASE_URL: fake.baseUrl, MARKET_DATA_PROVIDERS: 'fmp,bundled', MARKET_DATA_MAX_ATTEMPTS: '2', MARKET_DATA_TIMEOUT_MS: '2000' });
    const sync = providerSyncFromEnv(env, log)!;
    const svc = batchDeps(db, { syncMarketData: sync });
    const { run_id } = await startSystemRun(svc, { trigger: 'cli', portfolioIds: ['1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe'] });
    await svc.runner.idle();

    const status = await getBatchStatus(svc, ADMIN, run_id);
    const md = status.global_phases.find((p) => p.phase === 'market_data')!;
    expect(md.status).toBe('succeeded');
    expect(md.rows_written).toBeGreaterThan(0);
    expect(md.warnings.join('\n')).toMatch(/MSFT/);
    expect(status.portfolios[0]!.phases.every((p) => p.status === 'succeeded')).toBe(true);

    const [aapl] = await db.db.select().from(marketPrices).where(and(eq(marketPrices.symbol, 'AAPL'), eq(marketPrices.date, '2026-07-13')));
    expect(aapl).toMatchObject({ source: 'fmp', close: Math.round(fakeClose('AAPL', '2026-07-13') * 1e6) / 1e6 });
    const [v] = await db.db.select({ price: positionValuations.price }).from(positionValuations).innerJoin(positions, eq(positions.id, positionValuations.positionId))
      .where(and(eq(positions.symbol, 'AAPL'), eq(positionValuations.asOf, '2026-07-13')));
    expect(v!.price).toBe(aapl!.close);
  }, 180_000);
});
