/**
 * Stored figures checked independently of the batch code: market values against the bundled
 * CSV closes (data/market/prices_daily.csv), gross as Σ|MV|, AAPL's market beta against a
 * closed-form covariance/variance over the same 252 returns, and a stress scenario's direct P&L
 * as Σ position dollar exposure × shock.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSystemRun } from '../../../core/batch/service.ts';
import { queryRows } from '../../../db/exec.ts';
import { marketScopeOfPortfolios, positionsAsOf } from '../../../db/queries/batch-portfolios.ts';
import { loadRunMarket } from '../../../core/batch/run-market.ts';
import { pricePositions } from '../../../core/services/pricing.ts';
import { batchDeps, DEMO_AS_OF, seededDb } from '../../helpers/batch.ts';
import { bundledSeries, windowCloses } from '../../helpers/bundled-prices.ts';
import { describeEachDb, type TestDb } from '../../helpers/db.ts';

const INDIVIDUAL = '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe';
const HEDGE = 'fcd71196-e93e-f000-5a74-31a9eead3118';

describeEachDb('stored batch figures are numerically sane', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await seededDb(kind);
    const deps = batchDeps(db);
    await startSystemRun(deps, { trigger: 'cli', skipReports: true });
    await deps.runner.idle();
  }, 180_000);
  afterAll(() => db.destroy());

  const closeOn = (symbol: string, date: string) => {
    const s = bundledSeries(symbol);
    return s.closes[s.dates.indexOf(date)]!;
  };

  it('equity market value = quantity × bundled close on as_of (2 dp)', async () => {
    const rows = await queryRows<{ symbol: string; quantity: string; mv: string; price: string }>(db.db, sql`
      select p.symbol, p.quantity::text, v.market_value::text as mv, v.price::text from position_valuations v join positions p on p.id = v.position_id
      where v.portfolio_id in (${INDIVIDUAL}, ${HEDGE}) and v.as_of = ${DEMO_AS_OF} and p.symbol in ('AAPL', 'NFLX', 'SPY', 'XOM')`);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const r of rows) {
      const close = closeOn(r.symbol, DEMO_AS_OF);
      expect(Number(r.price)).toBeCloseTo(close, 4);
      expect(Math.abs(Number(r.mv) - Number(r.quantity) * close)).toBeLessThanOrEqual(0.005);
    }
    const short = rows.find((r) => r.symbol === 'NFLX')!;
    expect(Number(short.mv)).toBeLessThan(0);
  });

  it('portfolio gross = Σ|MV| and net = Σ MV over the stored position valuations (±1 cent per position)', async () => {
    const rows = await queryRows<{ portfolio_id: string; gross: string; net: string; sum_abs: string; sum: string; n: number }>(db.db, sql`
      select e.portfolio_id::text, e.gross_exposure::text as gross, e.net_exposure::text as net,
             sum(abs(v.market_value))::text as sum_abs, sum(v.market_value)::text as sum, count(*)::int as n
      from portfolio_exposures e join position_valuations v on v.portfolio_id = e.portfolio_id and v.as_of = e.as_of
      where e.as_of = ${DEMO_AS_OF} group by 1, 2, 3`);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(Math.abs(Number(r.gross) - Number(r.sum_abs))).toBeLessThanOrEqual(0.01 * r.n);
      expect(Math.abs(Number(r.net) - Number(r.sum))).toBeLessThanOrEqual(0.01 * r.n);
    }
  });

  it('AAPL market beta = cov(AAPL, SPY) / var(SPY) over the last 252 bundled returns (1e-9)', async () => {
    const w = windowCloses(['AAPL', 'SPY', 'MTUM', 'VTV', 'VUG', 'QUAL', 'SIZE', 'USMV'], 253, DEMO_AS_OF);
    const ret = (c: Float64Array) => Array.from(c.subarray(1), (v, i) => v / c[i]! - 1);
    const y = ret(w.closes[0]!), x = ret(w.closes[1]!);
    const mx = x.reduce((a, b) => a + b) / x.length, my = y.reduce((a, b) => a + b) / y.length;
    let sxy = 0, sxx = 0;
    for (let i = 0; i < x.length; i++) { sxy += (x[i]! - mx) * (y[i]! - my); sxx += (x[i]! - mx) ** 2; }
    const [row] = await queryRows<{ beta: number; n_obs: number }>(db.db, sql`
      select beta, n_obs from symbol_factor_betas where symbol = 'AAPL' and as_of = ${DEMO_AS_OF} and model = 'compat' and factor = 'Market'`);
    expect(row!.n_obs).toBe(252);
    expect(Math.abs(row!.beta - sxy / sxx)).toBeLessThan(1e-9);
  });

  it('market_down_10 direct P&L = Σ positions\' Market dollar exposure × −0.10 (±1 cent per position)', async () => {
    for (const id of [INDIVIDUAL, HEDGE]) {
      const [e] = await queryRows<{ s: string; n: number }>(db.db, sql`
        select sum(x.exposure_dollar)::text as s, count(*)::int as n from position_factor_exposures x join factor_definitions f on f.id = x.factor_id
        where x.portfolio_id = ${id} and x.as_of = ${DEMO_AS_OF} and x.model = 'compat' and f.engine_key = 'Market'`);
      const [r] = await queryRows<{ direct: string }>(db.db, sql`
        select direct_pnl::text as direct from stress_test_results where portfolio_id = ${id} and as_of = ${DEMO_AS_OF} and scenario_id = 'market_down_10'`);
      expect(Math.abs(Number(r!.direct) - Number(e!.s) * -0.1)).toBeLessThanOrEqual(0.01 * e!.n);
    }
  });

  it('position dollar exposure = delta-adjusted exposure × stored beta; options use their underlying\'s beta', async () => {
    const rows = await queryRows<{ symbol: string; source: string; beta: number; dollar: string; da: string; sym_beta: number }>(db.db, sql`
      select p.symbol, x.source_symbol as source, x.beta, x.exposure_dollar::text as dollar, v.delta_adj_exposure::text as da, b.beta as sym_beta
      from position_factor_exposures x join positions p on p.id = x.position_id join factor_definitions f on f.id = x.factor_id
      join position_valuations v on v.position_id = x.position_id and v.as_of = x.as_of
      join symbol_factor_betas b on b.symbol = x.source_symbol and b.as_of = x.as_of and b.model = 'compat' and b.factor = f.engine_key
      where x.portfolio_id = ${HEDGE} and x.as_of = ${DEMO_AS_OF} and f.engine_key = 'Market'`);
    expect(rows).toHaveLength(30);
    for (const r of rows) {
      expect(r.beta).toBe(r.sym_beta);
      expect(Math.abs(Number(r.dollar) - Number(r.da) * r.beta)).toBeLessThanOrEqual(0.01 * Math.max(1, Math.abs(r.beta)) + 0.01);
    }
    expect(rows.find((r) => r.symbol.startsWith('NVDA27'))!.source).toBe('NVDA');
  });

  it('pricing from the run\'s shared market window equals pricing from the database (every demo position, as_of and the day before)', async () => {
    const portfolios = await queryRows<{ id: string }>(db.db, sql`select id::text as id from portfolios`);
    const scope = await marketScopeOfPortfolios(db.db, portfolios.map((p) => p.id));
    const market = await loadRunMarket(db.db, DEMO_AS_OF, scope.symbols, scope.earliest);
    let options = 0;
    for (const { id } of portfolios) {
      for (const date of [DEMO_AS_OF, '2026-07-10']) {
        const rows = await positionsAsOf(db.db, id, date);
        const fromDb = await pricePositions(db.db, rows, date);
        // No database handle: the shared path must not query.
        const shared = await pricePositions({} as never, rows, date, market.pricing);
        expect(shared).toEqual(fromDb);
        options += fromDb.filter((p) => p.priceSource === 'model').length;
      }
    }
    expect(options).toBeGreaterThan(0);
  });
});
