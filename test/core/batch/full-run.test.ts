import { afterAll, beforeAll, expect, it } from 'vitest';
import { getBatchStatus, startSystemRun } from '../../../core/batch/service.ts';
import { resultCounts } from '../../../db/queries/results-read.ts';
import { batchDeps, DEMO_AS_OF, DEMO_PORTFOLIOS, seededDb } from '../../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../../helpers/db.ts';

const ADMIN = { userId: '00000000-0000-0000-0000-000000000000', email: 'admin@local', role: 'admin' as const };

describeEachDb('full batch over the demo book', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await seededDb(kind);
  }, 120_000);
  afterAll(() => db.destroy());

  it('writes every phase for all three portfolios', async () => {
    const deps = batchDeps(db);
    const started = await startSystemRun(deps, { trigger: 'cli' });
    expect(started.as_of).toBe(DEMO_AS_OF);
    await deps.runner.idle();
    const status = await getBatchStatus(deps, ADMIN, started.run_id);
    const failed = [...status.global_phases, ...status.portfolios.flatMap((p) => p.phases)].filter((p) => p.status !== 'succeeded');
    expect(failed).toEqual([]);
    expect(status.status).toBe('succeeded');
    expect(status.portfolios.map((p) => p.portfolio_id).sort()).toEqual([...DEMO_PORTFOLIOS].sort());
    const counts = await resultCounts(db.db, DEMO_AS_OF);
    console.log(counts);
  }, 120_000);
});
