/**
 * Batch routes and analytics over a real batch run: an owner starts a run of their portfolio,
 * polls it, and then reads every analytics route with results from that run; the stored overview
 * equity agrees with the live valuation of /data/portfolios. Other users' run ids answer 404.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth/password.ts';
import type { BatchServiceDeps } from '../../core/batch/service.ts';
import { insertUser } from '../../db/queries/users.ts';
import { batchDeps } from '../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { buildApp, DEMO, get, login, seededApp, type TestApp } from './helpers.ts';

describeEachDb('batch routes and analytics from a real run', (kind) => {
  let db: TestDb;
  let app: TestApp;
  let batch: BatchServiceDeps;
  let hedge: string;
  let runId: string;
  beforeAll(async () => {
    ({ db } = await seededApp(kind));
    batch = batchDeps(db);
    app = buildApp(db, {}, { batch });
    hedge = await login(app, DEMO.hedge.email);
    const res = await app.request('/api/v1/admin/batch/trigger/daily', { method: 'POST', headers: { authorization: `Bearer ${hedge}` } });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { run_id: string; job_id: string; portfolio_ids: string[]; as_of: string };
    expect(body.job_id).toBe(body.run_id);
    expect(body.portfolio_ids).toEqual([DEMO.hedge.portfolioId]);
    expect(body.as_of).toBe('2026-07-13');
    runId = body.run_id;
    await batch.runner.idle();
  }, 300_000);
  afterAll(() => db.destroy());

  it('reports the finished run to its owner and hides it from other users', async () => {
    const status = await get(app, `/api/v1/admin/batch/jobs/${runId}`, hedge);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ run_id: runId, status: 'succeeded', trigger: 'api', progress: { percent: 100, failed: 0 } });
    const list = await get(app, '/api/v1/admin/batch/jobs/status', hedge);
    expect(list.body.runs.map((r: { run_id: string }) => r.run_id)).toContain(runId);
    const other = await login(app, DEMO.individual.email);
    expect((await get(app, `/api/v1/admin/batch/jobs/${runId}`, other)).status).toBe(404);
    expect((await get(app, '/api/v1/admin/batch/jobs/status', other)).body.runs).toEqual([]);
    const foreign = await app.request(`/api/v1/admin/batch/trigger/daily?portfolio_id=${DEMO.hedge.portfolioId}`, { method: 'POST', headers: { authorization: `Bearer ${other}` } });
    expect(foreign.status).toBe(404);
  });

  it('lets an admin see every run', async () => {
    await insertUser(db.db, { email: 'root@example.com', fullName: 'Root', passwordHash: await hashPassword('root-password'), role: 'admin' });
    const admin = await login(app, 'root@example.com', 'root-password');
    expect((await get(app, `/api/v1/admin/batch/jobs/${runId}`, admin)).body.portfolios.map((p: { portfolio_id: string }) => p.portfolio_id)).toEqual([DEMO.hedge.portfolioId]);
  });

  it('serves every analytics route from the run, with its id and as_of', async () => {
    const P = DEMO.hedge.portfolioId;
    for (const path of ['overview', 'factor-exposures', 'positions/factor-exposures', 'stress-test', 'risk-metrics', 'greeks', 'market-risk', 'snapshots', 'correlation-matrix', 'diversification-score']) {
      const r = await get(app, `/api/v1/analytics/portfolio/${P}/${path}`, hedge);
      expect(r.status, path).toBe(200);
      expect(r.body, path).toMatchObject({ available: true, as_of: '2026-07-13', run_id: runId });
      expect(r.body.data_quality, path).toMatchObject({ stale: false, proxied: false });
    }
    const stress = await get(app, `/api/v1/analytics/portfolio/${P}/stress-test`, hedge);
    expect(stress.body.data.scenarios).toHaveLength(18);
    const factors = await get(app, `/api/v1/data/portfolios/${P}/factor_exposures`, hedge);
    expect(factors.body.factors.map((f: { name: string }) => f.name)).toEqual(['Market Beta', 'Momentum', 'Value', 'Growth', 'Quality', 'Size', 'Low Volatility']);
    const greeks = await get(app, `/api/v1/analytics/portfolio/${P}/greeks`, hedge);
    expect(greeks.body.totals.option_count).toBe(8);
  });

  it('the correlation matrix carries the clusters of its calculation: disjoint, their mean ρ that of the matrix', async () => {
    const r = await get(app, `/api/v1/analytics/portfolio/${DEMO.hedge.portfolioId}/correlation-matrix?max_symbols=50`, hedge);
    const { matrix, clusters } = r.body.data as { matrix: Record<string, Record<string, number | null>>; clusters: { name: string; members: string[]; avg_correlation: number }[] };
    expect(clusters.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const c of clusters) {
      expect(c.members.length).toBeGreaterThanOrEqual(2);
      expect(c.name.length).toBeGreaterThan(0);
      const pairs: number[] = [];
      c.members.forEach((a, i) => {
        expect(seen.has(a)).toBe(false);
        seen.add(a);
        c.members.slice(i + 1).forEach((b) => pairs.push(matrix[a]![b]!));
      });
      expect(c.avg_correlation).toBeCloseTo(pairs.reduce((x, y) => x + y, 0) / pairs.length, 9);
    }
  });

  it('stored overview equity equals the live valuation of the same day (two code paths)', async () => {
    const overview = await get(app, `/api/v1/analytics/portfolios/${DEMO.hedge.portfolioId}/overview`, hedge);
    const live = await get(app, '/api/v1/data/portfolios', hedge);
    expect(overview.body.total_value).toBeCloseTo(live.body[0].total_value, 1);
    const positions = await get(app, `/api/v1/data/portfolios/${DEMO.hedge.portfolioId}/positions`, hedge);
    const unrealized = positions.body.positions.reduce((s: number, p: { unrealized_pnl: number }) => s + p.unrealized_pnl, 0);
    expect(overview.body.pnl.unrealized_pnl).toBeCloseTo(unrealized, 0);
  });
});
