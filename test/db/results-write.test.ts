/**
 * Replace semantics of batch result writes: a second write of a (portfolio, as_of) scope updates
 * the rows it repeats, adds new ones, removes the ones it no longer has, and never touches
 * another scope; values (numeric, double, jsonb, NaN, null, constant and varying columns)
 * arrive exactly as given.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/exec.ts';
import { replacePortfolioRows, upsertRows } from '../../db/queries/results-write.ts';
import { factorCovariances, riskMetrics } from '../../db/schema/index.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';

describeEachDb('batch result writes', (kind) => {
  let db: TestDb;
  let p1: string;
  let p2: string;
  beforeAll(async () => {
    db = await createTestDb(kind);
    const [u] = await queryRows<{ id: string }>(db.db, sql`insert into users (email, username, full_name, role, password_hash) values ('w@x.test', 'w', 'W', 'user', 'x') returning id::text as id`);
    const ps = await queryRows<{ id: string }>(db.db, sql`insert into portfolios (user_id, name) values (${u!.id}::uuid, 'A'), (${u!.id}::uuid, 'B') returning id::text as id`);
    [p1, p2] = ps.map((p) => p.id) as [string, string];
    await db.db.execute(sql`insert into batch_runs (id, as_of, trigger) values ('00000000-0000-4000-8000-000000000001', '2026-07-13', 'cli'), ('00000000-0000-4000-8000-000000000002', '2026-07-13', 'cli')`);
  });
  afterAll(() => db.destroy());

  const row = (portfolioId: string, windowDays: number, vol: number | null, runId: string) => ({
    portfolioId, asOf: '2026-07-13', windowDays, nObs: windowDays, volAnnual: vol, var95OneDay: 1234.56, metadata: { w: windowDays, tag: 'x"y' }, runId,
  });
  const stored = () => queryRows<{ portfolio_id: string; window_days: number; vol_annual: number | null; var95_one_day: string; metadata: unknown; run_id: string }>(db.db, sql`
    select portfolio_id::text, window_days, vol_annual, var95_one_day::text, metadata, run_id::text from risk_metrics order by portfolio_id, window_days`);

  it('a rerun updates repeated keys, adds new ones, drops the rest, and leaves other scopes alone', async () => {
    const r1 = '00000000-0000-4000-8000-000000000001';
    const r2 = '00000000-0000-4000-8000-000000000002';
    await replacePortfolioRows(db.db, riskMetrics, ['portfolioId', 'asOf', 'windowDays'], [row(p1, 21, 0.1, r1), row(p1, 63, 0.2, r1), row(p1, 252, 0.3, r1)], { portfolioId: p1, asOf: '2026-07-13', runId: r1 });
    await replacePortfolioRows(db.db, riskMetrics, ['portfolioId', 'asOf', 'windowDays'], [row(p2, 21, 0.5, r1)], { portfolioId: p2, asOf: '2026-07-13', runId: r1 });
    expect(await stored()).toHaveLength(4);
    await replacePortfolioRows(db.db, riskMetrics, ['portfolioId', 'asOf', 'windowDays'], [row(p1, 63, Number.NaN, r2), row(p1, 126, null, r2)], { portfolioId: p1, asOf: '2026-07-13', runId: r2 });
    const rows = await stored();
    const mine = rows.filter((r) => r.portfolio_id === p1);
    expect(mine.map((r) => r.window_days)).toEqual([63, 126]);
    expect(Number.isNaN(Number(mine[0]!.vol_annual))).toBe(true);
    expect(mine[1]!.vol_annual).toBeNull();
    expect(mine.every((r) => r.run_id === r2 && r.var95_one_day === '1234.56')).toBe(true);
    expect(mine[1]!.metadata).toEqual({ w: 126, tag: 'x"y' });
    expect(rows.filter((r) => r.portfolio_id === p2).map((r) => [r.window_days, r.vol_annual, r.run_id])).toEqual([[21, 0.5, r1]]);
    await replacePortfolioRows(db.db, riskMetrics, ['portfolioId', 'asOf', 'windowDays'], [], { portfolioId: p1, asOf: '2026-07-13', runId: r2 });
    expect((await stored()).map((r) => r.portfolio_id)).toEqual([p2]);
  });

  it('doubles survive the JSON trip bit for bit', async () => {
    const values = [0.1 + 0.2, 1 / 3, -2.220446049250313e-16, 123456789.12345678, 5e-324];
    await upsertRows(db.db, factorCovariances, ['asOf', 'method'], [{ asOf: '2026-07-13', method: 'bits', factors: ['a'], matrix: values, nObs: 5, params: {}, runId: null }]);
    await upsertRows(db.db, riskMetrics, ['portfolioId', 'asOf', 'windowDays'], values.map((v, i) => ({ portfolioId: p2, asOf: '2026-07-14', windowDays: i + 1, nObs: 1, volAnnual: v, runId: null })));
    const back = await queryRows<{ v: number }>(db.db, sql`select vol_annual as v from risk_metrics where as_of = '2026-07-14' order by window_days`);
    expect(back.map((r) => Number(r.v))).toEqual(values);
  });
});
