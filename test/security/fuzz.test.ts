/**
 * Hostile input at every door, generated from the zod contracts (through /openapi.json and the
 * MCP tools' input schemas):
 * - NUL, other control characters and lone surrogates in any text input answer 422
 *   problem+json over REST, a tool error with a hint over MCP, and a message with a non-zero
 *   exit on the CLI — never a 500, and nothing is written;
 * - every documented route, fed wrong types, control characters, lone surrogates, 1 MB strings,
 *   huge and negative numbers, unknown fields, bad JSON and wrong content types, answers no 500,
 *   and every error is application/problem+json.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createLogger } from '../../core/logger.ts';
import { createUser } from '../../core/services/users.ts';
import { batchDeps } from '../helpers/batch.ts';
import type { TestDb } from '../helpers/db.ts';
import { runTs } from '../helpers/run.ts';
import { buildApp, DEMO, login, seededApp, type TestApp } from '../api/helpers.ts';
import { insertResults } from '../core/services/results-fixture.ts';
import { callTool, mcpFor, toolText } from '../mcp/mcp-harness.ts';
import { asQueryString, hostileValue, namedArb, OWN_RECORD_IDS, readOpenApi, validArb, type JsonSchema, type OpenApi, type Operation } from './openapi-arbitraries.ts';

const ADMIN = { email: 'fuzz-admin@sigmasight.test', password: 'fuzz-admin-password-1' };

interface Req {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Percent-encoding that keeps what a hostile client can put on the wire: a lone surrogate
 * becomes its WTF-8 bytes (%ED%A0%80), which no UTF-8 decoder accepts, instead of a throw.
 */
export function encodeHostile(v: string): string {
  let out = '';
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) out += `%${(0xe0 | (c >> 12)).toString(16).toUpperCase()}%${(0x80 | ((c >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (c & 0x3f)).toString(16).toUpperCase()}`;
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** A request for `op` built from `values` (path and query parameters) and `body`. */
function request(op: Operation, values: Record<string, unknown>, body: unknown, token: string): Req {
  const path = op.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeHostile(asQueryString(values[k])));
  const qs = op.params
    .filter((p) => p.in === 'query' && values[p.name] !== undefined)
    .map((p) => `${p.name}=${encodeHostile(asQueryString(values[p.name]))}`)
    .join('&');
  const req: Req = { url: path + (qs ? `?${qs}` : ''), method: op.method.toUpperCase(), headers: { authorization: `Bearer ${token}` } };
  if (op.body && body !== undefined) {
    req.headers['content-type'] = 'application/json';
    req.body = JSON.stringify(body);
  }
  return req;
}

const send = (app: TestApp, r: Req) => app.request(r.url, { method: r.method, headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) });

async function expectProblem(res: Response, label: string, status?: number): Promise<{ code: string; detail: string; errors?: { path: string; message: string }[] }> {
  const text = await res.text();
  if (status !== undefined) expect(res.status, `${label} → ${text.slice(0, 300)}`).toBe(status);
  expect(res.status, `${label} → ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.status, `${label} → ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.headers.get('content-type'), label).toBe('application/problem+json');
  const problem = JSON.parse(text) as { status: number; code: string; detail: string; errors?: { path: string; message: string }[] };
  expect(problem.status, label).toBe(res.status);
  return problem;
}

/** One valid value per parameter and for the body, drawn with a fixed seed. */
function validInputs(op: Operation, api: OpenApi, ids: string[], seed: number): { values: Record<string, unknown>; body: unknown } {
  const values: Record<string, unknown> = {};
  // optional parameters are sent in about half the cases, so both the defaults and the given values are exercised
  for (const [i, p] of op.params.entries()) if (p.in === 'path' || p.required || (seed >> i) % 2 === 0) values[p.name] = fc.sample(namedArb(p.name, p.schema, api, ids), { seed, numRuns: 1 })[0];
  const body = op.body ? fc.sample(validArb(op.body, api, ids), { seed, numRuns: 1 })[0] : undefined;
  return { values, body };
}

const isStringSchema = (s: JsonSchema, api: OpenApi): boolean => {
  const r = api.resolve(s);
  const types = Array.isArray(r.type) ? r.type : [r.type];
  return (types.includes('string') && !r.enum) || (r.anyOf ?? r.oneOf ?? []).some((a) => isStringSchema(a, api));
};

describe('hostile input at every door [pglite]', () => {
  let db: TestDb;
  let app: TestApp;
  let api: OpenApi;
  let ops: Operation[];
  let userToken: string;
  let adminToken: string;
  const ids = [DEMO.individual.portfolioId];
  const rowCounts = async () => {
    const r = await db.db.execute(sql`select (select count(*) from messages) as m, (select count(*) from conversations) as c, (select count(*) from positions) as p, (select count(*) from portfolios) as f, (select count(*) from users) as u, (select count(*) from batch_runs) as b`);
    return JSON.stringify((r as unknown as { rows?: unknown[] }).rows ?? r);
  };

  beforeAll(async () => {
    ({ db } = await seededApp('pglite'));
    // runs started here are recorded but never executed in the background
    app = buildApp(db, {}, { batch: { ...batchDeps(db), runner: { submit: () => {}, idle: async () => {} } } });
    await insertResults(db.db);
    await createUser({ db: db.db, log: createLogger({ level: 'silent' }), clock: () => new Date() }, { email: ADMIN.email, password: ADMIN.password, full_name: 'Fuzz Admin', role: 'admin', create_portfolio: false });
    api = await readOpenApi(app);
    ops = api.operations.filter((o) => o.path.startsWith('/api/'));
    userToken = await login(app, DEMO.individual.email);
    adminToken = await login(app, ADMIN.email, ADMIN.password);
    // a position and a previewed import of the caller, so their routes reach body validation
    const held = await db.db.execute(sql`select id::text from positions where portfolio_id = ${DEMO.individual.portfolioId} order by id limit 1`);
    OWN_RECORD_IDS['position_id'] = [((held as unknown as { rows: { id: string }[] }).rows ?? (held as unknown as { id: string }[]))[0]!.id];
    const preview = await app.request(`/api/v1/portfolios/${DEMO.individual.portfolioId}/imports`, { method: 'POST', headers: { authorization: `Bearer ${userToken}`, 'content-type': 'text/csv' }, body: 'symbol,quantity,entry_price,entry_date\nAAPL,1,190,2026-07-01\n' });
    OWN_RECORD_IDS['import_id'] = [((await preview.json()) as { import_id: string }).import_id];
  });
  afterAll(() => db.destroy());

  it('NUL, control characters and lone surrogates in any text input answer 422 problem+json and write nothing (REST)', async () => {
    const before = await rowCounts();
    let probes = 0;
    for (const op of ops) {
      if (op.path.endsWith('/logout') || op.path.endsWith('/refresh')) continue; // they read no text input
      const token = op.path.includes('/admin/users') ? adminToken : userToken;
      const { values, body } = validInputs(op, api, ids, 7);
      const targets: { where: 'param' | 'body'; name: string }[] = [
        ...op.params.filter((p) => isStringSchema(p.schema, api)).map((p) => ({ where: 'param' as const, name: p.name })),
        ...Object.entries(op.body?.properties ?? {}).filter(([, s]) => isStringSchema(s, api)).map(([name]) => ({ where: 'body' as const, name })),
      ];
      for (const t of targets) {
        for (const bad of ['AAPL\u0000', '\u0000', 'x\u0007y', 'ok\uD800']) {
          const v = t.where === 'param' ? { ...values, [t.name]: bad } : values;
          const b = t.where === 'body' ? { ...(body as object), [t.name]: bad } : body;
          const r = request(op, v, b, token);
          const label = `${op.method} ${op.path} ${t.where} ${t.name}=${JSON.stringify(bad)}`;
          const problem = await expectProblem(await send(app, r), label, 422);
          expect(problem.code, label).toBe('VALIDATION');
          probes++;
        }
      }
    }
    expect(probes).toBeGreaterThanOrEqual(100);
    expect(await rowCounts()).toBe(before);
  });

  it('the login email and the chat stream query refuse NUL with the contract message', async () => {
    const res = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo_individual@sigmasight.com\u0000', password: 'demo12345' }) });
    await expectProblem(res, 'login email with NUL', 422);
    const qs = new URLSearchParams({ message: 'what is my beta\u0000', portfolio_id: DEMO.individual.portfolioId });
    const stream = await app.request(`/api/v1/agent/chat/stream?${qs}`, { headers: { authorization: `Bearer ${userToken}` } });
    const problem = await expectProblem(stream, 'stream with NUL', 422);
    expect(JSON.stringify(problem.errors)).toMatch(/control characters/);
  });

  it('every MCP tool answers a tool error with a hint for NUL, control characters or lone surrogates in a text argument', async () => {
    const { client, close } = await mcpFor(db, DEMO.individual.email);
    try {
      const { tools } = await client.listTools();
      const none: OpenApi = { operations: [], resolve: (s) => s };
      let probes = 0;
      for (const tool of tools) {
        const schema = tool.inputSchema as JsonSchema;
        const base = fc.sample(validArb({ ...schema, required: schema.required ?? [] }, none, ids), { seed: 3, numRuns: 1 })[0] as Record<string, unknown>;
        for (const [name, prop] of Object.entries(schema.properties ?? {})) {
          if (!isStringSchema(prop, none)) continue;
          for (const bad of ['AAPL\u0000', 'x\u001fy', '\uDC00']) {
            const result = await callTool(client, tool.name, { ...base, [name]: bad });
            const text = toolText(result);
            expect(result.isError, `${tool.name}.${name}=${JSON.stringify(bad)} → ${text.slice(0, 200)}`).toBe(true);
            expect(text, `${tool.name}.${name}`).toMatch(/control characters|must be|invalid|expected/i);
            probes++;
          }
        }
      }
      expect(probes).toBeGreaterThanOrEqual(20);
    } finally {
      await close();
    }
  });

  it('every documented route survives generated hostile input: no 500, every error problem+json', async () => {
    type Mutation =
      | { kind: 'param'; index: number; value: unknown }
      | { kind: 'body-field'; index: number; value: unknown }
      | { kind: 'unknown-field'; value: unknown }
      | { kind: 'bad-json'; text: string }
      | { kind: 'content-type'; type: string }
      | { kind: 'whole-body'; value: unknown }
      | { kind: 'auth'; header: Record<string, string> };
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('param' as const), index: fc.nat(), value: hostileValue }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('body-field' as const), index: fc.nat(), value: hostileValue }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown-field' as const), value: hostileValue }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('bad-json' as const), text: fc.constantFrom('{"message": ', '{', 'nul\u0000l', '[1,2', '{"a":1}{"b":2}', '\uFEFF{}', 'x'.repeat(70_000)) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('content-type' as const), type: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16') }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole-body' as const), value: fc.oneof(hostileValue, fc.jsonValue({ maxDepth: 3 })) }) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('auth' as const),
          header: fc.oneof(
            fc.string({ maxLength: 80 }).map((t) => ({ authorization: `Bearer ${t}`.replace(/[^\x20-\x7e]/g, '') })),
            fc.string({ maxLength: 80 }).map((t) => ({ cookie: `auth_token=${encodeURIComponent(t)}` })),
            fc.constantFrom<Record<string, string>>({ authorization: 'Basic Zm9vOmJhcg==' }, { authorization: 'Bearer' }, { authorization: '' }, {}),
          ),
        }),
      },
    );
    const statuses = new Map<number, number>();
    // every operation gets its own runs, so a rarely drawn route is fuzzed as hard as the rest
    for (const [opIndex, op] of ops.entries()) {
      if (op.path.endsWith('/logout') || op.path.endsWith('/refresh')) continue; // would end the shared session
      await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), mutation, async (seed, m) => {
        const token = op.path.includes('/admin/') ? adminToken : userToken;
        const { values, body } = validInputs(op, api, ids, seed);
        let r: Req;
        if (m.kind === 'param' && op.params.length) {
          const p = op.params[m.index % op.params.length]!;
          r = request(op, { ...values, [p.name]: m.value }, body, token);
        } else if (m.kind === 'body-field' && op.body?.properties) {
          const keys = Object.keys(op.body.properties);
          r = request(op, values, { ...(body as object), [keys[m.index % keys.length]!]: m.value }, token);
        } else if (m.kind === 'unknown-field' && op.body) {
          r = request(op, values, { ...(body as object), __proto__x: m.value, constructor: m.value }, token);
        } else if (m.kind === 'bad-json' && op.body) {
          r = { ...request(op, values, body, token), body: m.text };
        } else if (m.kind === 'content-type' && op.body) {
          r = request(op, values, body, token);
          r.headers['content-type'] = m.type;
        } else if (m.kind === 'whole-body' && op.body) {
          r = { ...request(op, values, body, token), body: JSON.stringify(m.value) ?? 'null' };
        } else if (m.kind === 'auth') {
          r = request(op, values, body, token);
          delete r.headers['authorization'];
          Object.assign(r.headers, m.header);
        } else {
          r = request(op, values, body, token);
        }
        const res = await send(app, r);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const label = `${r.method} ${r.url.slice(0, 200)} [${m.kind}] body=${(r.body ?? '').slice(0, 120)}`;
        if (res.status >= 400) await expectProblem(res, label);
        else {
          expect(res.headers.get('content-type') ?? '', label).toMatch(/^(application\/json|text\/event-stream)/);
          await res.arrayBuffer();
        }
      }),
      { numRuns: 20, seed: 20261207 + opIndex },
    );
    }
    // the generator reaches both the handlers (2xx) and the validators (422)
    expect(statuses.get(422) ?? 0).toBeGreaterThan(50);
    expect([...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(30);
  });
});

describe('hostile input on the command line', () => {
  it('create-user refuses control characters in the name with a message and exit 1, before touching a database', () => {
    const name = runTs('scripts/create-user.ts', ['--email', 'x@sigmasight.test', '--name', 'Eve\u0007'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(name.status).toBe(1);
    expect(name.stderr).toMatch(/--name: must not contain NUL, control characters/);
  });

  it('chat and market-data refuse control characters in their text arguments with a message and a non-zero exit', () => {
    const chat = runTs('scripts/chat.ts', ['what is my beta\u001b[2J'], { SIGMASIGHT_URL: 'http://127.0.0.1:1' });
    expect(chat.status).toBe(2);
    expect(chat.stderr).toMatch(/error: the message must not contain NUL, control characters/);
    const md = runTs('scripts/market-data.ts', ['sync', '--symbols', 'AAPL,MS\u0007FT'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(md.status).toBe(1);
    expect(md.stderr).toMatch(/--symbols: "MS\\u0007FT" is not a ticker/);
  });
});
