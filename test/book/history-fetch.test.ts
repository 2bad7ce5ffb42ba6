/**
 * Instruments outside the bundled universe with a market-data provider (FMP answered by a fake
 * fetch in this process). A position on NEWCO, which has no stored prices, is accepted and flagged
 * missing_history; the recompute run after the change fetches NEWCO's history (252 trading days,
 * and nothing for AAPL, which the bundled data covers), so the flag clears and NEWCO is valued at
 * the served close. A ticker the provider does not know stays flagged, and every change run's
 * warnings name it. A scheduled run still syncs the
 * latest closes only. The import command's history step (scripts/lib/import-history.ts) fetches
 * what committed rows lack, with progress, and says what is still missing; offline it says how to
 * load it.
 */
import { testReportsDir } from '../helpers/batch.ts';
import { and, eq, gte, lte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSyncFromEnv } from '../../core/batch/provider-sync.ts';
import { createRecompute } from '../../core/batch/recompute.ts';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { batchDepsFromEnv } from '../../core/batch/runtime.ts';
import { startSystemRun, type BatchServiceDeps } from '../../core/batch/service.ts';
import { parseEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import { tradingDays } from '../../core/market-data/calendar.ts';
import { PositionCreateSchema } from '../../core/contracts/book.ts';
import { createProviders, marketDataConfigFromEnv } from '../../core/market-data/config.ts';
import type { SyncProgress } from '../../core/market-data/sync.ts';
import { commitImport, previewImport } from '../../core/services/book-imports.ts';
import { addPosition } from '../../core/services/book-positions.ts';
import { createPortfolio } from '../../core/services/book-portfolios.ts';
import type { Principal } from '../../core/services/context.ts';
import { createUser } from '../../core/services/users.ts';
import { marketPrices, positionValuations } from '../../db/schema/index.ts';
import { importHistoryReport, loadImportedHistory } from '../../scripts/lib/import-history.ts';
import { buildApp, DEMO_AS_OF, login, type TestApp } from '../api/helpers.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';
import { servedCloses } from '../core/market-data/fake-market-server.ts';

const TODAY = DEMO_AS_OF; // 2026-07-13, the last bundled trading day
const CLOCK = () => new Date(`${TODAY}T21:00:00Z`);
const PASSWORD = 'history-fetch-1';
const DEBOUNCE_MS = 50;
/** Tickers the fake provider does not know: it answers an empty list, as FMP does. */
const UNKNOWN = new Set(['NOSUCH', 'NOSUCH2']);
const log = createLogger({ level: 'silent' });
const ENV = { FMP_API_KEY: 'test-key', FMP_BASE_URL: 'http://fmp.invalid', MARKET_DATA_PROVIDERS: 'fmp,bundled', MARKET_DATA_MAX_ATTEMPTS: '1', MARKET_DATA_TIMEOUT_MS: '2000' };

interface Asked {
  symbol: string;
  from: string;
  to: string;
}
/** The trading days a request covered. */
const span = (r: Asked): number => tradingDays(r.from, r.to).length;

/** FMP's dividend-adjusted EOD endpoint and treasury rates, in process; every bar request is recorded. */
function fakeFmp(asked: Asked[]): typeof fetch {
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  return async (input) => {
    const u = new URL(String(input instanceof Request ? input.url : input));
    if (u.pathname === '/stable/historical-price-eod/dividend-adjusted') {
      const r = { symbol: u.searchParams.get('symbol')!, from: u.searchParams.get('from')!, to: u.searchParams.get('to')! };
      asked.push(r);
      if (UNKNOWN.has(r.symbol)) return json([]);
      const bars = [...servedCloses(r.symbol, r.from, r.to)].reverse().map(([date, c]) => ({ symbol: r.symbol, date, adjOpen: c, adjHigh: c, adjLow: c, adjClose: c, volume: 1000 }));
      return json(bars);
    }
    if (u.pathname === '/stable/treasury-rates') return json([]);
    return json({ message: 'not found' }, 404);
  };
}

describeEachDb('history of instruments outside the bundled universe, with a provider', (kind) => {
  let db: TestDb;
  let app: TestApp;
  let batch: BatchServiceDeps;
  let token: string;
  let principal: Principal;
  let pid: string;
  const asked: Asked[] = [];
  const fetchFake = fakeFmp(asked);

  async function ok(method: string, path: string, body?: unknown, status = 200): Promise<any> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    expect(res.status, `${method} ${path}: ${text}`).toBe(status);
    return text ? JSON.parse(text) : null;
  }
  const P = () => `/api/v1/portfolios/${pid}`;
  const latestChangeRun = async (): Promise<any> => (await ok('GET', `/api/v1/admin/batch/jobs/status?portfolio_id=${pid}&limit=50`)).runs.find((r: any) => r.trigger === 'change');
  const marketPhase = async (runId: string): Promise<any> => (await ok('GET', `/api/v1/admin/batch/jobs/${runId}`)).global_phases.find((p: any) => p.phase === 'market_data');
  const position = async (symbol: string): Promise<any> => (await ok('GET', `${P()}/positions`)).positions.find((q: any) => q.symbol === symbol);
  const storedCloses = (symbol: string, from: string, to: string) =>
    db.db.select({ date: marketPrices.date, close: marketPrices.close, source: marketPrices.source }).from(marketPrices)
      .where(and(eq(marketPrices.symbol, symbol), gte(marketPrices.date, from), lte(marketPrices.date, to)));
  /** The 252 trading days ending on TODAY (the engines' history window). */
  const WINDOW = tradingDays('2025-01-01', TODAY).slice(-252);

  beforeAll(async () => {
    db = await createTestDb(kind, { seeded: true });
    const env = parseEnv({ NODE_ENV: 'test', REPORTS_DIR: testReportsDir(), RECOMPUTE_DEBOUNCE_MS: String(DEBOUNCE_MS), ...ENV });
    const sync = providerSyncFromEnv(env, log, { fetch: fetchFake })!;
    const b = batchDepsFromEnv({ env, dbh: db, log, clock: CLOCK, syncMarketData: sync });
    batch = { ...b, runner: createInlineRunner(b) };
    batch.recompute = createRecompute(batch, { debounceMs: DEBOUNCE_MS });
    app = buildApp(db, { RECOMPUTE_DEBOUNCE_MS: String(DEBOUNCE_MS) }, { batch });
    const user = await createUser({ db: db.db, log, clock: CLOCK }, { email: `history-${kind}@example.com`, password: PASSWORD, full_name: 'History Fetch', role: 'user', create_portfolio: false });
    principal = { userId: user.id, email: user.email, role: 'user' };
    token = await login(app, `history-${kind}@example.com`, PASSWORD);
    pid = (await ok('POST', '/api/v1/portfolios', { name: 'Beyond the universe', opening_equity: 100_000, benchmark: 'SPY' }, 201)).id;
  }, 180_000);
  afterAll(async () => {
    await batch?.recompute?.idle();
    await db?.destroy();
  });

  it('adding NEWCO fetches its history in the change run: the flag clears and NEWCO is valued at the served close', async () => {
    expect(await storedCloses('NEWCO', '2000-01-01', TODAY)).toEqual([]);
    await ok('POST', `${P()}/positions`, { symbol: 'AAPL', quantity: 10, entry_price: 200, entry_date: '2026-06-01' }, 201);
    const w = await ok('POST', `${P()}/positions`, { symbol: 'NEWCO', quantity: 100, entry_price: 60, entry_date: '2026-06-01' }, 201);
    expect(w.position).toMatchObject({ symbol: 'NEWCO', missing_history: true });
    expect(w.recompute).toBe('queued');
    await batch.recompute!.idle();

    const run = await latestChangeRun();
    expect(run).toMatchObject({ trigger: 'change', status: 'succeeded', as_of: TODAY });
    const md = await marketPhase(run.run_id);
    expect(md.status).toBe('succeeded');
    expect(md.warnings.join('\n')).not.toContain('NEWCO');

    // NEWCO was asked for the whole window; AAPL (covered by the bundled data) only for the latest days
    const newco = asked.filter((r) => r.symbol === 'NEWCO');
    expect(newco.some((r) => r.from <= WINDOW[0]! && r.to === TODAY), JSON.stringify(newco)).toBe(true);
    const aapl = asked.filter((r) => r.symbol === 'AAPL');
    expect(aapl.length).toBeGreaterThan(0);
    expect(aapl.every((r) => span(r) <= 5), JSON.stringify(aapl)).toBe(true);

    const stored = await storedCloses('NEWCO', WINDOW[0]!, TODAY);
    expect(stored).toHaveLength(252);
    expect(stored.every((s) => s.source === 'fmp')).toBe(true);
    const served = servedCloses('NEWCO', TODAY, TODAY).get(TODAY)!;
    expect((await position('NEWCO')).missing_history).toBe(false);

    const [v] = await db.db.select().from(positionValuations).where(and(eq(positionValuations.positionId, w.position.id), eq(positionValuations.asOf, TODAY)));
    expect(v).toMatchObject({ price: served, priceDate: TODAY, runId: run.run_id });
    expect(v!.marketValue).toBeCloseTo(100 * served, 2);
    // and in the overview: both positions priced, long exposure = Σ q × stored close of the day
    const [aaplClose] = await storedCloses('AAPL', TODAY, TODAY);
    const o = await ok('GET', `/api/v1/analytics/portfolio/${pid}/overview`);
    expect(o.run_id).toBe(run.run_id);
    expect(Math.abs(o.exposures.long_exposure - (100 * served + 10 * aaplClose!.close))).toBeLessThanOrEqual(0.01);
  });

  it('a ticker no provider knows stays missing_history and every change run names it', async () => {
    const w = await ok('POST', `${P()}/positions`, { symbol: 'NOSUCH', quantity: 5, entry_price: 10, entry_date: '2026-06-01' }, 201);
    expect(w.position.missing_history).toBe(true);
    await batch.recompute!.idle();
    const run = await latestChangeRun();
    expect(run.status).toBe('succeeded');
    const md = await marketPhase(run.run_id);
    expect(md.warnings.find((x: string) => x.startsWith('no price history for NOSUCH from fmp: '))).toBeDefined();
    expect(run.warnings.join('\n')).toContain('no price history for NOSUCH from fmp');
    expect((await position('NOSUCH')).missing_history).toBe(true);
    expect(await storedCloses('NOSUCH', '2000-01-01', TODAY)).toEqual([]);
    expect((await position('NEWCO')).missing_history).toBe(false);

    // asked once in the run (its history), not again for the latest closes
    expect(asked.filter((r) => r.symbol === 'NOSUCH')).toHaveLength(1);

    // the next change asks again (the ticker may have been listed meanwhile) and names it again
    await ok('PATCH', `${P()}/positions/${w.position.id}`, { quantity: 6 });
    await batch.recompute!.idle();
    const next = await latestChangeRun();
    expect(next.run_id).not.toBe(run.run_id);
    expect(asked.filter((r) => r.symbol === 'NOSUCH')).toHaveLength(2);
    expect(next.warnings.join('\n')).toContain('no price history for NOSUCH from fmp');
    expect((await position('NOSUCH')).missing_history).toBe(true);
  });

  it('a scheduled run syncs the latest closes only, as before', async () => {
    // a position added without a recompute, then the nightly run
    await addPosition({ db: db.db, log, clock: CLOCK }, { principal, door: 'cli' }, pid, PositionCreateSchema.parse({ symbol: 'LATECO', quantity: 1, entry_price: 10, entry_date: '2026-06-01' }));
    const { run_id } = await startSystemRun(batch, { trigger: 'schedule', portfolioIds: [pid] });
    await batch.runner.idle();
    const md = await marketPhase(run_id);
    expect(md.status).toBe('succeeded');
    const lateco = asked.filter((r) => r.symbol === 'LATECO');
    expect(lateco.length).toBeGreaterThan(0);
    expect(lateco.every((r) => span(r) <= 5), JSON.stringify(lateco)).toBe(true);
    expect((await storedCloses('LATECO', '2000-01-01', TODAY)).length).toBeLessThanOrEqual(5);
  });

  describe('the import command fetches what committed rows lack', () => {
    const CSV = 'symbol,quantity,side,entry_price,entry_date\nAAPL,3,long,190,2026-05-01\nFRESHCO,40,long,25,2026-05-01\nNOSUCH2,7,long,12,2026-05-01\n';
    let imported: string;
    let flagged: string[];

    beforeAll(async () => {
      const deps = { db: db.db, log, clock: CLOCK };
      const w = { principal, door: 'cli' as const };
      imported = (await createPortfolio(deps, w, { name: 'Imported', opening_equity: 50_000, benchmark: 'SPY' })).id;
      const preview = await previewImport(deps, w, imported, { text: CSV, filename: 'holdings.csv' });
      expect(preview.problems).toEqual([]);
      flagged = preview.rows.filter((r) => r.missing_history).map((r) => r.position.symbol);
      expect(flagged.sort()).toEqual(['FRESHCO', 'NOSUCH2']);
      expect((await commitImport(deps, w, imported, preview.import_id, 'merge')).created).toBe(3);
    });

    it('offline: fetches nothing and says the symbols stay out of the analytics and how to load them', async () => {
      const n = asked.length;
      const h = await loadImportedHistory({ db: db.db, log, clock: CLOCK, providers: createProviders(marketDataConfigFromEnv(parseEnv({}))) }, { portfolioId: imported, symbols: flagged });
      expect(h).toMatchObject({ online: false, needed: ['FRESHCO', 'NOSUCH2'], loaded: [] });
      expect(asked).toHaveLength(n);
      const text = importHistoryReport(h);
      expect(text).toContain('no stored price history for FRESHCO, NOSUCH2');
      expect(text).toContain('stay out of the analytics');
      expect(text).toContain('FMP_API_KEY or POLYGON_API_KEY');
      expect(text).toContain('npm run market-data -- ensure-history');
    });

    it('with FMP: fetches their history with progress and says which now have it and which do not', async () => {
      const events: SyncProgress[] = [];
      const providers = createProviders(marketDataConfigFromEnv(parseEnv(ENV)), { fetch: fetchFake, log });
      const h = await loadImportedHistory({ db: db.db, log, clock: CLOCK, providers }, { portfolioId: imported, symbols: flagged, onProgress: (e) => events.push(e) });
      expect(h.online).toBe(true);
      expect(h.loaded).toEqual(['FRESHCO']);
      expect(h.missing.map((m) => m.symbol)).toEqual(['NOSUCH2']);
      expect(h.missing[0]!.reason).toMatch(/fmp/);
      // only the two flagged symbols were asked for, FRESHCO over the whole history window
      expect(events.filter((e) => e.phase === 'start').map((e) => [e.provider, e.total])).toEqual([['fmp', 2]]);
      expect(events.filter((e) => e.phase === 'symbol').map((e) => [e.symbol, e.ok]).sort()).toEqual([['FRESHCO', true], ['NOSUCH2', false]]);
      expect(events.at(-1)).toMatchObject({ provider: 'fmp', phase: 'done', done: 2, total: 2 });
      expect(await storedCloses('FRESHCO', WINDOW[0]!, TODAY)).toHaveLength(252);
      const text = importHistoryReport(h);
      expect(text).toContain('price history now stored for FRESHCO');
      expect(text).toMatch(/still no price history for NOSUCH2: it stays out of the analytics/);
      expect(text).toMatch(/^ {2}NOSUCH2: fmp/m);
      // the positions read back as the flag says
      const listed = (await ok('GET', `/api/v1/portfolios/${imported}/positions`)).positions;
      expect(Object.fromEntries(listed.map((q: any) => [q.symbol, q.missing_history]))).toEqual({ AAPL: false, FRESHCO: false, NOSUCH2: true });
    });
  });
});
