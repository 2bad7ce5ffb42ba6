/**
 * The seed guide's curl session (login as demo_individual, then portfolios, overview, positions,
 * factor exposures with the returned token), first in-process on both databases with values
 * checked against closes read straight from market_prices, then against the real server
 * process started as `npm start` does, which must also stop cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { testReportsDir } from '../helpers/batch.ts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/exec.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { entryArgs, freePort, ROOT } from '../helpers/run.ts';
import { startSystemRun } from '../../core/batch/service.ts';
import { batchDeps } from '../helpers/batch.ts';
import { buildApp, DEMO, DEMO_AS_OF, DEMO_PASSWORD, seededApp, type TestApp } from './helpers.ts';

type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

/** The five calls of the seed guide; returns the parsed bodies. */
async function curlSession(fetcher: Fetch) {
  const loginRes = await fetcher('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO.individual.email, password: DEMO_PASSWORD }) });
  expect(loginRes.status).toBe(200);
  const { access_token: token } = (await loginRes.json()) as { access_token: string };
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const call = async (path: string) => {
    const res = await fetcher(path, auth);
    expect(res.status, path).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return (await res.json()) as any;
  };
  const portfolios = await call('/api/v1/data/portfolios');
  const id = portfolios[0].id as string;
  return {
    portfolios,
    overview: await call(`/api/v1/analytics/portfolios/${id}/overview`),
    positions: await call(`/api/v1/data/portfolios/${id}/positions`),
    factors: await call(`/api/v1/data/portfolios/${id}/factor_exposures`),
  };
}

describeEachDb('seed-guide session', (kind) => {
  let db: TestDb;
  let app: TestApp;
  let runId: string;
  beforeAll(async () => {
    ({ db } = await seededApp(kind));
    const batch = batchDeps(db);
    app = buildApp(db, {}, { batch });
    runId = (await startSystemRun(batch, { trigger: 'cli', portfolioIds: [DEMO.individual.portfolioId] })).run_id;
    await batch.runner.idle();
  }, 300_000);
  afterAll(() => db.destroy());

  it('returns the demo portfolio, its 16 positions at the demo as-of closes, and the batch results', async () => {
    const s = await curlSession((path, init) => Promise.resolve(app.request(path, init)));
    expect(s.portfolios).toHaveLength(1);
    expect(s.portfolios[0]).toMatchObject({ id: DEMO.individual.portfolioId, name: 'Demo Individual Investor Portfolio', position_count: 16 });
    expect(s.positions.positions).toHaveLength(16);
    expect(s.positions.meta.as_of).toBe(DEMO_AS_OF);
    // independent reference: closes on the as-of date read with plain SQL, quantity × close for the stocks and ETFs
    const closes = await queryRows<{ symbol: string; close: string }>(db.db, sql`select symbol, close::text as close from market_prices where date = ${DEMO_AS_OF}`);
    const close = new Map(closes.map((r) => [r.symbol, Number(r.close)]));
    let checked = 0;
    for (const p of s.positions.positions) {
      if (p.price_source !== 'market') continue;
      expect(p.current_price).toBeCloseTo(close.get(p.symbol)!, 6);
      expect(p.market_value).toBeCloseTo(p.quantity * close.get(p.symbol)!, 2);
      expect(p.unrealized_pnl).toBeCloseTo((close.get(p.symbol)! - p.entry_price) * p.quantity, 2);
      checked++;
    }
    expect(checked).toBe(12); // 16 holdings, 4 mutual funds priced through their proxy ETFs
    const proxied = s.positions.positions.filter((p: any) => p.price_source === 'proxy').map((p: any) => p.symbol).sort();
    expect(proxied).toEqual(['FCNTX', 'FMAGX', 'FXNAX', 'VTIAX']);
    // equity = opening equity − Σ cost basis + Σ market value
    const [{ eq: opening }] = await queryRows<{ eq: string }>(db.db, sql`select opening_equity::text as eq from portfolios where id = ${DEMO.individual.portfolioId}`) as [{ eq: string }];
    const cost = s.positions.positions.reduce((a: number, p: any) => a + p.quantity * p.entry_price, 0);
    const mv = s.positions.positions.reduce((a: number, p: any) => a + p.market_value, 0);
    expect(s.portfolios[0].total_value).toBeCloseTo(Number(opening) - cost + mv, 0);
    expect(s.overview).toMatchObject({ portfolio_id: DEMO.individual.portfolioId, available: true, as_of: DEMO_AS_OF, run_id: runId, position_count: { total_positions: 16 } });
    expect(s.overview.total_value).toBeCloseTo(s.portfolios[0].total_value, 1);
    expect(s.overview.data_quality).toMatchObject({ proxied: true, proxied_symbols: ['FCNTX→VUG', 'FMAGX→IWF', 'FXNAX→AGG', 'VTIAX→VXUS'] });
    expect(s.factors).toMatchObject({ available: true, calculation_date: DEMO_AS_OF, run_id: runId });
    expect(s.factors.factors).toHaveLength(7);
  });
});


describe('seed-guide session against the server process', () => {
  it('serves the session on 127.0.0.1 and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, entryArgs('api/main.ts'), {
      cwd: ROOT,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], PORT: String(port), HOST: '127.0.0.1', PGLITE_DIR: 'memory://', REPORTS_DIR: testReportsDir(), LOG_LEVEL: 'info' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const t0 = Date.now();
      while (!out.includes('listening on')) {
        if (Date.now() - t0 > 90_000 || child.exitCode !== null) throw new Error(`server did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const s = await curlSession((path, init) => fetch(`http://127.0.0.1:${port}${path}`, init));
      expect(s.portfolios[0].id).toBe(DEMO.individual.portfolioId);
      expect(s.positions.positions).toHaveLength(16);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('shutting down');
    expect(out).toContain('"msg":"stopped"');
  }, 120_000);
});
