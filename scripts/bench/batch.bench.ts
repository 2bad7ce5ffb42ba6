/**
 * Benchmark: wall time of the full nightly batch (global phases, then 9 phases per portfolio,
 * each in its own transaction) over the demo book — 3 portfolios, 63 positions, reports
 * included — on in-memory PGlite and, when TEST_DATABASE_URL is set, on Postgres (a throw-away
 * database). Setup (migrate, seed, bundled prices) is not timed; each timed repetition is a full
 * rerun that replaces the previous results. With Postgres, also a generated universe
 * (batch-universe.ts): portfolios × 50 positions through the pg-boss queue with 1 and 2 workers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { startSystemRun } from '../../core/batch/service.ts';
import type { BatchDeps } from '../../core/batch/types.ts';
import { seedDatabase } from '../../core/bootstrap.ts';
import { createLogger } from '../../core/logger.ts';
import { loadBundledMarketData } from '../../core/market-data/load-bundled.ts';
import { createDb, type DbHandle } from '../../db/client.ts';
import { benchUniverse } from './batch-universe.ts';
import { type BenchRow, type BenchSuite, medianMs } from './lib.ts';

const PG_URL = process.env['TEST_DATABASE_URL'];
const NOW = new Date('2026-07-14T12:00:00Z');

/** A throw-away Postgres database on the TEST_DATABASE_URL server; `drop()` removes it. */
export async function scratchPostgres(): Promise<{ handle: DbHandle; url: string; drop: () => Promise<void> }> {
  const name = `sigmasight_bench_${Date.now().toString(36)}`;
  const admin = postgres(PG_URL!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(PG_URL!);
  u.pathname = `/${name}`;
  const handle = createDb({ url: u.toString(), poolMax: 8 });
  return {
    handle, url: u.toString(),
    drop: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function demoBatch(handle: DbHandle, label: string): Promise<BenchRow> {
  await handle.migrate();
  await seedDatabase(handle);
  await loadBundledMarketData(handle.db);
  const reportsDir = mkdtempSync(join(tmpdir(), 'sigmasight-bench-reports-'));
  const deps: BatchDeps = { db: handle.db, log: createLogger({ level: 'silent' }), clock: () => NOW, reportsDir, concurrency: handle.kind === 'pglite' ? 1 : 3 };
  const svc = { ...deps, runner: createInlineRunner(deps) };
  const ms = await medianMs(async () => {
    await startSystemRun(svc, { trigger: 'cli' });
    await svc.runner.idle();
  }, 5, 1);
  rmSync(reportsDir, { recursive: true, force: true });
  return { name: `demo batch on ${label}: 3 portfolios, 63 positions, all phases and reports`, unit: 'position', units: 63, medianMs: ms, extra: { goal: '< 2000 ms' } };
}

const suite: BenchSuite = {
  name: 'Nightly batch (demo book; generated universe on Postgres)',
  async run() {
    const rows: BenchRow[] = [];
    const lite = createDb({ pgliteDir: 'memory://' });
    try {
      rows.push(await demoBatch(lite, 'PGlite (in memory)'));
    } finally {
      await lite.close();
    }
    if (!PG_URL) return rows;
    const pg = await scratchPostgres();
    try {
      rows.push(await demoBatch(pg.handle, 'Postgres'));
    } finally {
      await pg.drop();
    }
    rows.push(...(await benchUniverse(scratchPostgres, NOW)));
    return rows;
  },
};

export default suite;
