/**
 * A generated universe for the batch benchmark: P portfolios × N positions drawn (seeded) from
 * the bundled stocks and ETFs, a fifth of them short, entered on 2025-07-01 at that day's close,
 * plus the demo book. Each timed run goes through the pg-boss queue to 1 or 2 real worker
 * processes (`scripts/worker.ts`, WORKER_CONCURRENCY=2 each), started and ready before the clock
 * starts; reports off. The clock runs from enqueueing the run to its final status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { startQueueRunner } from '../../core/batch/queue.ts';
import { startSystemRun } from '../../core/batch/service.ts';
import { seedDatabase } from '../../core/bootstrap.ts';
import { childEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import { loadBundledMarketData } from '../../core/market-data/load-bundled.ts';
import type { DbHandle } from '../../db/client.ts';
import { queryRows } from '../../db/exec.ts';
import { type BenchRow, mulberry32 } from './lib.ts';

/** (portfolios, positions per portfolio, worker processes) of each timed run. */
export const UNIVERSE_RUNS = [
  { portfolios: 2000, positions: 50, workers: 1 },
  { portfolios: 2000, positions: 50, workers: 2 },
  { portfolios: 2000, positions: 25, workers: 2 },
] as const;
const ENTRY = '2025-07-01';
const ROOT = join(import.meta.dirname, '..', '..');

/** Inserts `portfolios` generated portfolios owned by one bench user (after the demo seed). */
export async function generateUniverse(handle: DbHandle, portfolios: number, positions = 50): Promise<void> {
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
    while (picked.size < positions) picked.add(Math.floor(r() * symbols.length));
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

/** Starts a worker process on `url` and resolves once it logged that it is ready. */
function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'worker.ts')], {
    cwd: ROOT, env: childEnv({ DATABASE_URL: url, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '2' }), stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('batch worker started')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${out.slice(-500)}`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function timedRun(handle: DbHandle, url: string, workers: number, now: Date): Promise<number> {
  const deps = { db: handle.db, log: createLogger({ level: 'silent' }), clock: () => now, reportsDir: 'reports' };
  const enqueuer = await startQueueRunner(deps, { url, concurrency: 0 });
  const pool = await Promise.all(Array.from({ length: workers }, () => startWorker(url)));
  try {
    const t0 = performance.now();
    await startSystemRun({ ...deps, runner: enqueuer }, { trigger: 'cli', skipReports: true });
    await enqueuer.idle();
    const ms = performance.now() - t0;
    const [bad] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from batch_phase_runs where run_id = (select id from batch_runs order by created_at desc limit 1) and status not in ('succeeded', 'skipped')`);
    if (bad!.n) throw new Error(`${bad!.n} phase runs did not succeed`);
    return ms;
  } finally {
    await Promise.all(pool.map(stopWorker));
    await enqueuer.stop();
  }
}

/** Times the generated universes (one scratch database per universe size). */
export async function benchUniverse(scratch: () => Promise<{ handle: DbHandle; url: string; drop: () => Promise<void> }>, now: Date): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const sizes = [...new Set(UNIVERSE_RUNS.map((r) => `${r.portfolios}x${r.positions}`))];
  for (const size of sizes) {
    const [portfolios, positions] = size.split('x').map(Number) as [number, number];
    const db = await scratch();
    try {
      await db.handle.migrate();
      await seedDatabase(db.handle);
      await loadBundledMarketData(db.handle.db);
      await generateUniverse(db.handle, portfolios, positions);
      for (const run of UNIVERSE_RUNS.filter((r) => r.portfolios === portfolios && r.positions === positions)) {
        const ms = await timedRun(db.handle, db.url, run.workers, now);
        rows.push({
          name: `universe ${portfolios} portfolios × ${positions} positions (+ demo book), ${run.workers} worker process(es), pg-boss, reports off`,
          unit: 'portfolio', units: portfolios + 3, medianMs: ms,
          extra: { 'per portfolio': `${(ms / (portfolios + 3)).toFixed(1)} ms`, 'per position': `${((ms / (portfolios * positions + 63)) * 1000).toFixed(0)} µs`, goal: '2,000 × 50 < 60 s' },
        });
      }
    } finally {
      await db.drop();
    }
  }
  return rows;
}
