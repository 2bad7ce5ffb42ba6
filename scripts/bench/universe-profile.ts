import { sql } from 'drizzle-orm';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { startSystemRun } from '../../core/batch/service.ts';
import { seedDatabase } from '../../core/bootstrap.ts';
import { createLogger } from '../../core/logger.ts';
import { loadBundledMarketData } from '../../core/market-data/load-bundled.ts';
import { queryRows } from '../../db/exec.ts';
import { readEnv } from '../../core/env.ts';
import { scratchPostgres } from './batch.bench.ts';
import { generateUniverse } from './batch-universe.ts';

const n = Number(process.argv[2] ?? 50);
const conc = Number(process.argv[3] ?? 1);
const pg = await scratchPostgres(readEnv().DATABASE_URL!);
try {
  await pg.handle.migrate();
  await seedDatabase(pg.handle);
  await loadBundledMarketData(pg.handle.db);
  await generateUniverse(pg.handle, n);
  const deps = { db: pg.handle.db, log: createLogger({ level: 'silent' }), clock: () => new Date('2026-07-14T12:00:00Z'), reportsDir: '/tmp/prof/reports', concurrency: conc, skipReports: true };
  const svc = { ...deps, runner: createInlineRunner(deps) };
  const { readdirSync, readFileSync } = await import('node:fs');
  const dbName = new URL(pg.url).pathname.slice(1);
  const pgCpuMs = () => {
    let ticks = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dbName)) continue;
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        ticks += Number(f[11]) + Number(f[12]);
      } catch {}
    }
    return ticks * 10;
  };
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  if (process.env.LOG_STATEMENTS) await pg.handle.db.execute(sql.raw(`alter database ${dbName} set log_statement = 'all'`));
  for (let rep = 0; rep < 2; rep++) {
    if (rep === 1 && process.env.PROFILE) {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const pg0 = pgCpuMs();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await startSystemRun(svc, { trigger: 'cli', skipReports: true });
    await svc.runner.idle();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    console.log(`rep ${rep}: ${ms.toFixed(0)} ms for ${n + 3} portfolios = ${(ms / (n + 3)).toFixed(1)} ms/portfolio; node cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; postgres cpu ${pgCpuMs() - pg0} ms; load ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim()}`);
  }
  if (process.env.PROFILE) {
    const { profile } = await session.post('Profiler.stop');
    (await import('node:fs')).writeFileSync(process.env.PROFILE, JSON.stringify(profile));
  }
  const rows = await queryRows<{ phase: string; med: number; n: number }>(pg.handle.db, sql`
    select phase, percentile_cont(0.5) within group (order by duration_ms)::float8 as med, count(*)::int as n from batch_phase_runs
    where run_id = (select id from batch_runs order by created_at desc limit 1) group by phase order by med desc`);
  console.table(rows);
} finally {
  await pg.drop();
}
