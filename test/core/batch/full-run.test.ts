/**
 * The full demo batch on each database: every phase writes for all three portfolios, a rerun
 * leaves identical rows and values, a failing phase leaves earlier results intact and is recorded,
 * and one portfolio's failure does not stop the others.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getBatchStatus, startSystemRun } from '../../../core/batch/service.ts';
import { writeReport } from '../../../core/reports/write-report.ts';
import { queryRows } from '../../../db/exec.ts';
import { resultCounts } from '../../../db/queries/results-read.ts';
import { batchDeps, DEMO_AS_OF, DEMO_PORTFOLIOS, seededDb } from '../../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../../helpers/db.ts';
import { dumpResults } from '../../helpers/results-dump.ts';

const ADMIN = { userId: '00000000-0000-0000-0000-000000000000', email: 'admin@local', role: 'admin' as const };
const HEDGE = 'fcd71196-e93e-f000-5a74-31a9eead3118';

describeEachDb('full batch over the demo book', (kind) => {
  let db: TestDb;
  let reportsDir: string;
  beforeAll(async () => {
    db = await seededDb(kind);
  }, 120_000);
  afterAll(() => db.destroy());

  it('writes every phase for all three portfolios and the reports', async () => {
    const deps = batchDeps(db);
    reportsDir = deps.reportsDir!;
    const started = await startSystemRun(deps, { trigger: 'cli' });
    expect(started.as_of).toBe(DEMO_AS_OF);
    await deps.runner.idle();
    const status = await getBatchStatus(deps, ADMIN, started.run_id);
    const notOk = [...status.global_phases, ...status.portfolios.flatMap((p) => p.phases)].filter((p) => p.status !== 'succeeded');
    expect(notOk).toEqual([]);
    expect(status.status).toBe('succeeded');
    expect(status.progress).toMatchObject({ total: 2 + 3 * 14, done: 44, succeeded: 44, percent: 100 });
    expect(status.portfolios.map((p) => p.portfolio_id).sort()).toEqual([...DEMO_PORTFOLIOS].sort());
    // 63 positions; 8 options in the hedge-fund book; 18 stress scenarios and 12 market/rate scenarios per portfolio; 7 factors.
    expect(await resultCounts(db.db, DEMO_AS_OF)).toMatchObject({
      position_valuations: 63, portfolio_exposures: 3, position_greeks: 8, factor_covariances: 1, factor_exposures: 21,
      market_risk_scenarios: 36, stress_test_results: 54, risk_metrics: 3, portfolio_snapshots: 3, correlation_calculations: 3,
    });
    const perPortfolio = await queryRows<{ portfolio_id: string; n: number }>(db.db, sql`
      select portfolio_id::text, count(distinct position_id)::int as n from position_factor_exposures where as_of = ${DEMO_AS_OF} group by 1 order by 1`);
    expect(perPortfolio.map((r) => r.n)).toEqual([16, 17, 30]);
    // The five second-wave analyses (backtest, replays, contributions, Monte Carlo, performance) for each portfolio.
    const analyses = await queryRows<{ kind: string; n: number }>(db.db, sql`
      select kind, count(*)::int as n from risk_analyses where as_of = ${DEMO_AS_OF} group by 1 order by 1`);
    expect(analyses).toEqual(['historical_replays', 'monte_carlo_var', 'performance', 'risk_contributions', 'var_backtest'].map((kind) => ({ kind, n: 3 })));
    const dir = join(reportsDir, 'demo-hedge-fund-style-investor-portfolio-fcd71196', DEMO_AS_OF);
    for (const f of ['portfolio_report.md', 'portfolio_report.json', 'portfolio_report.csv', 'exposures-by-factor.svg', 'stress-pnl.svg', 'var-backtest.svg', 'historical-replays.svg', 'risk-contributions.svg']) expect(existsSync(join(dir, f))).toBe(true);
    const csv = readFileSync(join(dir, 'portfolio_report.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(31);
    expect(csv[0]!.split(',')).toHaveLength(34);
  }, 120_000);

  it('a report file that cannot be put in place fails the report, after the other files are written, and leaves no temporary file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sigmasight-report-'));
    const dir = join(root, 'demo-hedge-fund-style-investor-portfolio-fcd71196', DEMO_AS_OF);
    // a directory holding a file where the CSV goes: the CSV's rename onto it fails
    mkdirSync(join(dir, 'portfolio_report.csv'), { recursive: true });
    writeFileSync(join(dir, 'portfolio_report.csv', 'keep'), 'x');
    await expect(writeReport(db.db, { portfolioId: HEDGE, asOf: DEMO_AS_OF, dir: root, now: new Date('2026-07-14T12:00:00Z') })).rejects.toThrow();
    const names = readdirSync(dir);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    for (const f of ['portfolio_report.md', 'portfolio_report.json', 'exposures-by-factor.svg', 'stress-pnl.svg']) expect(names).toContain(f);
    expect(readFileSync(join(dir, 'portfolio_report.md'), 'utf8')).toContain(DEMO_AS_OF);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('two portfolios with the same name (two users) write their reports to directories of their own', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sigmasight-report-'));
    const [ind] = await queryRows<{ id: string; name: string }>(db.db, sql`select id::text, name from portfolios where id <> ${HEDGE} order by id limit 1`);
    const [hedge] = await queryRows<{ name: string }>(db.db, sql`select name from portfolios where id = ${HEDGE}`);
    await db.db.execute(sql`update portfolios set name = ${hedge!.name} where id = ${ind!.id}`);
    try {
      const now = new Date('2026-07-14T12:00:00Z');
      const a = await writeReport(db.db, { portfolioId: HEDGE, asOf: DEMO_AS_OF, dir: root, now });
      const b = await writeReport(db.db, { portfolioId: ind!.id, asOf: DEMO_AS_OF, dir: root, now });
      expect(a.dir).not.toBe(b.dir);
      expect(readdirSync(root).sort()).toEqual([`demo-hedge-fund-style-investor-portfolio-${ind!.id.slice(0, 8)}`, 'demo-hedge-fund-style-investor-portfolio-fcd71196'].sort());
      for (const [r, id] of [[a, HEDGE], [b, ind!.id]] as const) {
        const json = JSON.parse(readFileSync(join(r.dir, 'portfolio_report.json'), 'utf8')) as Record<string, unknown>;
        expect(JSON.stringify(json)).toContain(id);
      }
    } finally {
      await db.db.execute(sql`update portfolios set name = ${ind!.name} where id = ${ind!.id}`);
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('a rerun leaves identical row counts and values', async () => {
    const before = await dumpResults(db.db, DEMO_AS_OF);
    const deps = batchDeps(db);
    await startSystemRun(deps, { trigger: 'cli', skipReports: true });
    await deps.runner.idle();
    const after = await dumpResults(db.db, DEMO_AS_OF);
    for (const table of Object.keys(before)) expect({ table, rows: after[table]!.length }).toEqual({ table, rows: before[table]!.length });
    expect(after).toEqual(before);
  }, 120_000);

  it('a failing phase keeps the previous results, is recorded, and stops nothing else', async () => {
    const before = await dumpResults(db.db, DEMO_AS_OF);
    const deps = batchDeps(db, {
      phases: {
        stress: async (tx, run, state) => {
          await tx.execute(sql`delete from stress_test_results where portfolio_id = ${state.id} and as_of = ${run.asOf}`);
          throw new Error('injected stress failure');
        },
        valuation: async (tx, run, state) => {
          if (state.id === HEDGE) throw new Error('injected valuation failure');
          const { valuationPhase } = await import('../../../core/batch/phases/valuation.ts');
          return valuationPhase(tx, run, state, deps);
        },
      },
    });
    const started = await startSystemRun(deps, { trigger: 'cli', skipReports: true });
    await deps.runner.idle();
    const status = await getBatchStatus(deps, ADMIN, started.run_id);
    expect(status.status).toBe('partial');
    const hedge = status.portfolios.find((p) => p.portfolio_id === HEDGE)!;
    expect(hedge.phases.find((p) => p.phase === 'valuation')).toMatchObject({ status: 'failed', error: 'injected valuation failure' });
    expect(hedge.phases.find((p) => p.phase === 'factors')).toMatchObject({ status: 'skipped', error: 'missing_input: valuation' });
    for (const p of status.portfolios.filter((x) => x.portfolio_id !== HEDGE)) {
      expect(p.phases.find((x) => x.phase === 'stress')).toMatchObject({ status: 'failed', error: 'injected stress failure' });
      expect(p.phases.filter((x) => x.status === 'succeeded').map((x) => x.phase)).toEqual(['valuation', 'greeks', 'factors', 'scenarios', 'risk', 'snapshot', 'correlations', 'var_backtest', 'contributions', 'monte_carlo', 'replays', 'performance']);
    }
    expect(await dumpResults(db.db, DEMO_AS_OF)).toEqual(before);
  }, 120_000);
});
