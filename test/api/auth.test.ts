/** Login, sessions, cookies, rotation, revocation, rate limits, admin user creation and log hygiene. */
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { hashPassword } from '../../core/auth/password.ts';
import { sessionIdOf } from '../../core/auth/sessions.ts';
import { parseEnv } from '../../core/env.ts';
import { REDACT_PATHS } from '../../core/logger.ts';
import { insertUser } from '../../db/queries/users.ts';
import { sessions } from '../../db/schema/index.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { buildApp, DEMO, DEMO_PASSWORD, get, login, seededApp, type TestApp } from './helpers.ts';

const json = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describeEachDb('auth', (kind) => {
  let db: TestDb;
  let app: TestApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    ({ db } = await seededApp(kind));
    const sink = new Writable({ write: (chunk, _enc, cb) => (logLines.push(String(chunk)), cb()) });
    const log = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    app = createApp({ env: parseEnv({ NODE_ENV: 'test', RATE_LIMIT_LOGIN_PER_EMAIL: '1000', RATE_LIMIT_LOGIN_PER_IP: '1000', AUTH_CACHE_TTL_MS: '0' }), dbh: db, log, startedAt: Date.now(), version: 't' });
  });
  afterAll(() => db.destroy());

  it('logs in with the reference body shape plus expiry, user and portfolio id, and sets an HttpOnly SameSite=Lax cookie', async () => {
    const res = await app.request('/api/v1/auth/login', json({ email: DEMO.individual.email, password: DEMO_PASSWORD }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 86_400, portfolio_id: DEMO.individual.portfolioId, user: { id: DEMO.individual.userId, email: DEMO.individual.email, role: 'user' } });
    expect(body['access_token']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ttlMs = Date.parse(body['expires_at']) - Date.now();
    expect(ttlMs).toBeGreaterThan(86_400_000 - 60_000);
    expect(ttlMs).toBeLessThanOrEqual(86_400_000);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toContain(`auth_token=${body['access_token']}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    // the database holds only the SHA-256 of the token
    const [row] = await db.db.select().from(sessions).where(eq(sessions.id, sessionIdOf(body['access_token'])));
    expect(row?.userId).toBe(DEMO.individual.userId);
    expect(await db.db.select().from(sessions).where(eq(sessions.id, body['access_token']))).toHaveLength(0);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const a = await app.request('/api/v1/auth/login', json({ email: DEMO.hnw.email, password: 'wrong-password' }));
    const b = await app.request('/api/v1/auth/login', json({ email: 'nobody@example.com', password: 'wrong-password' }));
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    const [ja, jb] = [(await a.json()) as Record<string, unknown>, (await b.json()) as Record<string, unknown>];
    for (const k of ['request_id']) (delete ja[k], delete jb[k]);
    expect(ja).toEqual(jb);
    expect(ja).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'Incorrect email or password' });
    expect(a.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('authenticates by bearer header or cookie; an invalid bearer does not fall back to the cookie', async () => {
    const token = await login(app, DEMO.individual.email);
    expect((await get(app, '/api/v1/auth/me', token)).body).toMatchObject({ id: DEMO.individual.userId, portfolio_id: DEMO.individual.portfolioId });
    const byCookie = await app.request('/api/v1/auth/me', { headers: { cookie: `auth_token=${token}` } });
    expect(byCookie.status).toBe(200);
    const mixed = await app.request('/api/v1/auth/me', { headers: { cookie: `auth_token=${token}`, authorization: 'Bearer not-a-valid-token' } });
    expect(mixed.status).toBe(401);
    const none = await app.request('/api/v1/auth/me');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refresh rotates the token and revokes the old one; logout revokes and is idempotent', async () => {
    const old = await login(app, DEMO.hedge.email);
    const r = await app.request('/api/v1/auth/refresh', { method: 'POST', headers: { authorization: `Bearer ${old}` } });
    expect(r.status).toBe(200);
    const fresh = ((await r.json()) as { access_token: string }).access_token;
    expect(fresh).not.toBe(old);
    expect((await get(app, '/api/v1/auth/me', old)).status).toBe(401);
    expect((await get(app, '/api/v1/auth/me', fresh)).status).toBe(200);
    const out = await app.request('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${fresh}` } });
    expect(await out.json()).toEqual({ message: 'Successfully logged out', success: true });
    expect(out.headers.get('set-cookie')).toMatch(/auth_token=;.*Max-Age=0/);
    expect((await get(app, '/api/v1/auth/me', fresh)).status).toBe(401);
    expect((await app.request('/api/v1/auth/logout', { method: 'POST' })).status).toBe(200);
  });

  it('rejects an expired session', async () => {
    const token = await login(app, DEMO.hnw.email);
    await db.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, sessionIdOf(token)));
    expect((await get(app, '/api/v1/auth/me', token)).status).toBe(401);
  });

  it('extends a session used in the second half of its life (lucia) and renews the cookie', async () => {
    const token = await login(app, DEMO.hnw.email);
    const soon = new Date(Date.now() + 3600_000);
    await db.db.update(sessions).set({ expiresAt: soon }).where(eq(sessions.id, sessionIdOf(token)));
    const res = await app.request('/api/v1/auth/me', { headers: { cookie: `auth_token=${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain(`auth_token=${token}`);
    const [row] = await db.db.select().from(sessions).where(eq(sessions.id, sessionIdOf(token)));
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 86_400_000 - 60_000);
  });

  it('creates users only for admins; duplicates are 409', async () => {
    await insertUser(db.db, { email: 'admin@example.com', fullName: 'Admin', passwordHash: await hashPassword('admin-pass-1'), role: 'admin' });
    const admin = await login(app, 'admin@example.com', 'admin-pass-1');
    const user = await login(app, DEMO.individual.email);
    const body = { email: 'New.User@Example.com', password: 'long-enough', full_name: 'New User' };
    const denied = await app.request('/api/v1/admin/users', json(body, { authorization: `Bearer ${user}` }));
    expect(denied.status).toBe(403);
    const created = await app.request('/api/v1/admin/users', json(body, { authorization: `Bearer ${admin}` }));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ email: 'new.user@example.com', role: 'user', portfolio_id: expect.any(String) });
    expect((await app.request('/api/v1/admin/users', json(body, { authorization: `Bearer ${admin}` }))).status).toBe(409);
    expect(await login(app, 'new.user@example.com', 'long-enough')).toMatch(/.{43}/);
    const short = await app.request('/api/v1/admin/users', json({ ...body, email: 'x@example.com', password: 'short' }, { authorization: `Bearer ${admin}` }));
    expect(short.status).toBe(422);
    expect(((await short.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('password');
  });

  it('never writes a token or password to the log, and every request line carries the request id', async () => {
    const start = logLines.length;
    const token = await login(app, DEMO.individual.email);
    await get(app, '/api/v1/auth/me', token);
    await app.request('/api/v1/auth/me', { headers: { cookie: `auth_token=${token}` } });
    const all = logLines.join('');
    expect(all).not.toContain(token);
    expect(all).not.toContain(DEMO_PASSWORD);
    const requests = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const l of requests) expect(l['requestId']).toEqual(expect.any(String));
    const me = requests.slice(-2).filter((l) => l['path'] === '/api/v1/auth/me' && l['status'] === 200);
    expect(me.length).toBe(2);
    for (const l of me) expect(l['userId']).toBe(DEMO.individual.userId);
    // a line a handler writes through the request logger carries the same request id as the access line
    const mine = logLines.slice(start).map((l) => JSON.parse(l) as Record<string, unknown>);
    const loginLine = mine.find((l) => l['msg'] === 'login');
    const loginRequest = mine.find((l) => l['msg'] === 'request' && l['path'] === '/api/v1/auth/login');
    expect(loginLine?.['userId']).toBe(DEMO.individual.userId);
    expect(loginLine?.['requestId']).toEqual(expect.any(String));
    expect(loginLine?.['requestId']).toBe(loginRequest?.['requestId']);
  });
});

describe('login rate limits [pglite]', () => {
  let db: TestDb;
  beforeAll(async () => {
    ({ db } = await seededApp('pglite'));
  });
  afterAll(() => db.destroy());

  it('makes an (email, client) pair wait after consecutive failures, with 429 problem+json, Retry-After and retry_after', async () => {
    const app = buildApp(db, { RATE_LIMIT_LOGIN_PER_EMAIL: '3' });
    for (let i = 0; i < 3; i++) expect((await app.request('/api/v1/auth/login', json({ email: DEMO.hnw.email, password: 'bad' }))).status).toBe(401);
    const res = await app.request('/api/v1/auth/login', json({ email: DEMO.hnw.email, password: DEMO_PASSWORD }));
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(res.headers.get('retry-after'))).toBe(1);
    expect(await res.json()).toMatchObject({ code: 'RATE_LIMITED', retry_after: 1 });
    // another account from the same client is not affected by the pair's wait
    expect((await app.request('/api/v1/auth/login', json({ email: DEMO.hedge.email, password: DEMO_PASSWORD }))).status).toBe(200);
  });

  it('limits failed attempts per client address', async () => {
    const app = buildApp(db, { RATE_LIMIT_LOGIN_PER_IP: '2', TRUST_PROXY: 'true' });
    const from = (ip: string, email: string) => app.request('/api/v1/auth/login', json({ email, password: 'bad' }, { 'x-forwarded-for': ip }));
    expect((await from('10.0.0.1', 'a@example.com')).status).toBe(401);
    expect((await from('10.0.0.1', 'b@example.com')).status).toBe(401);
    expect((await from('10.0.0.1', 'c@example.com')).status).toBe(429);
    expect((await from('10.0.0.2', 'c@example.com')).status).toBe(401);
  });

  it('limits authenticated requests per user', async () => {
    const app = buildApp(db, { RATE_LIMIT_API_PER_MIN: '3' });
    const token = await login(app, DEMO.individual.email);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(app, '/api/v1/auth/me', token)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
