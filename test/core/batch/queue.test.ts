/**
 * Scale-out on Postgres: a process that only enqueues (concurrency 0) and two workers sharing
 * the pg-boss queue complete one run; every phase succeeds and each portfolio was processed once.
 * Postgres only (the queue lives there); skipped without TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQueueRunner, type QueueRunner } from '../../../core/batch/queue.ts';
import { getBatchStatus, startSystemRun } from '../../../core/batch/service.ts';
import { resultCounts } from '../../../db/queries/results-read.ts';
import { batchDeps, DEMO_AS_OF, seededDb } from '../../helpers/batch.ts';
import { TEST_DATABASE_URL, type TestDb } from '../../helpers/db.ts';

const ADMIN = { userId: '00000000-0000-0000-0000-000000000000', email: 'admin@local', role: 'admin' as const };

describe.skipIf(!TEST_DATABASE_URL)('batch over the pg-boss queue [postgres]', () => {
  let db: TestDb;
  const runners: QueueRunner[] = [];
  beforeAll(async () => {
    db = await seededDb('postgres');
  }, 120_000);
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await db.destroy();
  });

  it('two workers share one run; the enqueuing process works nothing', async () => {
    const deps = batchDeps(db);
    const enqueuer = await startQueueRunner(deps, { url: db.url!, concurrency: 0 });
    runners.push(enqueuer);
    for (let i = 0; i < 2; i++) runners.push(await startQueueRunner(batchDeps(db), { url: db.url!, concurrency: 1 }));
    const run = await startSystemRun({ ...deps, runner: enqueuer }, { trigger: 'api', skipReports: true });
    await enqueuer.idle();
    const status = await getBatchStatus(deps, ADMIN, run.run_id);
    expect(status.status).toBe('succeeded');
    expect(status.progress).toMatchObject({ total: 2 + 3 * 14, succeeded: 2 + 3 * 13, skipped: 3, failed: 0 });
    expect(status.portfolios.every((p) => p.phases.every((x) => x.attempts <= 1))).toBe(true);
    expect(await resultCounts(db.db, DEMO_AS_OF)).toMatchObject({ position_valuations: 63, portfolio_exposures: 3, stress_test_results: 54, portfolio_snapshots: 3 });
  }, 120_000);
});
