/**
 * What test/book/imports-*.test.ts share: the fixture files of test/fixtures/imports/, the stored
 * fields an import decides written by hand (equity, option), and one app per file over a seeded
 * database with a user of its own (and the demo individual as another user), with the requests
 * the tests make: preview, commit, the book and its audit trail read back.
 */
import { testReportsDir } from '../helpers/batch.ts';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { createRecompute } from '../../core/batch/recompute.ts';
import { batchDepsFromEnv } from '../../core/batch/runtime.ts';
import type { BatchServiceDeps } from '../../core/batch/service.ts';
import { parseEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import type { Principal } from '../../core/services/context.ts';
import { createUser } from '../../core/services/users.ts';
import { queryRows } from '../../db/exec.ts';
import { buildApp, DEMO, DEMO_AS_OF, login, type TestApp } from '../api/helpers.ts';
import { createTestDb, type DbKind, type TestDb } from '../helpers/db.ts';
import { ROOT } from '../helpers/run.ts';

export const fixture = (name: string): string => readFileSync(`${ROOT}test/fixtures/imports/${name}`, 'utf8');
/** Positions without a date in the file are dated on the app clock's day. */
export const TODAY = DEMO_AS_OF;
export const CLOCK = () => new Date(`${DEMO_AS_OF}T21:00:00Z`);
export const PASSWORD = 'importer-pass-1';

/** The stored fields an import decides, in the shape GET /positions answers them. */
export interface Expected {
  symbol: string;
  side: 'long' | 'short';
  quantity: number;
  entry_price: number;
  entry_date: string;
  multiplier: number;
  underlying: string | null;
  strike: number | null;
  expiry: string | null;
  right: 'call' | 'put' | null;
  tags: string[];
  notes: string | null;
}
export const equity = (symbol: string, quantity: number, entry_price: number, entry_date: string, more: Partial<Expected> = {}): Expected => ({
  symbol, side: quantity < 0 ? 'short' : 'long', quantity, entry_price, entry_date, multiplier: 1,
  underlying: null, strike: null, expiry: null, right: null, tags: [], notes: null, ...more,
});
export const option = (symbol: string, quantity: number, entry_price: number, entry_date: string, o: { underlying: string; strike: number; expiry: string; right: 'call' | 'put' }, more: Partial<Expected> = {}): Expected =>
  equity(symbol, quantity, entry_price, entry_date, { multiplier: 100, ...o, ...more });

export const pick = (p: Record<string, any>): Expected => ({
  symbol: p.symbol, side: p.side, quantity: p.quantity, entry_price: p.entry_price, entry_date: p.entry_date, multiplier: p.multiplier,
  underlying: p.underlying, strike: p.strike, expiry: p.expiry, right: p.right, tags: [...p.tags].sort(), notes: p.notes,
});
export const bySymbol = <T extends { symbol: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));

export interface Res {
  status: number;
  type: string;
  body: any;
}

/** The app of one test file, its user and the requests its tests make. */
export interface ImportApp {
  db: TestDb;
  app: TestApp;
  batch: BatchServiceDeps;
  token: string;
  otherToken: string;
  me: Principal;
  call(method: string, path: string, tok: string, body?: string | FormData, contentType?: string): Promise<Res>;
  preview(pid: string, text: string, tok?: string, type?: string): Promise<Res>;
  commit(pid: string, importId: string, mode?: 'merge' | 'replace', tok?: string): Promise<Res>;
  newPortfolio(name: string, tok?: string): Promise<string>;
  positions(pid: string, includeClosed?: boolean): Promise<any[]>;
  audit(pid: string): Promise<any[]>;
  importCount(): Promise<number>;
  /** Previews and commits a file; both must succeed. */
  importOk(pid: string, text: string, mode?: 'merge' | 'replace'): Promise<{ preview: any; result: any }>;
  /** The same file a second time: every row unchanged, nothing written, the book and its audit trail as they were. */
  reimportChangesNothing(pid: string, text: string): Promise<void>;
}

/** One seeded database and app for the describe block it is called in (made in beforeAll, dropped in afterAll). */
export function useImportApp(kind: DbKind): ImportApp {
  const t = {} as ImportApp;
  async function call(method: string, path: string, tok: string, body?: string | FormData, contentType?: string): Promise<Res> {
    const headers: Record<string, string> = { authorization: `Bearer ${tok}` };
    if (contentType) headers['content-type'] = contentType;
    const res = await t.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
  }
  const preview = (pid: string, text: string, tok = t.token, type = 'text/csv') => call('POST', `/api/v1/portfolios/${pid}/imports`, tok, text, type);
  const commit = (pid: string, importId: string, mode?: 'merge' | 'replace', tok = t.token) =>
    call('POST', `/api/v1/portfolios/${pid}/imports/${importId}/commit`, tok, JSON.stringify(mode ? { mode } : {}), 'application/json');
  async function newPortfolio(name: string, tok = t.token): Promise<string> {
    const r = await call('POST', '/api/v1/portfolios', tok, JSON.stringify({ name, opening_equity: 1_000_000 }), 'application/json');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  }
  async function positions(pid: string, includeClosed = false): Promise<any[]> {
    const r = await call('GET', `/api/v1/portfolios/${pid}/positions${includeClosed ? '?include_closed=true' : ''}`, t.token);
    expect(r.status).toBe(200);
    return r.body.positions;
  }
  async function audit(pid: string): Promise<any[]> {
    const r = await call('GET', `/api/v1/portfolios/${pid}/audit?limit=500`, t.token);
    expect(r.status).toBe(200);
    return r.body.entries;
  }
  const importCount = async (): Promise<number> => Number((await queryRows<{ n: number }>(t.db.db, sql`select count(*)::int as n from holdings_imports`))[0]!.n);
  async function importOk(pid: string, text: string, mode?: 'merge' | 'replace'): Promise<{ preview: any; result: any }> {
    const p = await preview(pid, text);
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    expect(p.body.problems).toEqual([]);
    expect(p.body.committable).toBe(true);
    const c = await commit(pid, p.body.import_id, mode);
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    return { preview: p.body, result: c.body };
  }
  async function reimportChangesNothing(pid: string, text: string): Promise<void> {
    const before = { positions: await positions(pid, true), audit: await audit(pid) };
    const { preview: p, result } = await importOk(pid, text);
    expect(p.summary).toMatchObject({ create: 0, update: 0, unchanged: p.rows.length });
    expect(p.rows.every((r: any) => r.action === 'unchanged')).toBe(true);
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: p.rows.length, closed: 0, recompute: 'not_needed' });
    expect(await positions(pid, true)).toEqual(before.positions);
    expect(await audit(pid)).toEqual(before.audit);
  }
  Object.assign(t, { call, preview, commit, newPortfolio, positions, audit, importCount, importOk, reimportChangesNothing });

  beforeAll(async () => {
    const db = await createTestDb(kind, { seeded: true });
    t.db = db;
    const env = parseEnv({ NODE_ENV: 'test', REPORTS_DIR: testReportsDir(), RECOMPUTE_DEBOUNCE_MS: '50' });
    const log = createLogger({ level: 'silent' });
    const b = batchDepsFromEnv({ env, dbh: db, log, clock: CLOCK });
    const batch: BatchServiceDeps = { ...b, runner: createInlineRunner(b) };
    batch.recompute = createRecompute(batch, { debounceMs: 50 });
    t.batch = batch;
    t.app = buildApp(db, { RECOMPUTE_DEBOUNCE_MS: '50' }, { batch });
    const user = await createUser({ db: db.db, log, clock: CLOCK }, { email: `importer-${kind}@example.com`, password: PASSWORD, full_name: 'Imp Orter', role: 'user', create_portfolio: false });
    t.me = { userId: user.id, email: user.email, role: 'user' };
    t.token = await login(t.app, `importer-${kind}@example.com`, PASSWORD);
    t.otherToken = await login(t.app, DEMO.individual.email);
  });
  afterAll(async () => {
    await t.batch?.recompute?.idle();
    await t.db?.destroy();
  });
  return t;
}
