/**
 * Crash safety: a child process running `npm run batch` is killed with SIGKILL in the middle of
 * the run; a rerun then completes and every stored result equals a clean run's on a fresh
 * database. On PGlite the child uses a data directory (reopened after the kill); on Postgres a
 * per-test database.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { startSystemRun } from '../../../core/batch/service.ts';
import { createDb, type DbHandle } from '../../../db/client.ts';
import { failAbandonedRuns } from '../../../db/queries/batch-runs.ts';
import { queryRows } from '../../../db/exec.ts';
import { batchDeps, DEMO_AS_OF, seededDb } from '../../helpers/batch.ts';
import { createTestDb, describeEachDb, seedPgliteDir, type TestDb } from '../../helpers/db.ts';
import { dumpResults } from '../../helpers/results-dump.ts';
import { entryArgs, ROOT } from '../../helpers/run.ts';


/**
 * Starts `scripts/batch.ts` and SIGKILLs it `killAfterMs` after it printed its run id (the run is
 * then under way: global phases, then three portfolios); resolves once it is dead, or has finished.
 */
function runAndKill(env: Record<string, string>, killAfterMs: number): Promise<{ printed: string; stderr: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    // one process (the bundle, or tsx as a loader): tsx's CLI would run the script in a child that a SIGKILL of the parent leaves running
    const child = spawn(process.execPath, [...entryArgs('scripts/batch.ts'), '--skip-reports'], {
      cwd: ROOT, env: { PATH: process.env['PATH'], HOME: process.env['HOME'], LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      printed += d.toString();
      if (!timer && /batch run \S+ as of/.test(printed)) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ printed, stderr, signal });
    });
  });
}

/** Phase rows of a run that succeeded, and all of them. */
async function phaseCounts(db: DbHandle | TestDb, runId: string): Promise<{ done: number; total: number }> {
  const [row] = await queryRows<{ done: number; total: number }>(db.db, sql`
    select count(*) filter (where status = 'succeeded')::int as done, count(*)::int as total from batch_phase_runs where run_id = ${runId}`);
  return row!;
}

async function cleanReference(kind: 'pglite' | 'postgres'): Promise<Record<string, unknown[]>> {
  const db = await seededDb(kind);
  try {
    const deps = batchDeps(db);
    await startSystemRun(deps, { trigger: 'cli', skipReports: true });
    await deps.runner.idle();
    return await dumpResults(db.db, DEMO_AS_OF);
  } finally {
    await db.destroy();
  }
}

async function rerunAndCompare(db: DbHandle | TestDb, killedRun: string, kind: 'pglite' | 'postgres'): Promise<void> {
  const [killed] = await queryRows<{ status: string; done: number; total: number }>(db.db, sql`
    select r.status::text, count(*) filter (where p.status = 'succeeded')::int as done, count(*)::int as total
    from batch_runs r join batch_phase_runs p on p.run_id = r.id where r.id = ${killedRun} group by r.status`);
  // Killed mid-run: some phases done, not all (on PGlite a restart has marked it failed already, or it is still "running").
  expect(killed!.done).toBeGreaterThan(0);
  expect(killed!.done).toBeLessThan(killed!.total);
  const deps = batchDeps(db as TestDb, { staleAfterMs: 500 });
  // The killed run blocks new claims until its last heartbeat is older than staleAfterMs; on a loaded
  // machine a statement the child sent just before the kill can still land, so claim with patience.
  let rerun: Awaited<ReturnType<typeof startSystemRun>> | null = null;
  for (let attempt = 0; !rerun; attempt++) {
    await new Promise((r) => setTimeout(r, 600));
    try {
      rerun = await startSystemRun(deps, { trigger: 'cli', skipReports: true });
    } catch (err) {
      if ((err as { code?: string }).code !== 'CONFLICT' || attempt >= 20) throw err;
    }
  }
  await deps.runner.idle();
  const [status] = await queryRows<{ status: string }>(db.db, sql`select status::text from batch_runs where id = ${rerun.run_id}`);
  expect(status!.status).toBe('succeeded');
  expect(await dumpResults(db.db, DEMO_AS_OF)).toEqual(await cleanReference(kind));
}

describeEachDb('a batch killed with SIGKILL mid-run', (kind) => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reruns to completion with results equal to a clean run', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'sigmasight-crash-reports-'));
    dirs.push(reports);
    let handle: DbHandle | TestDb;
    let env: Record<string, string>;
    if (kind === 'postgres') {
      handle = await createTestDb('postgres', { seeded: true });
      env = { DATABASE_URL: (handle as TestDb).url!, REPORTS_DIR: reports };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'sigmasight-crash-db-'));
      dirs.push(dir);
      await seedPgliteDir(dir);
      handle = createDb({ pgliteDir: dir });
      env = { PGLITE_DIR: dir, REPORTS_DIR: reports };
    }
    if (kind === 'pglite') await handle.close();
    // The kill must land mid-run: a run that finished first halves the delay, one killed before
    // any phase finished doubles it (the whole batch takes well under a second).
    let runId = '';
    for (let attempt = 0, delay = 150; ; attempt++) {
      const { printed, stderr, signal } = await runAndKill({ ...env, BATCH_CONCURRENCY: '1' }, delay);
      expect(stderr).toBe('');
      runId = /batch run (\S+) as of/.exec(printed)![1]!;
      if (kind === 'pglite') handle = createDb({ pgliteDir: env['PGLITE_DIR']! });
      const { done, total } = await phaseCounts(handle, runId);
      if (signal === 'SIGKILL' && done > 0 && done < total) break;
      if (attempt >= 8) throw new Error(`could not kill the batch mid-run (last: signal ${signal}, ${done}/${total} phases done, delay ${delay} ms)`);
      delay = signal === 'SIGKILL' ? delay * 2 : delay / 2;
      // A run killed before any phase finished would block the next claim until its heartbeat ages.
      await failAbandonedRuns(handle.db, new Date(Date.now() + 60_000));
      if (kind === 'pglite') await handle.close();
    }
    try {
      await rerunAndCompare(handle, runId, kind);
    } finally {
      if ('destroy' in handle) await handle.destroy();
      else await handle.close();
    }
  }, 300_000);
});
