/**
 * Isolation: each demo user calls every documented route with the other users' portfolio and
 * position ids (with stored results present for them); every answer is 404 problem+json and no
 * body carries the other user's data.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { positions } from '../../db/schema/index.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { insertResults } from '../core/services/results-fixture.ts';
import { DEMO, get, login, seededApp, type TestApp } from './helpers.ts';
import { documentedRoutes, fillPath, type DocumentedRoute } from './routes.ts';

type User = (typeof DEMO)[keyof typeof DEMO];
const USERS: User[] = [DEMO.individual, DEMO.hnw, DEMO.hedge];

describeEachDb('isolation', (kind) => {
  let db: TestDb;
  let app: TestApp;
  let routes: DocumentedRoute[];
  const positionIds = new Map<string, string[]>();
  const symbols = new Map<string, Set<string>>();
  beforeAll(async () => {
    ({ db, app } = await seededApp(kind));
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
    return [other.userId, other.email, ...ids, ...onlyTheirs];
  }

  it('answers 404 for every route called with another user’s ids, with no foreign data in the body', async () => {
    let calls = 0;
    for (const me of USERS) {
      const token = await login(app, me.email);
      for (const other of USERS.filter((u) => u !== me)) {
        const theirPositions = positionIds.get(other.portfolioId)!;
        for (const r of routes.filter((x) => x.secured && x.method === 'get')) {
          const attempts: { url: string; sent: string[] }[] = [];
          if (r.pathParams.includes('portfolio_id')) attempts.push({ url: fillPath(r.path, { portfolio_id: other.portfolioId }), sent: [other.portfolioId] });
          if (r.queryParams.includes('portfolio_id')) attempts.push({ url: `${r.path}?portfolio_id=${other.portfolioId}`, sent: [other.portfolioId] });
          if (r.queryParams.includes('position_ids')) {
            attempts.push({ url: `${r.path}?position_ids=${theirPositions[0]}`, sent: [theirPositions[0]!] });
            const mixed = [positionIds.get(me.portfolioId)![0]!, theirPositions[1]!];
            attempts.push({ url: `${r.path}?position_ids=${mixed.join(',')}`, sent: mixed });
          }
          for (const a of attempts) {
            const res = await get(app, a.url, token);
            calls++;
            expect(res.status, `${me.email} → ${a.url}`).toBe(404);
            expect(res.headers.get('content-type')).toBe('application/problem+json');
            const text = JSON.stringify(res.body);
            for (const marker of foreignMarkers(me, other, a.sent)) expect(text, `${a.url} leaks ${marker}`).not.toContain(marker);
          }
        }
      }
    }
    expect(calls).toBeGreaterThanOrEqual(6 * 14);
  });

  it('lists only the caller’s own portfolio and positions', async () => {
    for (const me of USERS) {
      const token = await login(app, me.email);
      const list = await get(app, '/api/v1/data/portfolios', token);
      expect(list.body.map((p: { id: string }) => p.id)).toEqual([me.portfolioId]);
      const details = await get(app, `/api/v1/data/positions/details?position_ids=${positionIds.get(me.portfolioId)!.slice(0, 3).join(',')}`, token);
      expect(details.status).toBe(200);
      expect(details.body.positions.every((p: { portfolio_id: string }) => p.portfolio_id === me.portfolioId)).toBe(true);
    }
  });
});
