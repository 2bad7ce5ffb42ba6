import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDatabase } from '../../core/bootstrap.ts';
import { DEMO_PASSWORD, verifyPassword } from '../../core/auth/password.ts';
import { loadBundledMarketData } from '../../core/market-data/load-bundled.ts';
import { queryRows } from '../../db/exec.ts';
import { upsertPrices } from '../../db/queries/market-prices.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';

const SEEDED_TABLES = ['users', 'portfolios', 'positions', 'tags', 'position_tags', 'securities', 'factor_definitions', 'stress_scenarios'];

async function snapshot(db: TestDb): Promise<string> {
  const parts: unknown[] = [];
  for (const t of SEEDED_TABLES) parts.push(await queryRows(db.db, sql.raw(`select * from ${t} order by 1, 2`)));
  parts.push(await queryRows(db.db, sql`select count(*)::int as n, sum(close)::text as s, max(updated_at)::text as u from market_prices`));
  parts.push(await queryRows(db.db, sql`select count(*)::int as n, sum(yield_pct)::text as s from treasury_rates`));
  return JSON.stringify(parts);
}

describeEachDb('demo seed and bundled data', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await seedDatabase(db);
    await loadBundledMarketData(db.db);
  });
  afterAll(() => db.destroy());

  it('seeds the exact demo ids and counts', async () => {
    const users = await queryRows<{ id: string; email: string; role: string }>(db.db, sql`select id::text, email, role::text from users order by email`);
    expect(users).toEqual([
      { id: '9dacfb0f-2123-7a94-debc-0f982b90d845', email: 'demo_hnw@sigmasight.com', role: 'user' },
      { id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: 'demo_hedgefundstyle@sigmasight.com', role: 'user' },
      { id: 'fd5f083c-6ffc-df32-89ca-a4044b5723f5', email: 'demo_individual@sigmasight.com', role: 'user' },
    ].sort((a, b) => (a.email < b.email ? -1 : 1)));
    const per = await queryRows<{ id: string; n: number }>(db.db, sql`select p.id::text, count(q.id)::int as n from portfolios p join positions q on q.portfolio_id = p.id group by p.id order by n`);
    expect(per).toEqual([
      { id: '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe', n: 16 },
      { id: 'e23ab931-a033-edfe-ed4f-9d02474780b4', n: 17 },
      { id: 'fcd71196-e93e-f000-5a74-31a9eead3118', n: 30 },
    ]);
    const [counts] = await queryRows<Record<string, number>>(
      db.db,
      sql`select (select count(*)::int from tags) as tags, (select count(*)::int from position_tags) as links,
                 (select count(*)::int from stress_scenarios) as scenarios, (select count(*)::int from factor_definitions) as factors,
                 (select count(*)::int from factor_definitions where is_active) as active_factors`,
    );
    // links: Σ tags[].position_count in demo-data.json = 69
    expect(counts).toEqual({ tags: 9, links: 69, scenarios: 18, factors: 8, active_factors: 7 });
  });

  it('stores argon2id hashes that verify the demo password', async () => {
    const [u] = await queryRows<{ password_hash: string }>(db.db, sql`select password_hash from users where email = 'demo_hnw@sigmasight.com'`);
    expect(u!.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(u!.password_hash, DEMO_PASSWORD)).toBe(true);
    expect(await verifyPassword(u!.password_hash, 'demo12346')).toBe(false);
  });

  it('loads every bundled close and yield', async () => {
    const [p] = await queryRows<{ n: number; symbols: number; last: string; vix: number }>(
      db.db,
      sql`select count(*)::int as n, count(distinct symbol)::int as symbols, max(date)::text as last, count(*) filter (where symbol = 'VIX')::int as vix from market_prices`,
    );
    expect(p).toEqual({ n: 122_336 + 1_639, symbols: 76, last: '2026-07-13', vix: 1_639 });
    const [r] = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from treasury_rates`);
    expect(r!.n).toBe(2 * 1_639);
  });

  it('has no option expired on the demo as-of date and prices every equity at its entry-date close', async () => {
    const [expired] = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from positions where expiration_date is not null and expiration_date <= '2026-07-13'`);
    expect(expired!.n).toBe(0);
    const mismatches = await queryRows<{ symbol: string }>(
      db.db,
      sql`select q.symbol from positions q
          where q.multiplier = 1 and q.proxy_symbol is null
            and q.entry_price is distinct from (select m.close from market_prices m where m.symbol = q.symbol and m.date <= q.entry_date order by m.date desc limit 1)`,
    );
    expect(mismatches).toEqual([]);
    const [equities] = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from positions where multiplier = 1 and proxy_symbol is null`);
    expect(equities!.n).toBe(51);
  });

  it('changes nothing when seeding and loading again', async () => {
    const before = await snapshot(db);
    await seedDatabase(db, { force: true });
    const again = await loadBundledMarketData(db.db, { force: true });
    expect(again.priceRows).toBe(0);
    expect(again.rateRows).toBe(0);
    expect(await snapshot(db)).toBe(before);
  });

  it('lets a provider close replace a bundled one, never the reverse', async () => {
    await upsertPrices(db.db, [{ symbol: 'AAPL', date: '2026-07-13', close: 999.5 }], 'fmp');
    await loadBundledMarketData(db.db, { force: true });
    await upsertPrices(db.db, [{ symbol: 'AAPL', date: '2026-07-13', close: 1 }], 'placeholder');
    const [row] = await queryRows<{ close: string; source: string }>(db.db, sql`select close::text, source from market_prices where symbol = 'AAPL' and date = '2026-07-13'`);
    expect(row).toEqual({ close: '999.500000', source: 'fmp' });
  });
});
