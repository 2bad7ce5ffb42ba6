/**
 * Backfill (engines.md §12.4 item 2): the nightly run first computes the trading days since the
 * last completed run, oldest first and each with its own as_of prices, then the latest day; the
 * daily P&L of each snapshot chains from the day before.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fireScheduledRun } from '../../../core/batch/scheduler.ts';
import { startSystemRun } from '../../../core/batch/service.ts';
import { queryRows } from '../../../db/exec.ts';
import { batchDeps, DEMO_AS_OF, seededDb } from '../../helpers/batch.ts';
import { bundledSeries } from '../../helpers/bundled-prices.ts';
import { describeEachDb, type TestDb } from '../../helpers/db.ts';

describeEachDb('nightly backfill', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await seededDb(kind);
  }, 120_000);
  afterAll(() => db.destroy());

  it('fills the trading days since the last completed run, in order, then the latest day', async () => {
    const deps = batchDeps(db, { backfillDays: 5 });
    await startSystemRun(deps, { trigger: 'cli', asOf: '2026-07-08', skipReports: true });
    await deps.runner.idle();
    const latest = await fireScheduledRun(deps);
    await deps.runner.idle();
    expect(latest).not.toBeNull();
    const runs = await queryRows<{ as_of: string; status: string }>(db.db, sql`
      select as_of::text, status::text from batch_runs where trigger = 'schedule' order by created_at`);
    // Trading days between 2026-07-08 and 2026-07-13 from the bundled SPY closes (an independent list).
    const spy = bundledSeries('SPY').dates.filter((d) => d > '2026-07-08' && d <= DEMO_AS_OF);
    expect(spy).toEqual(['2026-07-09', '2026-07-10', '2026-07-13']);
    expect(runs).toEqual(spy.map((d) => ({ as_of: d, status: 'succeeded' })));
    // Each snapshot's daily P&L is measured from the snapshot of the trading day before.
    const snaps = await queryRows<{ as_of: string; nav: string; cumulative_pnl: string; daily_pnl: string }>(db.db, sql`
      select s.as_of::text, s.nav::text, s.cumulative_pnl::text, s.daily_pnl::text from portfolio_snapshots s
      join portfolios p on p.id = s.portfolio_id where p.name = (select name from portfolios order by name limit 1) order by s.as_of`);
    expect(snaps.map((s) => s.as_of)).toEqual(['2026-07-08', ...spy]);
    for (let i = 1; i < snaps.length; i++) {
      expect(Number(snaps[i]!.cumulative_pnl)).toBeCloseTo(Number(snaps[i - 1]!.cumulative_pnl) + Number(snaps[i]!.daily_pnl), 1);
    }
    // A second firing finds nothing to fill and the latest day already fired.
    expect(await fireScheduledRun(deps)).toBeNull();
  }, 240_000);
});

describeEachDb('batch time limits', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await seededDb(kind);
  }, 120_000);
  afterAll(() => db.destroy());

  it('portfolios not started before the run deadline are skipped with "run timeout" and the run ends partial', async () => {
    const deps = batchDeps(db, { runTimeoutMs: 1 });
    const run = await startSystemRun(deps, { trigger: 'cli', skipReports: true });
    await deps.runner.idle();
    const [r] = await queryRows<{ status: string }>(db.db, sql`select status::text from batch_runs where id = ${run.run_id}`);
    expect(r!.status).toBe('partial');
    const phases = await queryRows<{ status: string; error: string | null }>(db.db, sql`
      select status::text, error from batch_phase_runs where run_id = ${run.run_id} and portfolio_id is not null`);
    expect(phases.length).toBe(3 * 14);
    expect(phases.every((p) => p.status === 'skipped' && p.error?.startsWith('run timeout'))).toBe(true);
  }, 120_000);

  it.skipIf(kind === 'pglite')('a statement over the batch statement timeout fails its phase only (Postgres; the embedded database has no timer)', async () => {
    const deps = batchDeps(db, {
      statementTimeoutMs: 100,
      phases: { risk: async (tx) => { await tx.execute(sql`select pg_sleep(2)`); return { rows: 0 }; } },
    });
    const run = await startSystemRun(deps, { trigger: 'cli', skipReports: true });
    await deps.runner.idle();
    const phases = await queryRows<{ phase: string; status: string; error: string | null }>(db.db, sql`
      select phase, status::text, error from batch_phase_runs where run_id = ${run.run_id} and portfolio_id is not null`);
    const risk = phases.filter((p) => p.phase === 'risk');
    expect(risk).toHaveLength(3);
    expect(risk.every((p) => p.status === 'failed' && /statement timeout/.test(p.error ?? ''))).toBe(true);
    expect(phases.filter((p) => p.phase === 'correlations').every((p) => p.status === 'succeeded')).toBe(true);
  }, 120_000);
});
