/**
 * Login throttling cannot lock an owner out: failures are counted per (email, client IP) pair,
 * with growing waits, and per client IP over all emails; unknown emails and wrong passwords get
 * the same answers. The client IP is given the way @hono/node-server gives it to the app: as the
 * incoming request's socket in the request env (X-Forwarded-For only counts with TRUST_PROXY).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { buildApp, DEMO, DEMO_PASSWORD, seededApp, type TestApp } from '../api/helpers.ts';

const THROTTLE = { RATE_LIMIT_LOGIN_PER_EMAIL: '3', RATE_LIMIT_LOGIN_PER_IP: '8' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer { status: number; retryAfter: number; body: Record<string, unknown>; ms: number }

/** POST /auth/login as a client at `ip` (the socket address the Node server hands the app). */
async function attempt(app: TestApp, ip: string, email: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
  const env = { incoming: { socket: { remoteAddress: ip, remotePort: 50_000, remoteFamily: 'IPv4' } } };
  const t0 = performance.now();
  const res = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email, password }) }, env);
  const ms = performance.now() - t0;
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, retryAfter: Number(res.headers.get('retry-after')), body, ms };
}

/** The body without what differs on every request. */
const stable = (b: Record<string, unknown>) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== 'request_id'));

describeEachDb('login throttling', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    ({ db } = await seededApp(kind));
  });
  afterAll(() => db.destroy());

  it('lets the owner log in from their address while an attacker hammers the email from another, and makes the attacker wait 1 s, 2 s, 4 s', async () => {
    const app = buildApp(db, THROTTLE);
    const [owner, attacker] = ['192.0.2.10', '198.51.100.7'];
    for (let i = 0; i < 3; i++) expect((await attempt(app, attacker, DEMO.hnw.email, 'wrong-password')).status).toBe(401);
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      const refused = await attempt(app, attacker, DEMO.hnw.email, 'wrong-password');
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', status: 429, retry_after: refused.retryAfter });
      waits.push(refused.retryAfter);
      // the owner is never refused, even while the attacker's pair waits
      expect((await attempt(app, owner, DEMO.hnw.email, DEMO_PASSWORD)).status).toBe(200);
      if (round < 2) {
        await sleep(refused.retryAfter * 1000 + 50);
        expect((await attempt(app, attacker, DEMO.hnw.email, 'wrong-password')).status).toBe(401);
      }
    }
    expect(waits).toEqual([1, 2, 4]);
    // a correct password from the attacker's address must also wait while its pair waits
    expect((await attempt(app, attacker, DEMO.hnw.email, DEMO_PASSWORD)).status).toBe(429);
  }, 20_000);

  it('refuses a client address after its budget of failed attempts over all emails, and no other address', async () => {
    const app = buildApp(db, THROTTLE);
    const sprayer = '203.0.113.5';
    for (let i = 0; i < 8; i++) expect((await attempt(app, sprayer, `guess${i}@example.com`, 'wrong-password')).status).toBe(401);
    const refused = await attempt(app, sprayer, DEMO.individual.email, DEMO_PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBeGreaterThan(60);
    expect(refused.retryAfter).toBeLessThanOrEqual(900);
    expect(refused.body['retry_after']).toBe(refused.retryAfter);
    expect((await attempt(app, '203.0.113.6', DEMO.individual.email, DEMO_PASSWORD)).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set, and then trusts only the hop the proxy appended', async () => {
    const app = buildApp(db, THROTTLE);
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await attempt(app, '203.0.113.9', `spray${i}@example.com`, 'bad', { 'x-forwarded-for': `10.9.0.${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
    // behind a trusted proxy the client is the hop the proxy appended; hops before it are the client's own words
    const trusting = buildApp(db, { ...THROTTLE, TRUST_PROXY: 'true' });
    const viaProxy = (i: number, client: string) => attempt(trusting, '127.0.0.1', `spray${i}@example.com`, 'bad', { 'x-forwarded-for': `10.9.0.${i}, ${client}` });
    const proxied: number[] = [];
    for (let i = 0; i < 9; i++) proxied.push((await viaProxy(i, '198.51.100.99')).status);
    expect(proxied).toEqual(statuses);
    expect((await viaProxy(0, '198.51.100.100')).status).toBe(401);
  });

  it('resets a pair on success', async () => {
    const app = buildApp(db, THROTTLE);
    const ip = '192.0.2.44';
    for (let i = 0; i < 2; i++) expect((await attempt(app, ip, DEMO.hedge.email, 'typo')).status).toBe(401);
    expect((await attempt(app, ip, DEMO.hedge.email, DEMO_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await attempt(app, ip, DEMO.hedge.email, 'typo')).status).toBe(401);
    expect((await attempt(app, ip, DEMO.hedge.email, 'typo')).status).toBe(429);
  });

  it('answers an unknown email exactly like a wrong password: same 401, same 429, similar time', async () => {
    const app = buildApp(db, THROTTLE);
    const [known, unknown] = [DEMO.individual.email, 'nobody-here@example.com'];
    const a: Answer[] = [];
    const b: Answer[] = [];
    for (let i = 0; i < 4; i++) {
      a.push(await attempt(app, '192.0.2.77', known, 'wrong-password'));
      b.push(await attempt(app, '192.0.2.78', unknown, 'wrong-password'));
    }
    expect(a.map((x) => x.status)).toEqual([401, 401, 401, 429]);
    expect(b.map((x) => x.status)).toEqual(a.map((x) => x.status));
    for (let i = 0; i < 4; i++) {
      expect(stable(b[i]!.body)).toEqual(stable(a[i]!.body));
      expect(b[i]!.retryAfter).toEqual(a[i]!.retryAfter);
    }
    // both verify an argon2id hash: the median times are within a factor of 3
    const median = (xs: Answer[]) => xs.slice(0, 3).map((x) => x.ms).sort((p, q) => p - q)[1]!;
    const ratio = median(a) / median(b);
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });
});

describe('every rate-limit answer carries retry_after', () => {
  let db: TestDb;
  beforeAll(async () => {
    ({ db } = await seededApp('pglite'));
  });
  afterAll(() => db.destroy());

  it('per-user API limit: 429 problem+json with Retry-After and the same retry_after in the body', async () => {
    const app = buildApp(db, { RATE_LIMIT_API_PER_MIN: '2' });
    const { body } = await attempt(app, '192.0.2.90', DEMO.individual.email, DEMO_PASSWORD);
    const token = body['access_token'] as string;
    let res: Response | undefined;
    for (let i = 0; i < 3; i++) res = await app.request('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } });
    expect(res!.status).toBe(429);
    expect(res!.headers.get('content-type')).toBe('application/problem+json');
    const retryAfter = Number(res!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await res!.json()).toMatchObject({ code: 'RATE_LIMITED', retry_after: retryAfter });
  });
});
