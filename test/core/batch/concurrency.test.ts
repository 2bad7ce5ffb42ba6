/**
 * Overlapping runs and the schedule: two concurrent runs for the same portfolio and date → one
 * runs, the other gets CONFLICT; a run abandoned by a dead process stops blocking once its
 * heartbeat is stale; the schedule fires on a near-future cron and, with two schedulers firing
 * every second, exactly one scheduled run is created; status and starts respect ownership.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBatchScheduler } from '../../../core/batch/scheduler.ts';
import { getBatchStatus, listBatchRuns, startBatchRun, startSystemRun } from '../../../core/batch/service.ts';
import { AppError } from '../../../core/errors.ts';
import { queryRows } from '../../../db/exec.ts';
import { batchDeps, DEMO_AS_OF, seededDb } from '../../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../../helpers/db.ts';

const INDIVIDUAL = '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe';
const HNW = 'e23ab931-a033-edfe-ed4f-9d02474780b4';
const OWNER = { userId: 'fd5f083c-6ffc-df32-89ca-a4044b5723f5', email: 'demo_individual@sigmasight.com', role: 'user' as const };
const OTHER = { userId: '9dacfb0f-2123-7a94-debc-0f982b90d845', email: 'demo_hnw@sigmasight.com', role: 'user' as const };

describeEachDb('batch concurrency, schedule and ownership', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await seededDb(kind);
  }, 120_000);
  afterAll(() => db.destroy());

  it('two concurrent runs for the same portfolio and date: one runs, the other gets CONFLICT', async () => {
    const deps = batchDeps(db);
    const input = { portfolio_id: INDIVIDUAL, all: null, as_of: DEMO_AS_OF, skip_reports: true };
    const results = await Promise.allSettled([startBatchRun(deps, OWNER, input, 'api'), startBatchRun(deps, OWNER, input, 'agent')]);
    await deps.runner.idle();
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(AppError);
    expect((refused[0]!.reason as AppError).code).toBe('CONFLICT');
    const status = await getBatchStatus(deps, OWNER, (ok[0] as PromiseFulfilledResult<{ run_id: string }>).value.run_id);
    expect(status.status).toBe('succeeded');
    // Another portfolio on the same date does not conflict, and neither does a later rerun.
    const again = await startBatchRun(deps, OWNER, input, 'api');
    await deps.runner.idle();
    expect((await getBatchStatus(deps, OWNER, again.run_id)).status).toBe('succeeded');
  }, 120_000);

  it('a run abandoned without a heartbeat stops blocking and is marked failed', async () => {
    const [dead] = await queryRows<{ id: string }>(db.db, sql`
      insert into batch_runs (as_of, trigger, status, portfolio_ids, options)
      values (${DEMO_AS_OF}, 'cli', 'running', ${JSON.stringify([HNW])}::jsonb, jsonb_build_object('heartbeatAt', (now() - interval '10 minutes')::text)) returning id::text as id`);
    const deps = batchDeps(db, { staleAfterMs: 60_000 });
    const r = await startSystemRun(deps, { trigger: 'cli', portfolioIds: [HNW], skipReports: true });
    await deps.runner.idle();
    const [row] = await queryRows<{ status: string; error: string }>(db.db, sql`select status::text, error from batch_runs where id = ${dead!.id}`);
    expect(row).toMatchObject({ status: 'failed', error: expect.stringContaining('abandoned') });
    expect(r.portfolio_ids).toEqual([HNW]);
  }, 120_000);

  it('the schedule fires on a near-future cron, and of two schedulers only one fires per as_of', async () => {
    const deps = batchDeps(db);
    const fired: (string | null)[] = [];
    const a = startBatchScheduler(deps, { cron: '* * * * * *', timezone: 'America/New_York', onFired: (id) => fired.push(id) });
    const b = startBatchScheduler(deps, { cron: '* * * * * *', timezone: 'America/New_York', onFired: (id) => fired.push(id) });
    const t0 = Date.now();
    while (fired.length < 6 && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 100));
    a.stop();
    b.stop();
    await deps.runner.idle();
    expect(fired.length).toBeGreaterThanOrEqual(6);
    expect(fired.filter((id) => id !== null)).toHaveLength(1);
    const runs = await queryRows<{ status: string; n: number }>(db.db, sql`select status::text, count(*)::int as n from batch_runs where trigger = 'schedule' group by 1`);
    expect(runs).toEqual([{ status: 'succeeded', n: 1 }]);
  }, 60_000);

  it('owners see their own portfolios only; another user\'s run or portfolio answers NOT_FOUND', async () => {
    const deps = batchDeps(db);
    const own = await startBatchRun(deps, OWNER, { portfolio_id: INDIVIDUAL, all: null, as_of: null, skip_reports: true }, 'api');
    await deps.runner.idle();
    await expect(getBatchStatus(deps, OTHER, own.run_id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getBatchStatus(deps, OTHER, 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(startBatchRun(deps, OTHER, { portfolio_id: INDIVIDUAL, all: null, as_of: null, skip_reports: true }, 'api')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [scheduled] = await queryRows<{ id: string }>(db.db, sql`select id::text from batch_runs where trigger = 'schedule'`);
    const view = await getBatchStatus(deps, OWNER, scheduled!.id);
    expect(view.portfolios.map((p) => p.portfolio_id)).toEqual([INDIVIDUAL]);
    expect(view.portfolio_ids).toEqual([INDIVIDUAL]);
    const list = await listBatchRuns(deps, OTHER, { portfolio_id: null, limit: null });
    expect(list.runs.every((r) => r.portfolio_ids.every((id) => id === HNW))).toBe(true);
    expect(list.runs.some((r) => r.run_id === own.run_id)).toBe(false);
  }, 120_000);
});
