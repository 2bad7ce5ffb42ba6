/**
 * After a change to the book every analytics answer says `stale: true` with the change that made
 * it stale, while the results of the earlier run stay readable; once the queued recompute has
 * committed, the answers are current again (`stale: false`, the new run's id). A rename alters
 * no number and leaves the results current.
 */
import { testReportsDir } from '../helpers/batch.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRecompute } from '../../core/batch/recompute.ts';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { batchDepsFromEnv } from '../../core/batch/runtime.ts';
import type { BatchServiceDeps } from '../../core/batch/service.ts';
import { parseEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import { buildApp, DEMO, DEMO_AS_OF, get, login, type TestApp } from '../api/helpers.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';

// a clock that moves (a millisecond a reading) on the demo as-of date, so changes and runs are ordered in time
const BASE = Date.parse(`${DEMO_AS_OF}T21:00:00Z`);
let tick = 0;
const CLOCK = () => new Date(BASE + tick++);
const P = DEMO.individual.portfolioId;
const ROUTES = ['overview', 'greeks', 'risk-metrics', 'stress-test', 'factor-exposures', 'market-risk', 'snapshots', 'correlation-matrix'];

describeEachDb('stale results after a change to the book', (kind) => {
  let db: TestDb;
  let app: TestApp;
  let batch: BatchServiceDeps & { recompute: NonNullable<BatchServiceDeps['recompute']> };
  let token: string;
  const send = async (method: string, path: string, body: unknown) => {
    const r = await app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as any };
  };

  beforeAll(async () => {
    db = await createTestDb(kind, { seeded: true });
    const log = createLogger({ level: 'silent' });
    const env = parseEnv({ NODE_ENV: 'test', REPORTS_DIR: testReportsDir() });
    const b = batchDepsFromEnv({ env, dbh: db, log, clock: CLOCK });
    const svc: BatchServiceDeps = { ...b, runner: createInlineRunner(b) };
    // long enough that the reads right after the edit come before the recompute starts
    svc.recompute = createRecompute(svc, { debounceMs: 1_500 });
    batch = svc as typeof batch;
    app = buildApp(db, {}, { batch, clock: CLOCK });
    token = await login(app, DEMO.individual.email);
    const run = await app.request(`/api/v1/admin/batch/trigger/daily?portfolio_id=${P}&skip_reports=1`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(run.status).toBe(202);
    await batch.runner.idle();
  }, 300_000);
  afterAll(() => db.destroy());

  it('answers are current after the run, stale with the change right after an edit, and current again after the recompute', async () => {
    const before = await get(app, `/api/v1/analytics/portfolio/${P}/overview`, token);
    expect(before.body).toMatchObject({ available: true, stale: false, stale_change: null });
    const firstRun = before.body.run_id as string;

    const rename = await send('PATCH', `/api/v1/portfolios/${P}`, { name: 'Renamed, same numbers' });
    expect(rename.status).toBe(200);
    expect((await get(app, `/api/v1/analytics/portfolio/${P}/overview`, token)).body).toMatchObject({ stale: false, run_id: firstRun });

    const positions = await get(app, `/api/v1/portfolios/${P}/positions`, token);
    const target = positions.body.positions.find((p: { asset_type: string; side: string }) => p.asset_type === 'stock' && p.side === 'long');
    const edit = await send('PATCH', `/api/v1/portfolios/${P}/positions/${target.id}`, { quantity: Math.abs(target.quantity) + 10 });
    expect(edit.status).toBe(200);
    expect(edit.body.recompute).toBe('queued');

    for (const route of ROUTES) {
      const r = await get(app, `/api/v1/analytics/portfolio/${P}/${route}`, token);
      expect(r.status, route).toBe(200);
      expect(r.body, route).toMatchObject({ run_id: firstRun, stale: true, stale_change: { audit_id: edit.body.audit_id, action: 'position.update', door: 'rest' } });
    }
    // the pre-change numbers stay readable until the new run commits
    const during = await get(app, `/api/v1/analytics/portfolio/${P}/overview`, token);
    expect(during.body.exposures).toEqual(before.body.exposures);

    await batch.recompute.idle();
    const after = await get(app, `/api/v1/analytics/portfolio/${P}/overview`, token);
    expect(after.body).toMatchObject({ available: true, stale: false, stale_change: null });
    expect(after.body.run_id).not.toBe(firstRun);
    expect(after.body.exposures.long_exposure).toBeGreaterThan(before.body.exposures.long_exposure);
    for (const route of ROUTES) expect((await get(app, `/api/v1/analytics/portfolio/${P}/${route}`, token)).body.stale, route).toBe(false);
  });

  it("the analytics micro-cache drops a portfolio's answers at an edit and when the recompute commits", async () => {
    const cached = buildApp(db, { ANALYTICS_CACHE_TTL_MS: '600000' }, { batch, clock: CLOCK });
    const read = async () => {
      const r = await cached.request(`/api/v1/analytics/portfolio/${P}/overview`, { headers: { authorization: `Bearer ${token}` } });
      return { cache: r.headers.get('x-cache'), body: (await r.json()) as any };
    };
    await read();
    const warm = await read();
    expect(warm.cache).toBe('hit');
    expect(warm.body.stale).toBe(false);
    const positions = await get(app, `/api/v1/portfolios/${P}/positions`, token);
    const target = positions.body.positions.find((p: { asset_type: string; side: string }) => p.asset_type === 'stock' && p.side === 'long');
    const edit = await cached.request(`/api/v1/portfolios/${P}/positions/${target.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ quantity: Math.abs(target.quantity) + 1 }) });
    expect(edit.status).toBe(200);
    const afterEdit = await read();
    expect(afterEdit.cache).toBe('miss');
    expect(afterEdit.body).toMatchObject({ stale: true, run_id: warm.body.run_id });
    expect((await read()).cache).toBe('hit');
    await batch.recompute.idle();
    const afterRun = await read();
    expect(afterRun.cache).toBe('miss');
    expect(afterRun.body.stale).toBe(false);
    expect(afterRun.body.run_id).not.toBe(warm.body.run_id);
  });
});
