/**
 * Isolation: each demo user calls every documented route with the other users' portfolio,
 * position and batch-run ids (with stored results present for them); every answer is 404
 * problem+json and no body carries the other user's data. Runs are claimed through the real
 * batch service with a runner that leaves them queued (their rows are what the routes read).
 */
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { positions } from '../../db/schema/index.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { insertResults } from '../core/services/results-fixture.ts';
import { batchDeps } from '../helpers/batch.ts';
import { buildApp, DEMO, login, seededApp, type TestApp } from './helpers.ts';
import { documentedRoutes, fillPath, type DocumentedRoute } from './routes.ts';

type User = (typeof DEMO)[keyof typeof DEMO];
const USERS: User[] = [DEMO.individual, DEMO.hnw, DEMO.hedge];

describeEachDb('isolation', (kind) => {
  let db: TestDb;
  let app: TestApp;
  let routes: DocumentedRoute[];
  const positionIds = new Map<string, string[]>();
  const symbols = new Map<string, Set<string>>();
  const runIds = new Map<string, string>();
  beforeAll(async () => {
    ({ db } = await seededApp(kind));
    app = buildApp(db, {}, { batch: { ...batchDeps(db), runner: { submit: () => {}, idle: async () => {} } } });
    for (const u of USERS) {
      const token = await login(app, u.email);
      const res = await app.request(`/api/v1/admin/batch/trigger/daily?portfolio_id=${u.portfolioId}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      runIds.set(u.portfolioId, ((await res.json()) as { run_id: string }).run_id);
    }
    await insertResults(db.db);
    routes = await documentedRoutes(app);
    for (const u of USERS) {
      const rows = await db.db.select({ id: positions.id, symbol: positions.symbol }).from(positions).where(and(eq(positions.portfolioId, u.portfolioId), isNull(positions.deletedAt)));
      positionIds.set(u.portfolioId, rows.map((r) => r.id));
      symbols.set(u.portfolioId, new Set(rows.map((r) => r.symbol)));
    }
  });
  afterAll(() => db.destroy());

  /** Data of `other` that `me` could not know: ids, emails, symbols only `other` holds. */
  function foreignMarkers(me: User, other: User, sent: string[]): string[] {
    const mine = symbols.get(me.portfolioId)!;
    const onlyTheirs = [...symbols.get(other.portfolioId)!].filter((s) => !mine.has(s) && s.length >= 3).map((s) => `"${s}"`);
    const ids = positionIds.get(other.portfolioId)!.filter((id) => !sent.includes(id));
    return [other.userId, other.email, ...ids, ...onlyTheirs, ...(sent.includes(runIds.get(other.portfolioId)!) ? [] : [runIds.get(other.portfolioId)!])];
  }

  it('answers 404 for every route called with another user’s ids, with no foreign data in the body', async () => {
    let calls = 0;
    for (const me of USERS) {
      const token = await login(app, me.email);
      for (const other of USERS.filter((u) => u !== me)) {
        const theirPositions = positionIds.get(other.portfolioId)!;
        for (const r of routes.filter((x) => x.secured)) {
          const attempts: { url: string; sent: string[] }[] = [];
          if (r.pathParams.includes('portfolio_id')) attempts.push({ url: fillPath(r.path, { portfolio_id: other.portfolioId }), sent: [other.portfolioId] });
          if (r.pathParams.includes('job_id')) attempts.push({ url: fillPath(r.path, { job_id: runIds.get(other.portfolioId)! }), sent: [runIds.get(other.portfolioId)!] });
          if (r.queryParams.includes('portfolio_id')) attempts.push({ url: `${r.path}?portfolio_id=${other.portfolioId}`, sent: [other.portfolioId] });
          if (r.queryParams.includes('position_ids')) {
            attempts.push({ url: `${r.path}?position_ids=${theirPositions[0]}`, sent: [theirPositions[0]!] });
            const mixed = [positionIds.get(me.portfolioId)![0]!, theirPositions[1]!];
            attempts.push({ url: `${r.path}?position_ids=${mixed.join(',')}`, sent: mixed });
          }
          for (const a of attempts) {
            const res = await app.request(a.url, { method: r.method.toUpperCase(), headers: { authorization: `Bearer ${token}` } });
            calls++;
            expect(res.status, `${me.email} → ${r.method} ${a.url}`).toBe(404);
            expect(res.headers.get('content-type')).toBe('application/problem+json');
            const text = await res.text();
            for (const marker of foreignMarkers(me, other, a.sent)) expect(text, `${a.url} leaks ${marker}`).not.toContain(marker);
          }
        }
      }
    }
    expect(calls).toBeGreaterThanOrEqual(6 * 20);
  });

  it('lists only the caller’s own portfolio and positions', async () => {
    for (const me of USERS) {
      const token = await login(app, me.email);
      const get = async (url: string) => {
        const res = await app.request(url, { headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, body: (await res.json()) as any };
      };
      const list = await get('/api/v1/data/portfolios');
      expect(list.body.map((p: { id: string }) => p.id)).toEqual([me.portfolioId]);
      const details = await get(`/api/v1/data/positions/details?position_ids=${positionIds.get(me.portfolioId)!.slice(0, 3).join(',')}`);
      expect(details.status).toBe(200);
      expect(details.body.positions.every((p: { portfolio_id: string }) => p.portfolio_id === me.portfolioId)).toBe(true);
      const runs = await get('/api/v1/admin/batch/jobs/status');
      expect(runs.body.runs.map((r: { run_id: string }) => r.run_id)).toEqual([runIds.get(me.portfolioId)]);
    }
  });
});
