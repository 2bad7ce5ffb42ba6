/** Market-data and data-quality routes serve stored closes (checked against plain SQL) for the caller's holdings. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/exec.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { DEMO, DEMO_AS_OF, get, login, seededApp, type TestApp } from './helpers.ts';

describeEachDb('market-data routes', (kind) => {
  let db: TestDb;
  let app: TestApp;
  let token: string;
  let close: Map<string, number>;
  beforeAll(async () => {
    ({ db, app } = await seededApp(kind));
    token = await login(app, DEMO.individual.email);
    const rows = await queryRows<{ symbol: string; close: string }>(db.db, sql`select symbol, close::text as close from market_prices where date = ${DEMO_AS_OF}`);
    close = new Map(rows.map((r) => [r.symbol, Number(r.close)]));
  });
  afterAll(() => db.destroy());

  it('historical prices end on the as-of close of each holding', async () => {
    const r = await get(app, `/api/v1/data/prices/historical/${DEMO.individual.portfolioId}?lookback_days=30&include_factor_etfs=false&symbols=AAPL,MSFT`, token);
    expect(r.status).toBe(200);
    for (const s of ['AAPL', 'MSFT']) {
      const h = r.body.symbols[s];
      expect(h.dates.at(-1)).toBe(DEMO_AS_OF);
      expect(h.close.at(-1)).toBeCloseTo(close.get(s)!, 6);
    }
  });

  it('quotes give the latest close; factor ETF prices list SPY; data quality covers all 16 holdings', async () => {
    const q = await get(app, '/api/v1/data/prices/quotes?symbols=aapl,SPY', token);
    expect(q.status).toBe(200);
    expect(q.body.quotes.find((x: { symbol: string }) => x.symbol === 'AAPL').last_price).toBeCloseTo(close.get('AAPL')!, 6);
    const e = await get(app, '/api/v1/data/factors/etf-prices?factors=market%20beta', token);
    expect(e.status).toBe(200);
    expect(JSON.stringify(e.body)).toContain('SPY');
    const dq = await get(app, `/api/v1/data/portfolio/${DEMO.individual.portfolioId}/data-quality`, token);
    expect(dq.status).toBe(200);
    expect(dq.body.summary.total_positions).toBe(16);
    expect((await get(app, `/api/v1/data/portfolio/${DEMO.hnw.portfolioId}/data-quality`, token)).status).toBe(404);
    const bad = await get(app, '/api/v1/data/prices/quotes', token);
    expect(bad.status).toBe(422);
  });
});
