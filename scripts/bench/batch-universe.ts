/**
 * A generated universe for the batch benchmark: P portfolios × 50 positions drawn (seeded) from
 * the bundled stocks and ETFs, a fifth of them short, entered on 2025-07-01 at that day's close;
 * run through the pg-boss queue with 1 and with 2 worker runners (in this process), reports off.
 */
import { sql } from 'drizzle-orm';
import { startQueueRunner } from '../../core/batch/queue.ts';
import { startSystemRun } from '../../core/batch/service.ts';
import { seedDatabase } from '../../core/bootstrap.ts';
import { createLogger } from '../../core/logger.ts';
import { loadBundledMarketData } from '../../core/market-data/load-bundled.ts';
import type { DbHandle } from '../../db/client.ts';
import { queryRows } from '../../db/exec.ts';
import { type BenchRow, mulberry32 } from './lib.ts';

/** Portfolios per generated universe; the 2,000-portfolio target takes minutes per worker count at current per-portfolio cost. */
export const UNIVERSE_SIZES = [100] as const;
const POSITIONS = 50;
const ENTRY = '2025-07-01';

/** Inserts `portfolios` generated portfolios owned by one bench user (after the demo seed). */
export async function generateUniverse(handle: DbHandle, portfolios: number): Promise<void> {
  const symbols = await queryRows<{ symbol: string; close: number }>(handle.db, sql`
    select symbol, close::float8 as close from market_prices where date = ${ENTRY} and symbol in (select symbol from securities where security_type in ('stock', 'etf'))
    and symbol in (select symbol from market_prices where date = '2026-07-13') order by symbol`);
  const [user] = await queryRows<{ id: string }>(handle.db, sql`
    insert into users (email, username, full_name, role, password_hash) values ('bench@sigmasight.local', 'bench', 'Bench', 'user', 'x') returning id::text as id`);
  const r = mulberry32(2000);
  const ports = Array.from({ length: portfolios }, (_, i) => ({ n: `Bench ${String(i).padStart(5, '0')}`, e: 1_000_000 }));
  const ids = await queryRows<{ id: string }>(handle.db, sql`
    insert into portfolios (user_id, name, opening_equity) select ${user!.id}::uuid, x.n, x.e from json_to_recordset(${JSON.stringify(ports)}::json) as x(n text, e numeric) returning id::text as id`);
  const rows = ids.flatMap(({ id }) => {
    const picked = new Set<number>();
    while (picked.size < POSITIONS) picked.add(Math.floor(r() * symbols.length));
    return [...picked].map((k) => {
      const short = r() < 0.2;
      const q = Math.max(1, Math.round(20_000 / symbols[k]!.close));
      return { p: id, s: symbols[k]!.symbol, t: short ? 'SHORT' : 'LONG', q: short ? -q : q, e: symbols[k]!.close };
    });
  });
  for (let i = 0; i < rows.length; i += 20_000) {
    await handle.db.execute(sql`insert into positions (portfolio_id, symbol, position_type, quantity, entry_price, entry_date)
      select x.p::uuid, x.s, x.t::position_type, x.q, x.e, ${ENTRY}::date from json_to_recordset(${JSON.stringify(rows.slice(i, i + 20_000))}::json) as x(p text, s text, t text, q numeric, e numeric)`);
  }
}

async function timedRun(handle: DbHandle, url: string, workers: number, now: Date): Promise<number> {
  const deps = { db: handle.db, log: createLogger({ level: 'silent' }), clock: () => now, reportsDir: 'reports' };
  const enqueuer = await startQueueRunner(deps, { url, concurrency: 0 });
  const pool = await Promise.all(Array.from({ length: workers }, () => startQueueRunner({ ...deps }, { url, concurrency: 1 })));
  try {
    const t0 = performance.now();
    await startSystemRun({ ...deps, runner: enqueuer }, { trigger: 'cli', skipReports: true });
    await enqueuer.idle();
    return performance.now() - t0;
  } finally {
    for (const w of [enqueuer, ...pool]) await w.stop();
  }
}

/** Times the generated universes with 1 and 2 workers. */
export async function benchUniverse(scratch: () => Promise<{ handle: DbHandle; url: string; drop: () => Promise<void> }>, now: Date): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const size of UNIVERSE_SIZES) {
    const db = await scratch();
    try {
      await db.handle.migrate();
      await seedDatabase(db.handle);
      await loadBundledMarketData(db.handle.db);
      await generateUniverse(db.handle, size);
      for (const workers of [1, 2]) {
        const ms = await timedRun(db.handle, db.url, workers, now);
        rows.push({ name: `universe ${size} portfolios × ${POSITIONS} positions (+ demo book), ${workers} worker(s), pg-boss, reports off`, unit: 'portfolio', units: size + 3, medianMs: ms, extra: { 'per portfolio': `${(ms / (size + 3)).toFixed(0)} ms`, goal: '2,000 portfolios < 60 s' } });
      }
    } finally {
      await db.drop();
    }
  }
  return rows;
}
