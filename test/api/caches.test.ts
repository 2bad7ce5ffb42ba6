/** Session and analytics micro-caches: logout evicts at once, answers never cross users, no-cache bypasses, concurrent misses share one read. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthSessions, sessionIdOf } from '../../core/auth/sessions.ts';
import { sessions } from '../../db/schema/index.ts';
import type { TestDb } from '../helpers/db.ts';
import { buildApp, DEMO, get, login, seededApp } from './helpers.ts';

describe('caches [pglite]', () => {
  let db: TestDb;
  beforeAll(async () => {
    ({ db } = await seededApp('pglite'));
  });
  afterAll(() => db.destroy());

  it('a cached session is evicted by logout on this process at once', async () => {
    const app = buildApp(db, { AUTH_CACHE_TTL_MS: '60000' });
    const token = await login(app, DEMO.individual.email);
    expect((await get(app, '/api/v1/auth/me', token)).status).toBe(200);
    // trusted from memory within the TTL even when the row is gone (documented trade-off) …
    await db.db.delete(sessions).where(eq(sessions.id, sessionIdOf(token)));
    expect((await get(app, '/api/v1/auth/me', token)).status).toBe(200);
    // … but a logout through this process evicts it immediately
    await app.request('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect((await get(app, '/api/v1/auth/me', token)).status).toBe(401);
  });

  it('reuses analytics answers per user and URL, never across users, and honours Cache-Control: no-cache', async () => {
    const app = buildApp(db, { ANALYTICS_CACHE_TTL_MS: '60000' });
    const a = await login(app, DEMO.individual.email);
    const b = await login(app, DEMO.hnw.email);
    const url = `/api/v1/analytics/portfolio/${DEMO.individual.portfolioId}/overview`;
    expect((await get(app, url, a)).headers.get('x-cache')).toBe('miss');
    const second = await get(app, url, a);
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.body.portfolio_id).toBe(DEMO.individual.portfolioId);
    const other = await get(app, url, b);
    expect(other.status).toBe(404);
    const fresh = await app.request(url, { headers: { authorization: `Bearer ${a}`, 'cache-control': 'no-cache' } });
    expect(fresh.headers.get('x-cache')).toBe('miss');
  });

  it('concurrent misses of one analytics URL wait for the first answer: one miss, the rest hits, same body', async () => {
    const app = buildApp(db, { ANALYTICS_CACHE_TTL_MS: '60000' });
    const token = await login(app, DEMO.hedge.email);
    const url = `/api/v1/analytics/portfolio/${DEMO.hedge.portfolioId}/overview`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => app.request(url, { headers: { authorization: `Bearer ${token}` } })));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.map((r) => r.headers.get('x-cache')).sort()).toEqual(['hit', 'hit', 'hit', 'hit', 'hit', 'miss']);
    const bodies = new Set(await Promise.all(answers.map((r) => r.text())));
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0]!).portfolio_id).toBe(DEMO.hedge.portfolioId);
  });

  it('a session revoked while its lookup is in flight is not cached by that lookup', async () => {
    const auth = createAuthSessions(db.db, { ttlHours: 24, cacheTtlMs: 60_000 });
    const { token } = await auth.create(DEMO.individual.userId);
    const [a, b] = [auth.validate(token), auth.validate(token)];
    await auth.revoke(token);
    await Promise.all([a, b]);
    expect(await auth.validate(token)).toBeNull();
  });
});
