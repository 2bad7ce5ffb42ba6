/**
 * Benchmark: wall time of the full nightly batch (global phases, then 14 phases per portfolio,
 * each in its own transaction) over the demo book — 3 portfolios, 63 positions, reports
 * included — on in-memory PGlite and, when DATABASE_URL names a Postgres server, on Postgres (a throw-away
 * database). Setup (migrate, seed, bundled prices) is not timed; each timed repetition is a full
 * rerun that replaces the previous results, as a fresh process runs it (no in-process memo; the backtest
 * forecasts stored by the previous run are read back; the embedded database vacuumed, untimed, as the
 * previous `npm run batch` leaves it) — then, as separate rows, the next trading day
 * after a run for the day before (the nightly case) and a run with every memo and stored forecast cleared. With Postgres, also a generated universe
 * (batch-universe.ts): portfolios × 50 positions through the pg-boss queue with 1 and 2 workers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { startSystemRun } from '../../core/batch/service.ts';
import type { BatchDeps } from '../../core/batch/types.ts';
import { seedDatabase } from '../../core/bootstrap.ts';
import { createLogger } from '../../core/logger.ts';
import { loadBundledMarketData } from '../../core/market-data/load-bundled.ts';
import { createDb, type DbHandle } from '../../db/client.ts';
import { createScratchDatabase } from '../../db/scratch.ts';
import { readEnv } from '../../core/env.ts';
import { benchUniverse } from './batch-universe.ts';
import { clearAnalysisMemos } from '../../core/batch/analyses/memo.ts';
import { backtestDayForecasts } from '../../db/schema/index.ts';
import { type BenchRow, type BenchSuite, medianMs } from './lib.ts';

const NOW = new Date('2026-07-14T12:00:00Z');
/** The trading day before the bundled data's last. */
const PREVIOUS_DAY = '2026-07-10';

/** A throw-away Postgres database on the DATABASE_URL server; `drop()` removes it. */
export async function scratchPostgres(adminUrl: string): Promise<{ handle: DbHandle; url: string; drop: () => Promise<void> }> {
  const scratch = await createScratchDatabase(adminUrl, 'sigmasight_bench');
  const handle = createDb({ url: scratch.url, poolMax: 8 });
  return {
    handle, url: scratch.url,
    drop: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}

/** Forgets every second-wave memo: this process's and the backtest forecasts stored in the database. */
async function forgetAnalyses(handle: DbHandle): Promise<void> {
  clearAnalysisMemos();
  await handle.db.delete(backtestDayForecasts);
}

/** The second-wave phases (backtest, contributions, Monte Carlo, replays, performance), replaced by no-ops for the comparison row. */
const SECOND_WAVE = ['var_backtest', 'contributions', 'monte_carlo', 'replays', 'performance'] as const;
const skipSecondWave: BatchDeps['phases'] = Object.fromEntries(SECOND_WAVE.map((p) => [p, async () => ({ rows: 0 })]));

async function demoBatch(handle: DbHandle, label: string): Promise<BenchRow[]> {
  await handle.migrate();
  await seedDatabase(handle);
  await loadBundledMarketData(handle.db);
  const reportsDir = mkdtempSync(join(tmpdir(), 'sigmasight-bench-reports-'));
  const service = (phases?: BatchDeps['phases']) => {
    const deps: BatchDeps = { db: handle.db, log: createLogger({ level: 'silent' }), clock: () => NOW, reportsDir, concurrency: handle.kind === 'pglite' ? 1 : 3, ...(phases ? { phases } : {}) };
    return { ...deps, runner: createInlineRunner(deps) };
  };
  const run = async (svc: ReturnType<typeof service>, asOf?: string) => {
    await startSystemRun(svc, { trigger: 'cli', ...(asOf ? { asOf } : {}) });
    await svc.runner.idle();
  };
  const timed = (phases?: BatchDeps['phases'], cold = false) => {
    const svc = service(phases);
    return medianMs(() => run(svc), 5, 1, async () => {
      // Untimed, each repetition finds the database as the previous `npm run batch` left it (vacuumed on
      // the embedded database, see core/batch/runtime.ts) and no in-process memo; the stored backtest forecasts unless cold.
      await handle.vacuum();
      if (cold) await forgetAnalyses(handle);
      else clearAnalysisMemos();
    });
  };
  // Alternate so both see the same machine load; the first-wave row is the baseline of the ratio.
  const base = await timed(skipSecondWave);
  const ms = await timed();
  const base2 = await timed(skipSecondWave);
  const cold = await timed(undefined, true);
  // The nightly case, the median of 5: yesterday's run (untimed) left its stored forecasts, today's is timed.
  const nightlySvc = service();
  const nightly = await medianMs(() => run(nightlySvc), 5, 0, async () => {
    await forgetAnalyses(handle);
    await run(nightlySvc, PREVIOUS_DAY);
    await handle.vacuum(); // as yesterday's `npm run batch` left the embedded database
    clearAnalysisMemos(); // as a fresh process (the nightly `npm run batch`) finds it: only the stored forecasts
  });
  rmSync(reportsDir, { recursive: true, force: true });
  const baseline = Math.min(base, base2);
  return [
    { name: `demo batch on ${label}: 3 portfolios, 63 positions, all phases and reports`, unit: 'position', units: 63, medianMs: ms, referenceMs: baseline, referenceName: 'same batch without the five second-wave phases', extra: { goal: '< 2000 ms; ≤ 1.5× the first-wave batch' } },
    { name: `demo batch on ${label} without the second-wave phases (first-wave baseline)`, unit: 'position', units: 63, medianMs: baseline },
    { name: `demo batch on ${label}, the next trading day after a run for ${PREVIOUS_DAY}, in a fresh process (249 backtest days read back from the database; replays, contributions, Monte Carlo recomputed)`, unit: 'position', units: 63, medianMs: nightly, referenceMs: baseline, referenceName: 'first-wave baseline' },
    { name: `demo batch on ${label}, every memo and stored forecast cleared before each run (history reloaded, every backtest day and Monte Carlo recomputed)`, unit: 'position', units: 63, medianMs: cold, referenceMs: baseline, referenceName: 'first-wave baseline' },
  ];
}

const suite: BenchSuite = {
  name: 'Nightly batch (demo book; generated universe on Postgres)',
  async run() {
    const rows: BenchRow[] = [];
    const lite = createDb({ pgliteDir: 'memory://' });
    try {
      rows.push(...(await demoBatch(lite, 'PGlite (in memory)')));
    } finally {
      await lite.close();
    }
    const pgUrl = readEnv().DATABASE_URL;
    if (!pgUrl) return rows;
    const pg = await scratchPostgres(pgUrl);
    try {
      rows.push(...(await demoBatch(pg.handle, 'Postgres')));
    } finally {
      await pg.drop();
    }
    rows.push(...(await benchUniverse(() => scratchPostgres(pgUrl), NOW)));
    return rows;
  },
};

export default suite;
