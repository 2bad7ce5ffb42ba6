/**
 * FMP and Polygon against a local fake server with their real response shapes: 429 storms with
 * Retry-After, 500s, timeouts, malformed JSON, wrong shapes and empty results. Nothing is lost —
 * after the storm the stored rows equal exactly what the fake served — and a malformed page is
 * reported, not written. Reruns write nothing (counted in rows and updated_at, on both databases).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { seedDatabase } from '../../../core/bootstrap.ts';
import { windowStart } from '../../../core/market-data/calendar.ts';
import { HTTP_DEFAULTS, type HttpProviderConfig } from '../../../core/market-data/http/provider-config.ts';
import { createLogger } from '../../../core/logger.ts';
import { createFmpProvider } from '../../../core/market-data/providers/fmp.ts';
import { createPolygonProvider } from '../../../core/market-data/providers/polygon.ts';
import { syncMarketData, type SyncDeps } from '../../../core/market-data/sync.ts';
import { queryRows } from '../../../db/exec.ts';
import { createTestDb, describeEachDb, type TestDb } from '../../helpers/db.ts';
import { FakeMarketServer, servedCloses } from './fake-market-server.ts';

const AS_OF = '2026-07-13';
const DAYS = 30;
const FROM = windowStart(AS_OF, DAYS);
const log = createLogger({ level: 'silent' });

const cfg = (fake: FakeMarketServer, over: Partial<HttpProviderConfig> = {}): HttpProviderConfig => ({
  ...HTTP_DEFAULTS, apiKey: 'test-key', baseUrl: fake.baseUrl, requestsPerMinute: 10_000, concurrency: 3, timeoutMs: 1_000,
  maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 3_000, breakerThreshold: 50, ...over,
});

async function stored(db: TestDb, symbol: string, source: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ date: string; close: string | number }>(db.db, sql`select date::text as date, close from market_prices where symbol = ${symbol} and source = ${source} order by date`);
  return new Map(rows.map((r) => [r.date, Number(r.close)]));
}

const fingerprint = async (db: TestDb) =>
  (await queryRows<{ n: number; u: string }>(db.db, sql`select count(*)::int as n, max(updated_at)::text as u from market_prices`))[0]!;

describeEachDb('HTTP providers under a storm', (kind) => {
  let db: TestDb;
  let fake: FakeMarketServer;
  let deps: SyncDeps;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await seedDatabase(db);
    fake = await new FakeMarketServer().start();
    deps = { db: db.db, log, clock: () => new Date('2026-07-14T12:00:00Z') };
  });
  afterAll(async () => {
    await fake.stop();
    await db.destroy();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.faults.clear();
    fake.always.clear();
  });

  it('FMP: 429 storm with Retry-After, 500s, a timeout, malformed JSON, a wrong shape and empty results; nothing lost', async () => {
    fake.faults.set('AAPL', [{ status: 429, retryAfter: '1' }, { status: 429, retryAfter: '1' }]);
    fake.faults.set('MSFT', [{ status: 500 }, { status: 503 }, { status: 500 }]);
    fake.faults.set('NVDA', ['hang']);
    fake.always.set('META', 'malformed');
    fake.always.set('AMD', 'badshape');
    fake.always.set('ZM', 'empty');
    const fmp = createFmpProvider(cfg(fake), { log });
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'META', 'AMD', 'ZM', 'SPY', 'VIX', 'SPY270319C00535000'];
    const s = await syncMarketData({ ...deps, providers: [fmp] }, { mode: 'backfill', days: DAYS, asOf: AS_OF, symbols });

    for (const sym of ['AAPL', 'MSFT', 'NVDA', 'SPY']) expect(await stored(db, sym, 'fmp'), sym).toEqual(servedCloses(sym, FROM, AS_OF));
    expect(await stored(db, 'VIX', 'fmp')).toEqual(servedCloses('^VIX', FROM, AS_OF)); // index requested as ^VIX
    expect(servedCloses('AAPL', FROM, AS_OF).size).toBe(DAYS);
    for (const sym of ['META', 'AMD', 'ZM']) expect((await stored(db, sym, 'fmp')).size, sym).toBe(0);
    expect(s.failed.map((f) => [f.symbol, f.kind]).sort()).toEqual([['AMD', 'malformed'], ['META', 'malformed'], ['ZM', 'empty']]);
    expect(s.failed.find((f) => f.symbol === 'META')!.reason).toContain('not valid JSON');
    expect(s.perProvider.fmp).toMatchObject({ requested: 8, ok: 5, empty: 1, failed: 2, rowsWritten: 5 * DAYS });
    expect(s.skipped).toEqual([{ symbol: 'SPY270319C00535000', reason: 'option: no configured provider serves option bars' }]);
    expect(fake.requests.some((r) => /\d{6}[CP]\d{8}/.test(r.symbol))).toBe(false);
    expect(s.stale.sort()).toEqual(['AMD', 'META', 'ZM']); // no stored closes from this database's seed-only state
    expect(s.rateRowsWritten).toBe(2 * DAYS);

    expect(fake.count('fmp', 'AAPL')).toBe(3);
    const aapl = fake.requests.filter((r) => r.symbol === 'AAPL');
    expect(aapl[1]!.at - aapl[0]!.at).toBeGreaterThanOrEqual(950); // Retry-After: 1 honoured
    expect(aapl[2]!.at - aapl[1]!.at).toBeGreaterThanOrEqual(950);
    expect(fake.count('fmp', 'MSFT')).toBe(4);
    expect(fake.count('fmp', 'NVDA')).toBe(2);
    expect(fake.count('fmp', 'META')).toBe(1); // malformed JSON is reported, not retried
  });

  it('a rerun writes no duplicates and nothing at all when nothing changed', async () => {
    const fmp = createFmpProvider(cfg(fake), { log });
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'SPY', 'VIX'];
    const before = await fingerprint(db);
    const s = await syncMarketData({ ...deps, providers: [fmp] }, { mode: 'backfill', days: DAYS, asOf: AS_OF, symbols });
    expect(s.symbolsOk).toBe(5);
    expect(s.rowsWritten).toBe(0);
    expect(await fingerprint(db)).toEqual(before);
    const dupes = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from (select symbol, date from market_prices group by 1, 2 having count(*) > 1) d`);
    expect(dupes[0]!.n).toBe(0);
  });

  it('Polygon: follows next_url pages; a malformed page 2 is reported and only page 1 is written', async () => {
    fake.pageSize = 12;
    fake.always.set('MSFT#2', 'malformed');
    fake.faults.set('GOOGL#3', [{ status: 429, retryAfter: '0' }, { status: 500 }]);
    fake.always.set('PTON', 'empty');
    const polygon = createPolygonProvider(cfg(fake), { log });
    const symbols = ['GOOGL', 'MSFT', 'BRK-B', 'VIX', 'PTON', 'SPY270319C00535000'];
    const s = await syncMarketData({ ...deps, providers: [polygon] }, { mode: 'backfill', days: DAYS, asOf: AS_OF, symbols });

    expect(await stored(db, 'GOOGL', 'polygon')).toEqual(servedCloses('GOOGL', FROM, AS_OF));
    expect(await stored(db, 'BRK-B', 'polygon')).toEqual(servedCloses('BRK.B', FROM, AS_OF)); // requested as BRK.B
    expect(await stored(db, 'VIX', 'polygon')).toEqual(servedCloses('I:VIX', FROM, AS_OF));
    expect(await stored(db, 'SPY270319C00535000', 'polygon')).toEqual(servedCloses('O:SPY270319C00535000', FROM, AS_OF)); // option bars only as O:
    const page1 = new Map([...servedCloses('MSFT', FROM, AS_OF)].slice(0, 12));
    const msftPolygon = await stored(db, 'MSFT', 'polygon');
    expect(msftPolygon).toEqual(page1);
    expect(s.failed.map((f) => [f.symbol, f.kind]).sort()).toEqual([['MSFT', 'malformed'], ['PTON', 'empty']]);
    expect(s.failed.find((f) => f.symbol === 'MSFT')!.reason).toContain('page 2');
    expect(fake.requests.filter((r) => r.symbol === 'GOOGL').map((r) => r.page)).toEqual([1, 2, 3, 3, 3]);
    expect(fake.count('polygon', 'MSFT')).toBe(2);
  });

  it('falls back to the next provider when the first keeps failing, and records the recovery', async () => {
    fake.always.set('fmp:JNJ', { status: 500 });
    const fmp = createFmpProvider(cfg(fake, { maxAttempts: 2 }), { log });
    const polygon = createPolygonProvider(cfg(fake), { log });
    const s = await syncMarketData({ ...deps, providers: [fmp, polygon] }, { mode: 'latest', asOf: AS_OF, symbols: ['JNJ', 'PG'] });
    expect(s.failed).toEqual([{ symbol: 'JNJ', provider: 'fmp', kind: 'server', reason: expect.stringContaining('HTTP 500'), recovered: true }]);
    expect(s.symbols.find((o) => o.symbol === 'JNJ')).toMatchObject({ status: 'ok', servedBy: 'polygon' });
    expect(s.symbols.find((o) => o.symbol === 'PG')).toMatchObject({ status: 'ok', servedBy: 'fmp' });
    expect(await stored(db, 'JNJ', 'polygon')).toEqual(servedCloses('JNJ', windowStart(AS_OF, 5), AS_OF));
  });

  it('an open circuit stops calling a failing provider; the run still finishes and reports stale symbols', async () => {
    for (const sym of ['HD', 'UNH', 'V', 'JPM', 'C', 'F']) fake.always.set(sym, { status: 500 });
    const fmp = createFmpProvider(cfg(fake, { concurrency: 1, maxAttempts: 2, breakerThreshold: 3 }), { log });
    const s = await syncMarketData({ ...deps, providers: [fmp] }, { mode: 'latest', asOf: AS_OF, symbols: ['HD', 'UNH', 'V', 'JPM', 'C', 'F'] });
    expect(fake.count('fmp')).toBe(3);
    expect(s.failed.filter((f) => f.kind === 'circuit_open').length).toBeGreaterThanOrEqual(4);
    expect(s.stale.sort()).toEqual(['C', 'F', 'HD', 'JPM', 'UNH', 'V']);
  });

  it('a rejected key stops after one request; unknown tickers with no history are marked unresolvable', async () => {
    fake.always.set('GE', { status: 401 });
    const fmp = createFmpProvider(cfg(fake, { concurrency: 1 }), { log });
    const s = await syncMarketData({ ...deps, providers: [fmp] }, { mode: 'latest', asOf: AS_OF, symbols: ['GE', 'XOM', 'NFLX'] });
    expect(fake.count('fmp')).toBe(1);
    expect(s.failed.map((f) => f.kind)).toEqual(['auth', 'auth', 'auth']);

    await db.db.execute(sql`insert into securities (symbol, security_type) values ('GONE', 'stock') on conflict do nothing`);
    fake.always.set('GONE', 'empty');
    const polygon = createPolygonProvider(cfg(fake), { log });
    const r = await syncMarketData({ ...deps, providers: [polygon] }, { mode: 'latest', asOf: AS_OF, symbols: ['GONE'] });
    expect(r.unresolvableMarked).toEqual(['GONE']);
    fake.requests.length = 0;
    const again = await syncMarketData({ ...deps, providers: [polygon] }, { mode: 'latest', asOf: AS_OF, symbols: ['GONE'] });
    expect(again.skipped).toEqual([{ symbol: 'GONE', reason: 'marked unresolvable; not requested' }]);
    expect(fake.requests).toEqual([]);
  });

  it('an aborted sync requests nothing and says so', async () => {
    const ac = new AbortController();
    ac.abort();
    const fmp = createFmpProvider(cfg(fake), { log });
    const s = await syncMarketData({ ...deps, providers: [fmp] }, { mode: 'latest', asOf: AS_OF, symbols: ['AAPL'], signal: ac.signal });
    expect(s.aborted).toBe(true);
    expect(fake.requests).toEqual([]);
    expect(s.rowsWritten).toBe(0);
  });

  it('FMP Treasury yields land in treasury_rates as ^IRX (3-month) and ^TNX (10-year)', async () => {
    const fmp = createFmpProvider(cfg(fake), { log });
    const s = await syncMarketData({ ...deps, providers: [fmp] }, { mode: 'latest', asOf: AS_OF, symbols: ['SPY'] });
    expect(s.rateRowsWritten).toBe(0); // the backfill above stored them already; a rerun writes nothing
    const rows = await queryRows<{ series: string; y: string | number }>(db.db, sql`select series, yield_pct as y from treasury_rates where date = ${AS_OF} order by series`);
    expect(rows.map((r) => [r.series, Number(r.y)])).toEqual([['^IRX', 4.25], ['^TNX', 4.4]]);
  });
});
