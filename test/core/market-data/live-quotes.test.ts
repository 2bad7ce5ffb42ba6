/**
 * get_current_quotes with live providers (fake FMP batch-quote and Polygon snapshot shapes):
 * live prices first, the next provider when one fails, stored closes when all fail.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HTTP_DEFAULTS, type HttpProviderConfig } from '../../../core/market-data/http/provider-config.ts';
import { createBundledProvider } from '../../../core/market-data/providers/bundled.ts';
import { createFmpProvider } from '../../../core/market-data/providers/fmp.ts';
import { createPolygonProvider } from '../../../core/market-data/providers/polygon.ts';
import { createLogger } from '../../../core/logger.ts';
import type { Principal, ServiceDeps } from '../../../core/services/context.ts';
import { getCurrentQuotes } from '../../../core/services/market-data.ts';
import { bundledSeries } from '../../helpers/bundled-prices.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { fakeClose, FakeMarketServer } from './fake-market-server.ts';

const alice: Principal = { userId: 'fd5f083c-6ffc-df32-89ca-a4044b5723f5', email: 'demo_individual@sigmasight.com', role: 'user' };
const log = createLogger({ level: 'silent' });

describe('live quotes', () => {
  let db: TestDb;
  let fake: FakeMarketServer;
  let deps: ServiceDeps;
  let cfg: HttpProviderConfig;
  beforeAll(async () => {
    db = await createTestDb('pglite', { seeded: true });
    fake = await new FakeMarketServer().start();
    cfg = { ...HTTP_DEFAULTS, apiKey: 'k', baseUrl: fake.baseUrl, requestsPerMinute: 10_000, timeoutMs: 1_000, maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 };
    deps = { db: db.db, log, clock: () => new Date('2026-07-14T20:00:00Z') };
  });
  afterAll(async () => {
    await fake.stop();
    await db.destroy();
  });
  beforeEach(() => {
    fake.always.clear();
    fake.requests.length = 0;
  });

  it('FMP batch-quote prices come first; unknown symbols fall back to stored closes or fail', async () => {
    const providers = [createFmpProvider(cfg, { log }), createBundledProvider()];
    const r = await getCurrentQuotes(deps, alice, { symbols: 'AAPL,NVDA,NOPE' }, { providers });
    const aapl = r.quotes.find((q) => q.symbol === 'AAPL')!;
    expect(aapl).toMatchObject({ is_live: true, source: 'fmp', price_date: '2026-07-14', last_price: fakeClose('AAPL', '2026-07-14'), previous_close: fakeClose('AAPL', '2026-07-13'), volume: 123_456, is_stale: false });
    expect(aapl.day_change!).toBeCloseTo(fakeClose('AAPL', '2026-07-14') - fakeClose('AAPL', '2026-07-13'), 9);
    const nvda = r.quotes.find((q) => q.symbol === 'NVDA')!;
    expect(nvda).toMatchObject({ is_live: false, source: 'bundled', price_date: '2026-07-13' });
    expect(nvda.last_price).toBeCloseTo(bundledSeries('NVDA').closes.at(-1)!, 6);
    expect(r.metadata.failed_symbols).toEqual(['NOPE']);
  });

  it('a failing FMP falls through to the Polygon snapshot, and to stored closes when both fail', async () => {
    fake.always.set('fmp:quotes', { status: 500 });
    const providers = [createFmpProvider(cfg, { log }), createPolygonProvider(cfg, { log })];
    const r = await getCurrentQuotes(deps, alice, { symbols: 'BRK-B,MSFT' }, { providers });
    expect(r.quotes.map((q) => [q.symbol, q.source, q.is_live])).toEqual([['BRK-B', 'polygon', true], ['MSFT', 'polygon', true]]);
    expect(r.quotes[0]!.last_price).toBe(fakeClose('BRK.B', '2026-07-14'));
    fake.always.set('polygon:quotes', 'malformed');
    const down = await getCurrentQuotes(deps, alice, { symbols: 'MSFT' }, { providers });
    expect(down.quotes.map((q) => [q.symbol, q.source, q.is_live])).toEqual([['MSFT', 'bundled', false]]);
  });
});
