/**
 * Acceptance: holdings import over REST. Every supported format's fixture is previewed,
 * committed and read back from GET /positions field by field (expected values written by hand
 * from the files in test/fixtures/imports/); re-importing writes nothing; bad rows are listed by
 * line and column and block the commit; replace closes what the file no longer lists; BOM, `;`
 * with decimal commas and quoted thousands give the same book; 10,001 rows answer 413; multipart
 * works; a non-CSV body is refused; another user's portfolio and import ids answer 404.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { createRecompute } from '../../core/batch/recompute.ts';
import { batchDepsFromEnv } from '../../core/batch/runtime.ts';
import type { BatchServiceDeps } from '../../core/batch/service.ts';
import { parseEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import { commitImport, previewImport } from '../../core/services/book-imports.ts';
import type { Principal } from '../../core/services/context.ts';
import { createUser } from '../../core/services/users.ts';
import { queryRows } from '../../db/exec.ts';
import { buildApp, DEMO, DEMO_AS_OF, login, type TestApp } from '../api/helpers.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';
import { ROOT } from '../helpers/run.ts';

const fixture = (name: string): string => readFileSync(`${ROOT}test/fixtures/imports/${name}`, 'utf8');
/** Positions without a date in the file are dated on the app clock's day. */
const TODAY = DEMO_AS_OF;
const CLOCK = () => new Date(`${DEMO_AS_OF}T21:00:00Z`);
const PASSWORD = 'importer-pass-1';

/** The stored fields an import decides, in the shape GET /positions answers them. */
interface Expected {
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
const equity = (symbol: string, quantity: number, entry_price: number, entry_date: string, more: Partial<Expected> = {}): Expected => ({
  symbol, side: quantity < 0 ? 'short' : 'long', quantity, entry_price, entry_date, multiplier: 1,
  underlying: null, strike: null, expiry: null, right: null, tags: [], notes: null, ...more,
});
const option = (symbol: string, quantity: number, entry_price: number, entry_date: string, o: { underlying: string; strike: number; expiry: string; right: 'call' | 'put' }, more: Partial<Expected> = {}): Expected =>
  equity(symbol, quantity, entry_price, entry_date, { multiplier: 100, ...o, ...more });

const pick = (p: Record<string, any>): Expected => ({
  symbol: p.symbol, side: p.side, quantity: p.quantity, entry_price: p.entry_price, entry_date: p.entry_date, multiplier: p.multiplier,
  underlying: p.underlying, strike: p.strike, expiry: p.expiry, right: p.right, tags: [...p.tags].sort(), notes: p.notes,
});
const bySymbol = <T extends { symbol: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));

interface Res {
  status: number;
  type: string;
  body: any;
}

describeEachDb('holdings import over REST', (kind) => {
  let db: TestDb;
  let app: TestApp;
  let batch: BatchServiceDeps;
  let token: string;
  let otherToken: string;
  let me: Principal;

  async function call(method: string, path: string, tok: string, body?: string | FormData, contentType?: string): Promise<Res> {
    const headers: Record<string, string> = { authorization: `Bearer ${tok}` };
    if (contentType) headers['content-type'] = contentType;
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
  }
  const preview = (pid: string, text: string, tok = token, type = 'text/csv') => call('POST', `/api/v1/portfolios/${pid}/imports`, tok, text, type);
  const commit = (pid: string, importId: string, mode?: 'merge' | 'replace', tok = token) =>
    call('POST', `/api/v1/portfolios/${pid}/imports/${importId}/commit`, tok, JSON.stringify(mode ? { mode } : {}), 'application/json');
  async function newPortfolio(name: string, tok = token): Promise<string> {
    const r = await call('POST', '/api/v1/portfolios', tok, JSON.stringify({ name, opening_equity: 1_000_000 }), 'application/json');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  }
  async function positions(pid: string, includeClosed = false): Promise<any[]> {
    const r = await call('GET', `/api/v1/portfolios/${pid}/positions${includeClosed ? '?include_closed=true' : ''}`, token);
    expect(r.status).toBe(200);
    return r.body.positions;
  }
  async function audit(pid: string): Promise<any[]> {
    const r = await call('GET', `/api/v1/portfolios/${pid}/audit?limit=500`, token);
    expect(r.status).toBe(200);
    return r.body.entries;
  }
  const importCount = async (): Promise<number> => Number((await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from holdings_imports`))[0]!.n);
  /** Previews and commits a file; both must succeed. */
  async function importOk(pid: string, text: string, mode?: 'merge' | 'replace'): Promise<{ preview: any; result: any }> {
    const p = await preview(pid, text);
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    expect(p.body.problems).toEqual([]);
    expect(p.body.committable).toBe(true);
    const c = await commit(pid, p.body.import_id, mode);
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    return { preview: p.body, result: c.body };
  }
  /** The same file a second time: every row unchanged, nothing written, the book and its audit trail as they were. */
  async function reimportChangesNothing(pid: string, text: string): Promise<void> {
    const before = { positions: await positions(pid, true), audit: await audit(pid) };
    const { preview: p, result } = await importOk(pid, text);
    expect(p.summary).toMatchObject({ create: 0, update: 0, unchanged: p.rows.length });
    expect(p.rows.every((r: any) => r.action === 'unchanged')).toBe(true);
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: p.rows.length, closed: 0, recompute: 'not_needed' });
    expect(await positions(pid, true)).toEqual(before.positions);
    expect(await audit(pid)).toEqual(before.audit);
  }

  beforeAll(async () => {
    db = await createTestDb(kind, { seeded: true });
    const env = parseEnv({ NODE_ENV: 'test', RECOMPUTE_DEBOUNCE_MS: '50' });
    const log = createLogger({ level: 'silent' });
    const b = batchDepsFromEnv({ env, dbh: db, log, clock: CLOCK });
    batch = { ...b, runner: createInlineRunner(b) };
    batch.recompute = createRecompute(batch, { debounceMs: 50 });
    app = buildApp(db, { RECOMPUTE_DEBOUNCE_MS: '50' }, { batch });
    const user = await createUser({ db: db.db, log, clock: CLOCK }, { email: `importer-${kind}@example.com`, password: PASSWORD, full_name: 'Imp Orter', role: 'user', create_portfolio: false });
    me = { userId: user.id, email: user.email, role: 'user' };
    token = await login(app, `importer-${kind}@example.com`, PASSWORD);
    otherToken = await login(app, DEMO.individual.email);
  });
  afterAll(async () => {
    await batch?.recompute?.idle();
    await db?.destroy();
  });

  it('SigmaSight CSV (BOM, `;`, decimal commas, quoted notes, options by OCC symbol and by parts): every field stored as the file says', async () => {
    const pid = await newPortfolio('sigmasight');
    const text = fixture('sigmasight-portfolio.csv');
    const { preview: p, result } = await importOk(pid, text);
    expect(p.format).toBe('sigmasight');
    expect(p.delimiter).toBe(';');
    expect(p.rows.map((r: any) => r.line)).toEqual([2, 3, 4, 6, 8, 9]);
    expect(p.summary).toMatchObject({ rows: 6, problems: 0, create: 6, update: 0, unchanged: 0, close_on_replace: 0 });
    expect(Object.fromEntries(p.rows.map((r: any) => [r.position.symbol, r.position.asset_type]))).toEqual({
      AAPL: 'stock', TSLA: 'stock', 'BRK-B': 'stock', FXAIX: 'mutual_fund', AAPL250117C00150000: 'option', SPY251219P00480000: 'option',
    });
    expect(result).toMatchObject({ mode: 'merge', created: 6, updated: 0, unchanged: 0, closed: 0, already_committed: false, recompute: 'queued' });
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('AAPL', 1200, 189.5, '2025-03-14', { tags: ['core', 'tech'], notes: 'Core holding; added on the dip' }),
      equity('TSLA', -30, 1245.1, '2025-06-02', { tags: ['hedge', 'momentum'], notes: 'Short, sized at "1%" of equity' }),
      equity('BRK-B', 12, 410, '2024-11-20', { tags: ['value'] }),
      equity('FXAIX', 40.5, 180.25, '2025-02-03', { tags: ['retirement'], notes: 'Two-line note:\nrebalance yearly' }),
      option('AAPL250117C00150000', 2, 12.4, '2024-10-01', { underlying: 'AAPL', strike: 150, expiry: '2025-01-17', right: 'call' }),
      option('SPY251219P00480000', -1, 4.1, '2025-04-15', { underlying: 'SPY', strike: 480, expiry: '2025-12-19', right: 'put' }, { tags: ['hedge'], notes: 'protective put' }),
    ]));
    const entries = await audit(pid);
    expect(entries.filter((e) => e.action === 'position.add')).toHaveLength(6);
    expect(entries.filter((e) => e.action === 'import.commit')).toHaveLength(1);
    expect(entries.filter((e) => e.import_id === p.import_id).every((e) => e.door === 'rest')).toBe(true);
    const stored = await call('GET', `/api/v1/portfolios/${pid}/imports/${p.import_id}`, token);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ import_id: p.import_id, status: 'committed', content_hash: p.content_hash });
    await reimportChangesNothing(pid, text);
  });

  it('the example file data/examples/portfolio-import.csv imports as documented', async () => {
    const pid = await newPortfolio('example');
    const text = readFileSync(`${ROOT}data/examples/portfolio-import.csv`, 'utf8');
    await importOk(pid, text);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('AAPL', 100, 189.5, '2025-03-14', { tags: ['core', 'tech'], notes: 'Long-term core holding' }),
      equity('SPY', 25, 512.3, '2025-01-02', { tags: ['index'] }),
      equity('TSLA', -30, 245.1, '2025-06-02', { tags: ['hedge', 'momentum'], notes: 'Short, sized at 1% of equity' }),
      equity('BRK-B', 12, 410, '2024-11-20', { tags: ['value'] }),
      equity('FXAIX', 40, 180.25, '2025-02-03', { tags: ['retirement'] }),
      equity('NVDA', -15, 118.4, '2025-04-07', { tags: ['momentum'], notes: 'Negative quantity means short when side is empty' }),
      option('AAPL270115C00250000', 2, 12.4, '2025-10-01', { underlying: 'AAPL', strike: 250, expiry: '2027-01-15', right: 'call' }, { notes: 'Option by OCC symbol' }),
      option('SPY270115P00480000', -1, 4.1, '2025-04-15', { underlying: 'SPY', strike: 480, expiry: '2027-01-15', right: 'put' }, { tags: ['hedge'], notes: 'Option by parts: underlying, strike, expiry, right' }),
    ]));
    await reimportChangesNothing(pid, text);
  });

  it('IBKR Flex open positions (no dates in the file): dated today, then matched to the open lot on re-import', async () => {
    const pid = await newPortfolio('ibkr');
    const text = fixture('ibkr-flex-open-positions.csv');
    const { preview: p } = await importOk(pid, text);
    expect(p.format).toBe('ibkr_flex');
    expect(p.rows.map((r: any) => r.line)).toEqual([2, 3, 4, 5]);
    expect(p.rows.every((r: any) => r.warnings.some((w: string) => w.includes(`dated today (${TODAY})`)))).toBe(true);
    expect(p.rows[0].warnings.some((w: string) => w.includes('EUR'))).toBe(true);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('KESKOB', 100, 18.26459, TODAY),
      equity('EPR', 200, 51.355, TODAY),
      equity('ORC', 500, 8.004776, TODAY),
      equity('TCPC', 500, 5.25455, TODAY),
    ]));
    await reimportChangesNothing(pid, text);
  });

  it('IBKR Flex summary and lot rows of two accounts: one position per summary, dated by its earliest lot; cash and the repeated header skipped', async () => {
    const pid = await newPortfolio('ibkr lots');
    const text = fixture('ibkr-flex-options-lots.csv');
    const { preview: p } = await importOk(pid, text);
    expect(p.format).toBe('ibkr_flex');
    expect(p.rows.map((r: any) => r.line)).toEqual([2, 5, 7, 11]);
    expect(p.skipped.map((s: any) => s.line)).toEqual([3, 4, 6, 8, 9, 10, 12]);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('SPY', 50, 520.1, '2024-03-15'),
      option('AAPL270115C00250000', -2, 14.2, '2025-06-10', { underlying: 'AAPL', strike: 250, expiry: '2027-01-15', right: 'call' }),
      equity('BRK-B', 10, 410.55, '2023-01-05'),
      equity('MSFT', 15, 401.13, '2022-03-01'),
    ]));
    await reimportChangesNothing(pid, text);
  });

  it('Schwab positions (title lines, quoted thousands, total cost, BRK/B, short, option, fund): per-share cost, dated today', async () => {
    const pid = await newPortfolio('schwab');
    const text = fixture('schwab-positions.csv');
    const { preview: p } = await importOk(pid, text);
    expect(p.format).toBe('schwab');
    expect(p.rows.map((r: any) => r.line)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(p.skipped.map((s: any) => s.line)).toEqual([10, 11]);
    expect(Object.fromEntries(p.rows.map((r: any) => [r.position.symbol, r.position.asset_type]))).toMatchObject({ SCHB: 'etf', SWPPX: 'mutual_fund', AAPL250620C00200000: 'option' });
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('SCHB', 1250.5, 20, TODAY), // $25,010.00 / 1,250.5
      equity('MSFT', 40, 310, TODAY), // $12,400.00 / 40
      equity('BRK-B', 12, 400, TODAY), // $4,800.00 / 12
      equity('TSLA', -10, 250, TODAY), // -$2,500.00 / -10
      option('AAPL250620C00200000', 2, 6.2, TODAY, { underlying: 'AAPL', strike: 200, expiry: '2025-06-20', right: 'call' }), // $1,240.00 / (2 × 100)
      equity('SWPPX', 100, 70, TODAY), // $7,000.00 / 100
    ]));
    await reimportChangesNothing(pid, text);
  });

  it('Fidelity positions (CRLF, trailing commas, money market, option, pending activity, footer): dated today', async () => {
    const pid = await newPortfolio('fidelity');
    const text = fixture('fidelity-positions.csv');
    const { preview: p } = await importOk(pid, text);
    expect(p.format).toBe('fidelity');
    expect(p.rows.map((r: any) => r.line)).toEqual([3, 4, 5]);
    expect(p.skipped.map((s: any) => s.line)).toEqual([2, 6, 8, 10]);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('VWO', 900, 28.96, TODAY),
      option('AAPL250620C00200000', 1, 6.2, TODAY, { underlying: 'AAPL', strike: 200, expiry: '2025-06-20', right: 'call' }),
      equity('FXAIX', 35.123, 156.59, TODAY),
    ]));
    await reimportChangesNothing(pid, text);
  });

  it('a cost that does not divide evenly (Schwab $1,000.00 for 7 shares, $2.00 for 3) is stored to the micro-dollar and re-imports unchanged', async () => {
    const pid = await newPortfolio('uneven cost');
    const text = '"Symbol","Description","Quantity","Price","Cost Basis","Security Type"\n"XOM","EXXON MOBIL CORP","7","$110.00","$1,000.00","Equity"\n"F","FORD MOTOR CO","3","$1.00","$2.00","Equity"\n';
    await importOk(pid, text);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual([
      equity('F', 3, 0.666667, TODAY), // $2.00 / 3 to six decimals
      equity('XOM', 7, 142.857143, TODAY), // $1,000.00 / 7 to six decimals
    ]);
    await reimportChangesNothing(pid, text);
  });

  it('a file with three bad rows: the preview lists exactly those lines with column and message; the commit answers 422 and writes nothing', async () => {
    const pid = await newPortfolio('bad rows');
    await importOk(pid, 'symbol,quantity,entry_price,entry_date\nXOM,10,100,2025-01-02\n');
    const before = { positions: await positions(pid, true), audit: await audit(pid) };
    const p = await preview(pid, fixture('sigmasight-bad-rows.csv'));
    expect(p.status).toBe(201);
    expect(p.body.committable).toBe(false);
    expect(p.body.problems.map((x: any) => [x.line, x.column, x.code])).toEqual([
      [3, 'quantity', 'bad_number'],
      [4, 'entry_date', 'bad_date'],
      [6, 'symbol', 'ambiguous_option'],
    ]);
    const [q, d, o] = p.body.problems;
    expect(q.message).toContain('"1O0" is not a number');
    expect(d.message).toContain('"2025-02-30" is not a real calendar date');
    expect(o.message).toContain('"AAPL270115C250"');
    expect(p.body.rows.map((r: any) => [r.line, r.position.symbol])).toEqual([[2, 'AAPL'], [5, 'SPY']]);
    const c = await commit(pid, p.body.import_id);
    expect(c.status).toBe(422);
    expect(c.type).toContain('application/problem+json');
    expect(c.body.detail).toContain('3 problem(s)');
    expect(c.body.detail).toContain('line 3');
    for (const mode of ['merge', 'replace'] as const) expect((await commit(pid, p.body.import_id, mode)).status).toBe(422);
    expect(await positions(pid, true)).toEqual(before.positions);
    expect(await audit(pid)).toEqual(before.audit);
    expect((await call('GET', `/api/v1/portfolios/${pid}/imports/${p.body.import_id}`, token)).body.status).toBe('previewed');
  });

  it('long and short of one symbol on one entry date, two undated rows of one symbol, or an undated row beside one dated today are refused at preview: the book keeps one position per symbol and date', async () => {
    const pid = await newPortfolio('same key');
    const before = { positions: await positions(pid, true), audit: await audit(pid) };
    const dated = await preview(pid, 'symbol,quantity,side,entry_price,entry_date\nAAPL,10,long,100,2025-01-02\nMSFT,3,long,300,2025-01-02\nAAPL,5,short,120,2025-01-02\n');
    const undated = await preview(pid, 'symbol,quantity,side,entry_price\nMSFT,10,long,300\nMSFT,5,short,310\n');
    // an undated row is dated today, so it lands on a row the file dates today
    const today = await preview(pid, `symbol,quantity,entry_price,entry_date\nXOM,10,100,\nXOM,5,100,${TODAY}\n`);
    for (const [p, line, symbol] of [[dated, 4, 'AAPL'], [undated, 3, 'MSFT'], [today, 3, 'XOM']] as const) {
      expect(p.status).toBe(201);
      expect(p.body.committable).toBe(false);
      expect(p.body.problems).toHaveLength(1);
      expect(p.body.problems[0]).toMatchObject({ line, code: 'duplicate' });
      expect(p.body.problems[0].message).toContain(symbol);
      expect(p.body.problems[0].message).toContain('line 2');
      const c = await commit(pid, p.body.import_id);
      expect(c.status).toBe(422);
    }
    expect(await positions(pid, true)).toEqual(before.positions);
    expect(await audit(pid)).toEqual(before.audit);
  });

  it('an entry date after today is a problem on its line; text/plain is accepted like text/csv', async () => {
    const pid = await newPortfolio('future');
    const p = await preview(pid, 'symbol,quantity,entry_price,entry_date\nAAPL,1,190,2026-07-13\nMSFT,2,400,2026-08-01\n', token, 'text/plain');
    expect(p.status).toBe(201);
    expect(p.body.problems.map((x: { line: number; code: string; message: string }) => [x.line, x.code, x.message])).toEqual([[3, 'bad_date', 'entry date 2026-08-01 of MSFT is in the future; give a date on or before 2026-07-13']]);
    expect(p.body.committable).toBe(false);
  });

  it('two commits of one preview at once write it once; the other answers already_committed', async () => {
    const pid = await newPortfolio('twice at once');
    const p = await preview(pid, 'symbol,quantity,entry_price,entry_date\nAAPL,10,150,2025-01-02\nMSFT,5,400,2025-01-02\n');
    const [a, b] = await Promise.all([commit(pid, p.body.import_id), commit(pid, p.body.import_id)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.already_committed, b.body.already_committed].sort()).toEqual([false, true]);
    expect([a.body.created, b.body.created]).toEqual([2, 2]);
    expect((await positions(pid)).map((x) => x.symbol)).toEqual(['AAPL', 'MSFT']);
    expect((await audit(pid)).filter((e) => e.action === 'position.add')).toHaveLength(2);
  });

  it('replace closes the open position the file no longer lists at its latest close, updates the changed one and adds the new one', async () => {
    const pid = await newPortfolio('replace');
    await importOk(pid, 'symbol,quantity,entry_price,entry_date\nAAPL,10,150,2025-01-02\nMSFT,5,400,2025-01-02\nNVDA,20,100,2025-01-02\n');
    const file = 'symbol,quantity,entry_price,entry_date,tags\nAAPL,10,150,2025-01-02,\nMSFT,8,400,2025-01-02,grown\nXOM,4,110,2025-02-03,\n';
    const p = await preview(pid, file);
    expect(p.body.summary).toMatchObject({ create: 1, update: 1, unchanged: 1, close_on_replace: 1 });
    expect(Object.fromEntries(p.body.rows.map((r: any) => [r.position.symbol, r.action]))).toEqual({ AAPL: 'unchanged', MSFT: 'update', XOM: 'create' });
    const c = await commit(pid, p.body.import_id, 'replace');
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(c.body).toMatchObject({ mode: 'replace', created: 1, updated: 1, unchanged: 1, closed: 1, already_committed: false });
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('AAPL', 10, 150, '2025-01-02'),
      equity('MSFT', 8, 400, '2025-01-02', { tags: ['grown'] }),
      equity('XOM', 4, 110, '2025-02-03'),
    ]));
    const nvda = (await positions(pid, true)).find((x) => x.symbol === 'NVDA');
    const [close] = await queryRows<{ close: string }>(db.db, sql`select close::text as close from market_prices where symbol = 'NVDA' and date = ${TODAY}`);
    expect(nvda).toMatchObject({ exit_date: TODAY, exit_price: Number(close!.close), quantity: 20 });
    const entries = await audit(pid);
    expect(entries.filter((e) => e.import_id === p.body.import_id).map((e) => e.action).sort()).toEqual(['import.commit', 'position.add', 'position.close', 'position.update']);
    // committing the same preview again answers the first result and writes nothing
    const again = await commit(pid, p.body.import_id, 'replace');
    expect(again.body).toMatchObject({ created: 1, updated: 1, unchanged: 1, closed: 1, already_committed: true, recompute: 'not_needed' });
    expect(await audit(pid)).toEqual(entries);
    // a file that lists the closed position again (same symbol and entry date) reopens it, and the preview says so
    const reopen = await preview(pid, 'symbol,quantity,entry_price,entry_date\nNVDA,20,100,2025-01-02\n');
    expect(reopen.body.rows[0]).toMatchObject({ action: 'update', position_id: nvda.id });
    expect(reopen.body.rows[0].warnings).toContain(`reopens the NVDA position entered on 2025-01-02 and closed on ${TODAY}`);
  });

  it('replace on a day months after the last stored close closes at that close, dated the day of the commit', async () => {
    const pid = await newPortfolio('replace later');
    await importOk(pid, 'symbol,quantity,entry_price,entry_date\nAAPL,10,150,2025-01-02\nNVDA,20,100,2025-01-02\n');
    const later = { db: db.db, log: createLogger({ level: 'silent' }), clock: () => new Date('2026-12-07T15:00:00Z') };
    const w = { principal: me, door: 'rest' as const };
    const p = await previewImport(later, w, pid, { text: 'symbol,quantity,entry_price,entry_date\nAAPL,10,150,2025-01-02\n' });
    expect(p.summary).toMatchObject({ unchanged: 1, close_on_replace: 1 });
    expect(await commitImport(later, w, pid, p.import_id, 'replace')).toMatchObject({ unchanged: 1, closed: 1 });
    const nvda = (await positions(pid, true)).find((x) => x.symbol === 'NVDA');
    const [close] = await queryRows<{ close: string }>(db.db, sql`select close::text as close from market_prices where symbol = 'NVDA' and date = ${DEMO_AS_OF}`);
    expect(nvda).toMatchObject({ exit_date: '2026-12-07', exit_price: Number(close!.close) });
  });

  it('UTF-8 BOM, `;` with decimal commas and quoted fields with thousands separators give the same book', async () => {
    const pid = await newPortfolio('spellings');
    const plain = 'symbol,quantity,entry_price,entry_date,notes\nAAPL,1234.5,1050.25,2025-01-02,plain\nMSFT,2000,99.5,2025-01-03,"a, b"\n';
    const quoted = '"symbol","quantity","entry_price","entry_date","notes"\r\n"AAPL","1,234.5","$1,050.25","2025-01-02","plain"\r\n"MSFT","2,000","99.50","01/03/2025","a, b"\r\n';
    const semicolon = '\uFEFFsymbol;quantity;entry_price;entry_date;notes\nAAPL;"1.234,5";"1.050,25";02.01.2025;plain\nMSFT;2000;99,5;2025-01-03;a, b\n';
    const first = await importOk(pid, quoted);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual([
      equity('AAPL', 1234.5, 1050.25, '2025-01-02', { notes: 'plain' }),
      equity('MSFT', 2000, 99.5, '2025-01-03', { notes: 'a, b' }),
    ]);
    const p2 = await preview(pid, semicolon);
    expect(p2.body.delimiter).toBe(';');
    const p3 = await preview(pid, plain);
    expect([p2.body.content_hash, p3.body.content_hash]).toEqual([first.preview.content_hash, first.preview.content_hash]);
    await reimportChangesNothing(pid, semicolon);
    await reimportChangesNothing(pid, plain);
  });

  it('10,001 rows answer 413 problem+json and write nothing', async () => {
    const pid = await newPortfolio('too many');
    await importOk(pid, 'symbol,quantity,entry_price,entry_date\nXOM,10,100,2025-01-02\n');
    const before = { positions: await positions(pid, true), audit: await audit(pid), imports: await importCount() };
    const rows = Array.from({ length: 10_001 }, (_, i) => `T${i},1,10,2025-01-02`);
    const r = await preview(pid, `symbol,quantity,entry_price,entry_date\n${rows.join('\n')}\n`);
    expect(r.status).toBe(413);
    expect(r.type).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status: 413, code: 'TOO_LARGE' });
    expect(r.body.detail).toContain('10,000');
    expect(await positions(pid, true)).toEqual(before.positions);
    expect(await audit(pid)).toEqual(before.audit);
    expect(await importCount()).toBe(before.imports);
    // exactly 10,000 rows is within the limit
    const ok = await preview(pid, `symbol,quantity,entry_price,entry_date\n${rows.slice(0, 10_000).join('\n')}\n`);
    expect(ok.status).toBe(201);
    expect(ok.body.summary.rows).toBe(10_000);
  });

  it('a file over 8 MiB answers 413 and writes nothing', async () => {
    const pid = await newPortfolio('too big');
    const before = await importCount();
    const r = await preview(pid, `symbol,quantity,entry_price,notes\nXOM,1,1,${'x'.repeat(8 * 1024 * 1024)}\n`);
    expect(r.status).toBe(413);
    expect(r.type).toContain('application/problem+json');
    expect(await importCount()).toBe(before);
    expect(await positions(pid, true)).toEqual([]);
  });

  it('multipart upload (field "file") previews and commits like a text/csv body', async () => {
    const pid = await newPortfolio('multipart');
    const form = new FormData();
    form.append('file', new File([fixture('schwab-positions.csv')], 'Individual-Positions-2025-05-04.csv', { type: 'text/csv' }));
    const p = await call('POST', `/api/v1/portfolios/${pid}/imports`, token, form);
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    expect(p.body).toMatchObject({ format: 'schwab', committable: true, summary: { rows: 6, create: 6 } });
    const c = await commit(pid, p.body.import_id);
    expect(c.body).toMatchObject({ created: 6 });
    expect((await positions(pid)).map((x) => x.symbol).sort()).toEqual(['AAPL250620C00200000', 'BRK-B', 'MSFT', 'SCHB', 'SWPPX', 'TSLA']);
    const [row] = await queryRows<{ filename: string | null }>(db.db, sql`select filename from holdings_imports where id = ${p.body.import_id}`);
    expect(row!.filename).toBe('Individual-Positions-2025-05-04.csv');
    const noFile = new FormData();
    noFile.append('other', 'x');
    expect((await call('POST', `/api/v1/portfolios/${pid}/imports`, token, noFile)).status).toBe(422);
  });

  it('a body that is not CSV (JSON, a spreadsheet, bytes, a URL-encoded form) answers 422 problem+json and writes nothing', async () => {
    const pid = await newPortfolio('not csv');
    const before = await importCount();
    const csv = 'symbol,quantity,entry_price\nAAPL,1,1\n';
    for (const type of ['application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', 'application/x-www-form-urlencoded']) {
      const r = await preview(pid, type === 'application/json' ? JSON.stringify({ symbol: 'AAPL' }) : csv, token, type);
      expect(r.status, type).toBe(422);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.code).toBe('VALIDATION');
    }
    // curl --data-binary sends a URL-encoded form unless told otherwise: the answer says what to send
    expect((await preview(pid, csv, token, 'application/x-www-form-urlencoded')).body.detail).toContain('text/csv');
    expect(await importCount()).toBe(before);
    expect(await positions(pid, true)).toEqual([]);
  });

  it("another user's portfolio id and import id answer 404 at preview, get and commit, and change nothing", async () => {
    const mine = await newPortfolio('mine');
    const theirs = DEMO.individual.portfolioId;
    const theirPreview = await preview(theirs, 'symbol,quantity,entry_price,entry_date\nXOM,10,100,2025-01-02\n', otherToken);
    expect(theirPreview.status).toBe(201);
    const theirImport = theirPreview.body.import_id as string;
    const theirBefore = await call('GET', `/api/v1/portfolios/${theirs}/positions?include_closed=true`, otherToken);
    const file = 'symbol,quantity,entry_price,entry_date\nAAPL,1,1,2025-01-02\n';
    const answers = [
      await preview(theirs, file),
      await call('GET', `/api/v1/portfolios/${theirs}/imports/${theirImport}`, token),
      await call('GET', `/api/v1/portfolios/${mine}/imports/${theirImport}`, token),
      await commit(theirs, theirImport),
      await commit(mine, theirImport),
      await commit(theirs, theirImport, 'replace'),
    ];
    for (const a of answers) {
      expect(a.status).toBe(404);
      expect(a.type).toContain('application/problem+json');
      expect(JSON.stringify(a.body)).not.toContain('XOM');
    }
    // my own import id under their portfolio is not found either
    const mineP = await preview(mine, file);
    expect((await call('GET', `/api/v1/portfolios/${theirs}/imports/${mineP.body.import_id}`, token)).status).toBe(404);
    expect((await commit(theirs, mineP.body.import_id)).status).toBe(404);
    expect((await call('GET', `/api/v1/portfolios/${theirs}/imports/${mineP.body.import_id}`, otherToken)).status).toBe(404);
    expect(await call('GET', `/api/v1/portfolios/${theirs}/positions?include_closed=true`, otherToken)).toEqual(theirBefore);
    expect((await call('GET', `/api/v1/portfolios/${theirs}/imports/${theirImport}`, otherToken)).body.status).toBe('previewed');
    expect(await positions(mine, true)).toEqual([]);
  });
});
