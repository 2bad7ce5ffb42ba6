/**
 * First start: with no results for the latest as_of, the batch runtime runs the batch once in
 * the background (trigger startup) and /health reports the results as ready afterwards; a
 * second start finds them ready and runs nothing. On the embedded database the finished run is
 * followed by a VACUUM.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../../api/app.ts';
import { startBatchRuntime } from '../../../core/batch/runtime.ts';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../db/exec.ts';
import { getRun } from '../../../db/queries/batch-runs.ts';
import { parseEnv } from '../../../core/env.ts';
import { createLogger } from '../../../core/logger.ts';
import { DEMO_AS_OF, seededDb, TEST_NOW } from '../../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../../helpers/db.ts';

describeEachDb('batch runtime on first start', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await seededDb(kind);
  }, 120_000);
  afterAll(() => db.destroy());

  it('computes missing results in the background and /health says when they are ready', async () => {
    const env = parseEnv({ BATCH_SCHEDULE: 'off', REPORTS_DIR: `${process.env['TMPDIR'] ?? '/tmp'}/sigmasight-runtime-reports` });
    const log = createLogger({ level: 'silent' });
    const app = createApp({ env, dbh: db, log, startedAt: Date.now(), version: 't' });
    const before = (await (await app.request('/health')).json()) as { results: { ready: boolean; as_of: string | null } };
    expect(before.results).toMatchObject({ ready: false, latest_results_as_of: null });

    const runtime = await startBatchRuntime({ env, dbh: db, log, clock: () => TEST_NOW });
    expect(runtime.scheduler).toBeNull();
    const runId = await runtime.startupRun;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    await runtime.service.runner.idle();
    expect(await getRun(db.db, runId!)).toMatchObject({ trigger: 'startup', status: 'succeeded', asOf: DEMO_AS_OF });
    await runtime.stop();
    // The embedded database runs no autovacuum: the runtime vacuums after the run; a server is left to its own.
    const [vac] = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from pg_stat_user_tables where relname = 'risk_analyses' and last_vacuum is not null`);
    expect(vac!.n).toBe(kind === 'pglite' ? 1 : 0);

    const after = (await (await app.request('/health')).json()) as { results: unknown };
    expect(after.results).toEqual({ ready: true, as_of: DEMO_AS_OF, latest_results_as_of: DEMO_AS_OF, running: false });

    const again = await startBatchRuntime({ env, dbh: db, log, clock: () => TEST_NOW });
    expect(await again.startupRun).toBeNull();
    await again.stop();
  }, 120_000);
});
