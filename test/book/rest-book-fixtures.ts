/**
 * The user's own book of test/book/rest-book-*.test.ts: the positions it holds, the bundled closes
 * read here from data/market/prices_daily.csv, the numpy/scipy option reference, the independent
 * exposures of the book, and one app per file over a seeded database with a debounced recompute
 * whose valuation and correlations phases can be held while a test makes a change.
 */
import { testReportsDir } from '../helpers/batch.ts';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { createRecompute } from '../../core/batch/recompute.ts';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { batchDepsFromEnv } from '../../core/batch/runtime.ts';
import { correlationsPhase } from '../../core/batch/phases/correlations.ts';
import { valuationPhase } from '../../core/batch/phases/valuation.ts';
import type { BatchServiceDeps } from '../../core/batch/service.ts';
import type { PortfolioPhase } from '../../core/batch/types.ts';
import { parseEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import { createUser } from '../../core/services/users.ts';
import { buildApp, DEMO_AS_OF, login, type TestApp } from '../api/helpers.ts';
import { createTestDb, type DbKind, type TestDb } from '../helpers/db.ts';
import { ROOT } from '../helpers/run.ts';

export const TODAY = DEMO_AS_OF; // 2026-07-13, the last bundled trading day
export const EARLIER = '2026-07-10'; // the trading day before
export const CLOCK = () => new Date(`${TODAY}T21:00:00Z`);
export const PASSWORD = 'own-book-pass-1';
/** Long enough that the requests of one burst (a few ms each) fall inside one debounce window. */
export const DEBOUNCE_MS = 400;
/** Stored money figures are rounded to cents; an independent sum may differ by half a cent plus float noise. */
export const USD_TOL = 0.01;
/** Greeks from the same inputs through two implementations of the same closed forms. */
export const REL_TOL = 1e-9;

/** Bundled adjusted closes, parsed here from the CSV (date,symbol,adj_close). */
export function bundledCloses(symbols: readonly string[]): Map<string, Map<string, number>> {
  const out = new Map(symbols.map((s) => [s, new Map<string, number>()]));
  const lines = readFileSync(`${ROOT}data/market/prices_daily.csv`, 'utf8').split('\n');
  expect(lines[0]!.trim()).toBe('date,symbol,adj_close');
  for (const line of lines.slice(1)) {
    const [date, symbol, close] = line.trim().split(',');
    if (symbol && out.has(symbol)) out.get(symbol)!.set(date!, Number(close));
  }
  return out;
}
export const CLOSES = bundledCloses(['AAPL', 'TSLA', 'SPY', 'ZZZZ']);
export const close = (symbol: string, date: string): number => {
  const c = CLOSES.get(symbol)?.get(date);
  if (c === undefined) throw new Error(`no bundled close for ${symbol} on ${date}`);
  return c;
};

export interface OptionRef {
  inputs: { spot: number; vol_annual: number; rate_cont: number; tenor_years: number };
  per_share: { model_price: number; delta: number; gamma: number; theta_per_day: number; vega_per_vol_point: number; rho_per_pct: number };
  position: { market_value: number; dollar_delta: number; dollar_gamma_1pct: number; theta_dollars_per_day: number; vega_dollars_per_vol_pt: number; rho_dollars_per_pct: number };
}
export const REF = JSON.parse(readFileSync(`${ROOT}test/fixtures/book-option-scipy.json`, 'utf8')) as {
  option: { underlying: string; strike: number; expiry: string; right: 'call' | 'put'; contracts: number; multiplier: number };
  dates: Record<string, OptionRef>;
};

// The book (entry prices are the bundled closes of the entry dates, the option's a premium paid).
export const OPENING_EQUITY = 100_000;
export const AAPL = { symbol: 'AAPL', side: 'long', quantity: 50, entry_price: 296.42, entry_date: '2026-06-15', tags: ['core'], notes: 'long stock' } as const;
export const TSLA = { symbol: 'TSLA', side: 'short', quantity: 20, entry_price: 411.15, entry_date: '2026-06-15', tags: ['hedge'] } as const;
export const CALL = {
  underlying: REF.option.underlying, strike: REF.option.strike, expiry: REF.option.expiry, right: REF.option.right,
  side: 'long', quantity: REF.option.contracts, entry_price: 22.5, entry_date: '2026-06-16', notes: 'long calls by parts',
} as const;
export const CALL_SYMBOL = 'SPY261016C00760000';
export const TSLA_EXIT = close('TSLA', TODAY); // covered at the day's close

/** Signed cost basis q × entry × multiplier of the book as held (USD). */
export const costBasis = (withTsla: boolean): number =>
  AAPL.quantity * AAPL.entry_price - (withTsla ? TSLA.quantity * TSLA.entry_price : 0) + CALL.quantity * 100 * CALL.entry_price;

/** Independent exposures of the book on `date`: stocks q × close, the option 2 × 100 × reference model price. */
export function expectedExposures(date: string, withTsla: boolean) {
  const aapl = AAPL.quantity * close('AAPL', date);
  const tsla = withTsla ? -TSLA.quantity * close('TSLA', date) : 0;
  const call = REF.dates[date]!.position.market_value;
  const long = aapl + call;
  const short = -tsla;
  const cash = OPENING_EQUITY - costBasis(withTsla);
  return { long, short, gross: long + short, net: long - short, cash, nav: cash + long - short };
}

export const near = (actual: number, expected: number, tol: number, what: string) =>
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
export const relNear = (actual: number, expected: number, what: string) =>
  expect(Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(REL_TOL);


export interface Res {
  status: number;
  type: string;
  body: any;
}

/** When set, a run holds in its valuation phase (after reading the book) and again before its correlations. */
export type Hold = { entered: () => void; ms: number } | null;

/** The app of one test file and the requests its tests make, as the file's own user. */
export interface OwnBook {
  db: TestDb;
  app: TestApp;
  batch: BatchServiceDeps;
  token: string;
  call(method: string, path: string, body?: unknown): Promise<Res>;
  ok(method: string, path: string, body?: unknown, status?: number): Promise<any>;
  P(): string;
  A(): string;
  runs(): Promise<any[]>;
  changeRuns(): Promise<any[]>;
  /** Waits for the recompute an edit queued; checks its run succeeded for TODAY and the overview is that run's; returns both. */
  recomputed(): Promise<{ run: any; overview: any }>;
}

/**
 * One seeded database and app for the describe block it is called in (made in beforeAll, dropped
 * in afterAll) with a fresh user logged in; `pid` names the portfolio the paths are for, `hold` the
 * hold the phases honour.
 */
export function useOwnBook(kind: DbKind, at: { pid: () => string; hold?: () => Hold }): OwnBook {
  const held = (phase: PortfolioPhase, signal: boolean): PortfolioPhase => async (tx, run, state, deps) => {
    const h = at.hold?.() ?? null;
    if (h) {
      if (signal) h.entered();
      await new Promise((r) => setTimeout(r, h.ms));
    }
    return phase(tx, run, state, deps);
  };
  const book = {
    async call(method: string, path: string, body?: unknown): Promise<Res> {
      const headers: Record<string, string> = { authorization: `Bearer ${book.token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await book.app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
    },
    async ok(method: string, path: string, body?: unknown, status = 200): Promise<any> {
      const r = await book.call(method, path, body);
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(status);
      return r.body;
    },
    P: () => `/api/v1/portfolios/${at.pid()}`,
    A: () => `/api/v1/analytics/portfolio/${at.pid()}`,
    runs: async (): Promise<any[]> => (await book.ok('GET', `/api/v1/admin/batch/jobs/status?portfolio_id=${at.pid()}&limit=200`)).runs,
    changeRuns: async (): Promise<any[]> => (await book.runs()).filter((r) => r.trigger === 'change'),
    async recomputed() {
      await book.batch.recompute!.idle();
      const run = (await book.changeRuns())[0];
      expect(run).toMatchObject({ status: 'succeeded', as_of: TODAY });
      const overview = await book.ok('GET', `${book.A()}/overview`);
      expect(overview.run_id).toBe(run.run_id);
      return { run, overview };
    },
  } as OwnBook;

  beforeAll(async () => {
    const db = await createTestDb(kind, { seeded: true });
    book.db = db;
    const env = parseEnv({ NODE_ENV: 'test', REPORTS_DIR: testReportsDir(), RECOMPUTE_DEBOUNCE_MS: String(DEBOUNCE_MS) });
    const log = createLogger({ level: 'silent' });
    const b = { ...batchDepsFromEnv({ env, dbh: db, log, clock: CLOCK }), phases: { valuation: held(valuationPhase, true), correlations: held(correlationsPhase, false) } };
    const batch: BatchServiceDeps = { ...b, runner: createInlineRunner(b) };
    batch.recompute = createRecompute(batch, { debounceMs: DEBOUNCE_MS });
    book.batch = batch;
    book.app = buildApp(db, { RECOMPUTE_DEBOUNCE_MS: String(DEBOUNCE_MS) }, { batch });
    await createUser({ db: db.db, log, clock: CLOCK }, { email: `own-book-${kind}@example.com`, password: PASSWORD, full_name: 'Own Book', role: 'user', create_portfolio: false });
    book.token = await login(book.app, `own-book-${kind}@example.com`, PASSWORD);
  });
  afterAll(async () => {
    await book.batch?.recompute?.idle();
    await book.db?.destroy();
  });
  return book;
}
