/**
 * Property: whatever a client sends to any documented route — bad or foreign ids, huge,
 * negative and non-numeric numbers, wrong types, long strings, unknown fields, malformed JSON,
 * garbage tokens — the answer is never a 500, and every error is application/problem+json.
 */
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { TestDb } from '../helpers/db.ts';
import { insertResults } from '../core/services/results-fixture.ts';
import { batchDeps } from '../helpers/batch.ts';
import { buildApp, DEMO, login, seededApp, type TestApp } from './helpers.ts';
import { documentedRoutes, fillPath, type DocumentedRoute } from './routes.ts';

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 300, maxLength: 5000 }),
  fc.integer().map(String),
  fc.constantFrom('-1', '0', '1e308', '-1e308', 'NaN', 'Infinity', '9007199254740993', '1.5', '', ' ', 'true', 'null', '[]', '{}', '%00', "' or 1=1 --", '../../etc/passwd', '2026-02-30', '2026-13-01', '0000-00-00'),
  fc.uuid().map((u) => u),
  fc.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  fc.constantFrom(DEMO.hnw.portfolioId, DEMO.hedge.portfolioId, DEMO.individual.portfolioId),
);

const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ email: nasty, password: nasty }),
  fc.record({ email: fc.emailAddress(), password: fc.string({ maxLength: 2000 }), extra: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ email: fc.emailAddress(), password: nasty, full_name: nasty, role: nasty, unknown_field: nasty }),
);

interface Case {
  routeIndex: number;
  pathValues: string[];
  query: [string, string][];
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string } | { kind: 'none' };
  auth: 'valid' | 'garbage-bearer' | 'garbage-cookie' | 'none';
}

describe('every route survives generated bad input [pglite]', () => {
  let db: TestDb;
  let app: TestApp;
  let routes: DocumentedRoute[];
  let token: string;
  beforeAll(async () => {
    ({ db } = await seededApp('pglite'));
    // runs started by the fuzz are claimed for real but left queued (nothing executes in the background)
    app = buildApp(db, {}, { batch: { ...batchDeps(db), runner: { submit: () => {}, idle: async () => {} } } });
    await insertResults(db.db);
    routes = (await documentedRoutes(app)).filter((r) => r.path.startsWith('/api/'));
    token = await login(app, DEMO.individual.email);
  });
  afterAll(() => db.destroy());

  const caseArb = fc.record<Case>({
    routeIndex: fc.nat(),
    pathValues: fc.array(nasty, { minLength: 2, maxLength: 2 }),
    query: fc.array(fc.tuple(fc.oneof(fc.constantFrom('limit', 'offset', 'lookback_days', 'min_overlap', 'max_symbols', 'symbols', 'scenarios', 'portfolio_id', 'position_ids', 'include_closed', 'include_holdings', 'as_of_date', 'sort_by', 'start_date', 'end_date', 'include_timeseries'), fc.string({ maxLength: 20 })), nasty), { maxLength: 4 }),
    body: fc.oneof(
      fc.record({ kind: fc.constant('json' as const), value: jsonValue }),
      fc.record({ kind: fc.constant('raw' as const), text: fc.oneof(fc.string({ maxLength: 200 }), fc.constant('{"email": '), fc.constant('x'.repeat(70_000))) }),
      fc.constant({ kind: 'none' as const }),
    ),
    auth: fc.constantFrom('valid', 'valid', 'valid', 'garbage-bearer', 'garbage-cookie', 'none'),
  });

  test.prop([caseArb], { numRuns: 400 })('never 500, errors are problem+json', async (c) => {
    const route = routes[c.routeIndex % routes.length]!;
    const values = Object.fromEntries(route.pathParams.map((p, i) => [p, c.pathValues[i % 2]!]));
    const qs = new URLSearchParams(c.query).toString();
    const url = fillPath(route.path, values) + (qs ? `?${qs}` : '');
    const rotating = route.path.endsWith('/refresh') || route.path.endsWith('/logout');
    const auth = rotating && c.auth === 'valid' ? 'garbage-bearer' : c.auth;
    const headers: Record<string, string> = {};
    if (auth === 'valid') headers['authorization'] = `Bearer ${token}`;
    if (auth === 'garbage-bearer') headers['authorization'] = `Bearer ${c.pathValues[0]}`.replace(/[^\x20-\x7e]/g, '');
    if (auth === 'garbage-cookie') headers['cookie'] = `auth_token=${encodeURIComponent(c.pathValues[1]!)}`;
    let body: string | undefined;
    if (route.method !== 'get' && c.body.kind !== 'none') {
      headers['content-type'] = 'application/json';
      body = c.body.kind === 'json' ? JSON.stringify(c.body.value) : c.body.text;
    }
    const res = await app.request(url, { method: route.method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    expect(res.status, `${route.method} ${url} → ${text.slice(0, 300)}`).toBeLessThan(500);
    if (res.status >= 400) {
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const problem = JSON.parse(text) as { status: number; code: string; detail: string };
      expect(problem.status).toBe(res.status);
      expect(typeof problem.detail).toBe('string');
    } else {
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });
});
