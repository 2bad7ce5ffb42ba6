/**
 * Migration 0001 moves stored correlation pairs from rows (pairwise_correlations) onto their
 * calculation as upper-triangle arrays in the calculation's symbol order, whatever order the
 * pair rows were stored in; a calculation without pair rows keeps null arrays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../db/client.ts';
import { queryRows } from '../../db/exec.ts';
import { correlationPairs } from '../../db/queries/results.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';

const statements = (file: string) => readFileSync(join(MIGRATIONS_DIR, file), 'utf8').split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean);

describeEachDb('migration 0001 (compact correlation pairs)', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(kind, { migrate: false });
    for (const s of statements('0000_init.sql')) await db.db.execute(sql.raw(s));
  });
  afterAll(() => db.destroy());

  it('carries existing pairs over in symbol order', async () => {
    await db.db.execute(sql`insert into users (id, email, username, full_name, role, password_hash) values ('00000000-0000-4000-8000-0000000000aa', 'm@x.test', 'm', 'M', 'user', 'x')`);
    await db.db.execute(sql`insert into portfolios (id, user_id, name) values ('00000000-0000-4000-8000-0000000000bb', '00000000-0000-4000-8000-0000000000aa', 'P')`);
    await db.db.execute(sql`insert into correlation_calculations (id, portfolio_id, as_of, window_days, symbols, included_count, excluded_count) values
      ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000bb', '2026-07-13', 63, '["MSFT","NFLX","NVDA"]', 3, 0),
      ('00000000-0000-4000-8000-0000000000c2', '00000000-0000-4000-8000-0000000000bb', '2026-07-10', 63, '["A","B"]', 2, 0)`);
    // stored out of order, one pair with its symbols swapped, one undefined
    await db.db.execute(sql`insert into pairwise_correlations (calculation_id, symbol_a, symbol_b, correlation, data_points, p_value) values
      ('00000000-0000-4000-8000-0000000000c1', 'NFLX', 'NVDA', 0.3, 63, 0.01),
      ('00000000-0000-4000-8000-0000000000c1', 'NFLX', 'MSFT', -0.2, 20, 0.4),
      ('00000000-0000-4000-8000-0000000000c1', 'MSFT', 'NVDA', null, 5, null)`);
    for (const s of statements('0001_compact_correlation_pairs.sql')) await db.db.execute(sql.raw(s));
    const rows = await queryRows<{ id: string; correlations: number[] | null; p_values: (number | null)[] | null; data_points: number[] | null }>(db.db, sql`
      select id::text, correlations, p_values, data_points from correlation_calculations order by id`);
    // a NULL array element reads as null on PGlite and NaN through postgres.js
    const orNull = (a: (number | null)[] | null) => a && a.map((v) => (v === null || Number.isNaN(v) ? null : v));
    expect({ ...rows[0], correlations: orNull(rows[0]!.correlations), p_values: orNull(rows[0]!.p_values) }).toEqual({
      id: '00000000-0000-4000-8000-0000000000c1', correlations: [-0.2, null, 0.3], p_values: [0.4, null, 0.01], data_points: [20, 5, 63],
    });
    expect(rows[1]).toEqual({ id: '00000000-0000-4000-8000-0000000000c2', correlations: null, p_values: null, data_points: null });
    expect(await correlationPairs(db.db as never, '00000000-0000-4000-8000-0000000000c1')).toEqual([
      { a: 'MSFT', b: 'NFLX', rho: -0.2, n: 20 }, { a: 'MSFT', b: 'NVDA', rho: null, n: 5 }, { a: 'NFLX', b: 'NVDA', rho: 0.3, n: 63 },
    ]);
    const [t] = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from information_schema.tables where table_name = 'pairwise_correlations'`);
    expect(t!.n).toBe(0);
  });
});
