/**
 * DNS rebinding and cross-site forgery at the HTTP door: a Host other than localhost, PUBLIC_URL's
 * host or ALLOWED_HOSTS answers 403 problem+json on the API and /mcp (health stays open); work
 * authenticated by the cookie alone (the EventSource stream that starts an agent turn, any POST)
 * runs only with a same-site proof; cookies are Secure whenever the request came over https.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { buildApp, DEMO, DEMO_PASSWORD, login, type TestApp } from '../api/helpers.ts';

const MCP_INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('Host allow-list and CSRF [pglite]', () => {
  let db: TestDb;
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    db = await createTestDb('pglite', { seeded: true });
    app = buildApp(db, { PUBLIC_URL: 'https://risk.example.com', ALLOWED_HOSTS: 'risk.internal' });
    token = await login(app, DEMO.individual.email);
  });
  afterAll(() => db.destroy());

  it('refuses a foreign Host with 403 problem+json on the API and /mcp, even with a matching Origin', async () => {
    const bearer = { authorization: `Bearer ${token}` };
    for (const [path, init] of [
      ['/api/v1/auth/me', { headers: bearer }],
      ['/mcp', { method: 'POST', headers: { ...MCP_HEADERS, ...bearer, origin: 'http://evil.example.com' }, body: MCP_INIT }],
      ['/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO.individual.email, password: DEMO_PASSWORD }) }],
    ] as const) {
      const res = await app.request(`http://evil.example.com${path}`, init);
      expect(res.status, path).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toContain('PUBLIC_URL');
    }
    expect((await app.request('http://10.1.2.3:8000/health')).status).toBe(200);
  });

  it('serves localhost names, PUBLIC_URL and ALLOWED_HOSTS, with or without a port', async () => {
    const bearer = { authorization: `Bearer ${token}` };
    for (const base of ['http://localhost:8000', 'http://127.0.0.1', 'http://[::1]:8000', 'https://risk.example.com', 'http://risk.internal:8000']) {
      expect((await app.request(`${base}/api/v1/auth/me`, { headers: bearer })).status, base).toBe(200);
    }
    const mcp = await app.request('http://localhost:8000/mcp', { method: 'POST', headers: { ...MCP_HEADERS, ...bearer }, body: MCP_INIT });
    expect(mcp.status).toBe(200);
  });

  it('refuses the cookie-only stream from a cross-site navigation and runs it from this site', async () => {
    const stream = `/api/v1/agent/chat/stream?message=${encodeURIComponent('what is my beta?')}&portfolio_id=${DEMO.individual.portfolioId}`;
    const cookie = `auth_token=${token}`;
    for (const headers of [{ cookie, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }, { cookie }, { cookie, 'sec-fetch-site': 'same-site' }]) {
      const res = await app.request(stream, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/cross-site request refused/);
    }
    const same = await app.request(stream, { headers: { cookie, 'sec-fetch-site': 'same-origin' } });
    expect(same.status).toBe(200);
    expect(await same.text()).toContain('event: done');
    const bearer = await app.request(stream, { headers: { authorization: `Bearer ${token}`, 'sec-fetch-site': 'cross-site' } });
    expect(bearer.status).toBe(200);
    await bearer.text();
  });

  it('needs a proof for cookie-only writes: same-origin, an allowed Origin, or the double-submit token', async () => {
    const signIn = await app.request('https://risk.example.com/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO.individual.email, password: DEMO_PASSWORD }) });
    const cookies = signIn.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('auth_token='))).toMatch(/HttpOnly.*Secure|Secure.*HttpOnly/);
    const csrf = /^csrf_token=([^;]+)/.exec(cookies.find((c) => c.startsWith('csrf_token=')) ?? '')?.[1];
    expect(csrf).toBeTruthy();
    const session = /^auth_token=([^;]+)/.exec(cookies.find((c) => c.startsWith('auth_token='))!)![1]!;
    const post = (headers: Record<string, string>) => app.request('/api/v1/chat/conversations', { method: 'POST', headers: { 'content-type': 'application/json', cookie: `auth_token=${session}; csrf_token=${csrf}`, ...headers }, body: '{}' });
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: 'https://evil.example.net', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': 'not-the-token' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': csrf! })).status).toBe(201);
    expect((await post({ 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await post({ origin: 'http://localhost' })).status).toBe(201);
  });

  it('sets Secure cookies over https outside production too, and not over plain http on localhost', async () => {
    const dev = buildApp(db, { NODE_ENV: 'development' });
    const body = JSON.stringify({ email: DEMO.hnw.email, password: DEMO_PASSWORD });
    const over = async (url: string, headers: Record<string, string> = {}) => (await dev.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).headers.getSetCookie().find((c) => c.startsWith('auth_token='))!;
    expect(await over('https://localhost/api/v1/auth/login')).toContain('Secure');
    expect(await over('http://localhost/api/v1/auth/login')).not.toContain('Secure');
    const proxied = buildApp(db, { NODE_ENV: 'development', TRUST_PROXY: 'true' });
    const res = await proxied.request('http://localhost/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body });
    expect(res.headers.getSetCookie().find((c) => c.startsWith('auth_token='))).toContain('Secure');
  });
});
