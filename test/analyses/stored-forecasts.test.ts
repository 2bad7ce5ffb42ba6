/**
 * The VaR backtest's stored daily forecasts: a run in a fresh process (no in-process memo) reads
 * the unchanged days back from the database and computes only the new or changed ones, and its
 * backtest equals one computed from nothing. A corrected close recomputes exactly the days whose
 * window holds it; a deleted portfolio takes its forecasts with it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSystemRun } from '../../core/batch/service.ts';
import { clearAnalysisMemos } from '../../core/batch/analyses/memo.ts';
import { backgroundStats, useBackgroundMonteCarlo } from '../../core/batch/analyses/monte-carlo-background.ts';
import { queryRows } from '../../db/exec.ts';
import { batchDeps, DEMO_AS_OF, DEMO_PORTFOLIOS, seededDb } from '../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';

const HEDGE = 'fcd71196-e93e-f000-5a74-31a9eead3118';
const PREVIOUS_DAY = '2026-07-10';

describeEachDb('stored backtest forecasts', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await seededDb(kind);
  }, 120_000);
  afterAll(() => db.destroy());

  const run = async (asOf?: string) => {
    clearAnalysisMemos(); // as a fresh process starts
    const deps = batchDeps(db);
    const started = await startSystemRun(deps, { trigger: 'cli', ...(asOf ? { asOf } : {}) });
    await deps.runner.idle();
    return started.run_id;
  };
  const computedDays = async (runId: string) =>
    Object.fromEntries(
      (await queryRows<{ portfolio_id: string; n: number }>(db.db, sql`
        select portfolio_id::text, (metrics->>'computed_days')::int as n from batch_phase_runs where run_id = ${runId} and phase = 'var_backtest'`)).map((r) => [r.portfolio_id, r.n]),
    );
  const mcMetrics = async (runId: string) =>
    Object.fromEntries(
      (await queryRows<{ portfolio_id: string; reused: boolean; background: boolean | null }>(db.db, sql`
        select portfolio_id::text, (metrics->>'reused')::boolean as reused, (metrics->>'background')::boolean as background from batch_phase_runs where run_id = ${runId} and phase = 'monte_carlo'`)).map((r) => [r.portfolio_id, r]),
    );
  const mcReused = async (runId: string) => Object.fromEntries(Object.entries(await mcMetrics(runId)).map(([id, m]) => [id, m.reused]));
  const monteCarlo = async (portfolioId: string) =>
    (await queryRows<{ payload: unknown; run_id: string }>(db.db, sql`select payload, run_id::text from risk_analyses where portfolio_id = ${portfolioId} and as_of = ${DEMO_AS_OF} and kind = 'monte_carlo_var'`))[0]!;
  const backtest = async (portfolioId: string) =>
    (await queryRows<{ payload: unknown }>(db.db, sql`select payload from risk_analyses where portfolio_id = ${portfolioId} and as_of = ${DEMO_AS_OF} and kind = 'var_backtest'`))[0]!.payload;
  const stored = async (portfolioId: string) => (await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from backtest_day_forecasts where portfolio_id = ${portfolioId}`))[0]!.n;

  it('the next day computes one day per portfolio, and its backtest equals one computed from nothing', async () => {
    const first = await computedDays(await run(PREVIOUS_DAY));
    for (const id of DEMO_PORTFOLIOS) expect(first[id]).toBe(250);
    const next = await computedDays(await run());
    for (const id of DEMO_PORTFOLIOS) expect(next[id]).toBe(1);
    const reused = await Promise.all(DEMO_PORTFOLIOS.map(backtest));
    expect((reused[2] as { window_days: number }).window_days).toBe(250);

    await db.db.execute(sql`delete from backtest_day_forecasts`);
    const fresh = await computedDays(await run());
    for (const id of DEMO_PORTFOLIOS) expect(fresh[id]).toBe(250);
    expect(await Promise.all(DEMO_PORTFOLIOS.map(backtest))).toEqual(reused);
  }, 120_000);

  it('a same-day rerun keeps the stored Monte Carlo answer, which equals one computed again on the background worker and in the main thread', async () => {
    const runId = await run();
    const reused = await mcReused(runId);
    for (const id of DEMO_PORTFOLIOS) expect(reused[id]).toBe(true);
    const kept = await Promise.all(DEMO_PORTFOLIOS.map(monteCarlo));
    for (const k of kept) expect(k.run_id).toBe(runId);
    // computed again on the background worker …
    await db.db.execute(sql`update risk_analyses set input_digest = null where kind = 'monte_carlo_var'`);
    const answered = backgroundStats.answered;
    const again = await mcMetrics(await run());
    for (const id of DEMO_PORTFOLIOS) expect(again[id]).toMatchObject({ reused: false, background: true });
    expect(backgroundStats.answered - answered).toBe(DEMO_PORTFOLIOS.length);
    expect(backgroundStats.declined).toBe(0);
    expect((await Promise.all(DEMO_PORTFOLIOS.map(monteCarlo))).map((m) => m.payload)).toEqual(kept.map((k) => k.payload));
    // … and in the main thread, with the same answer
    await useBackgroundMonteCarlo(false);
    try {
      await db.db.execute(sql`update risk_analyses set input_digest = null where kind = 'monte_carlo_var'`);
      const inline = await mcMetrics(await run());
      for (const id of DEMO_PORTFOLIOS) expect(inline[id]).toMatchObject({ reused: false, background: false });
      expect((await Promise.all(DEMO_PORTFOLIOS.map(monteCarlo))).map((m) => m.payload)).toEqual(kept.map((k) => k.payload));
    } finally {
      await useBackgroundMonteCarlo(true);
    }
  }, 120_000);

  it('a corrected close recomputes the days whose window holds it and drops their stale forecasts', async () => {
    const [only] = await queryRows<{ symbol: string }>(db.db, sql`
      select symbol from positions where portfolio_id = ${HEDGE} and position_type in ('LONG', 'SHORT') and proxy_symbol is null
        and symbol not in (select symbol from positions where portfolio_id <> ${HEDGE}) order by symbol limit 1`);
    // the close 20 trading days before the as-of date
    const [day] = await queryRows<{ d: string }>(db.db, sql`
      select date::text as d from market_prices where symbol = ${only!.symbol} and date <= ${DEMO_AS_OF} order by date desc offset 20 limit 1`);
    const before = await stored(HEDGE);
    await db.db.execute(sql`update market_prices set close = close * 1.01 where symbol = ${only!.symbol} and date = ${day!.d}`);
    const runId = await run();
    const n = await computedDays(runId);
    // days t − 1 … T − 2 read the close at index c = T − 21 (in their estimation window or as the next day's P&L)
    expect(n[HEDGE]).toBe(21);
    for (const id of DEMO_PORTFOLIOS.filter((p) => p !== HEDGE)) expect(n[id]).toBe(0);
    expect(await stored(HEDGE)).toBe(before);
    // the close is in the style model's window of the hedge-fund book only
    const mc = await mcReused(runId);
    expect(mc[HEDGE]).toBe(false);
    for (const id of DEMO_PORTFOLIOS.filter((p) => p !== HEDGE)) expect(mc[id]).toBe(true);
  }, 120_000);

  it('a deleted portfolio takes its stored forecasts with it', async () => {
    expect(await stored(HEDGE)).toBeGreaterThan(0);
    await db.db.execute(sql`delete from portfolios where id = ${HEDGE}`);
    expect(await stored(HEDGE)).toBe(0);
  });
});
