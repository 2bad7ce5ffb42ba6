/** Cross-cutting HTTP behaviour: CORS allow-list, security headers, request ids, malformed bodies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { buildApp, type TestApp } from './helpers.ts';

describe('HTTP behaviour [pglite]', () => {
  let db: TestDb;
  let app: TestApp;
  beforeAll(async () => {
    db = await createTestDb('pglite');
    app = buildApp(db, { CORS_ORIGINS: 'https://app.example.com,http://localhost:5173' });
  });
  afterAll(() => db.destroy());

  it('answers CORS only for allow-listed origins, with credentials, never echoing others', async () => {
    const ok = await app.request('/api/v1/auth/login', { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const evil = await app.request('/health', { headers: { origin: 'https://evil.example.net' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await app.request('/api/v1/auth/login', { method: 'OPTIONS', headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets security headers and a request id on successes and errors alike', async () => {
    for (const path of ['/health', '/api/v1/auth/me', '/nope']) {
      const res = await app.request(path);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
    const own = await app.request('/health', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(own.headers.get('x-request-id')).toBe('trace-abc-123');
  });

  it('turns malformed, oversized and mistyped bodies into 422 problem+json', async () => {
    const post = (body: string, type = 'application/json') => app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': type }, body });
    for (const res of [await post('{"email": '), await post('x'.repeat(70_000)), await post('[1,2]'), await post('email=a', 'text/plain')]) {
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    const typed = await post(JSON.stringify({ email: 42, password: ['x'] }));
    const body = (await typed.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['email', 'password']);
  });
});
