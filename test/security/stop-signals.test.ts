/**
 * What an operator's signals do. SIGTERM to `npm run batch` mid-run ends the run as `interrupted`
 * and an immediate second run starts and succeeds (without it the first run would block new
 * claims until its heartbeat went stale, 120 s by default); on Postgres, where another process can
 * claim at once. SIGTERM to the server started as `npm start` starts it frees the port in < 10 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/exec.ts';
import { createTestDb, seedPgliteDir, TEST_DATABASE_URL, type TestDb } from '../helpers/db.ts';
import { entryArgs, freePort, ROOT } from '../helpers/run.ts';

const baseEnv = () => ({ PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'silent' });

/** Runs the batch CLI; with `termAfterMs`, sends SIGTERM that long after it printed its run id. */
function batchCli(env: Record<string, string>, termAfterMs?: number): Promise<{ code: number | null; out: string; err: string; runId: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entryArgs('scripts/batch.ts'), '--skip-reports'], { cwd: ROOT, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (termAfterMs !== undefined && !timer && /batch run \S+ as of/.test(out)) timer = setTimeout(() => child.kill('SIGTERM'), termAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, runId: /batch run (\S+) as of/.exec(out)?.[1] ?? '' });
    });
  });
}

describe.skipIf(!TEST_DATABASE_URL)(`SIGTERM to the batch CLI mid-run [postgres]${TEST_DATABASE_URL ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, () => {
  let db: TestDb;
  afterAll(() => db?.destroy());

  it('ends the run as interrupted, and an immediate rerun succeeds', async () => {
    db = await createTestDb('postgres', { seeded: true });
    const env = { DATABASE_URL: db.url!, BATCH_CONCURRENCY: '1', REPORTS_DIR: mkdtempSync(join(tmpdir(), 'sigmasight-term-')) };
    let stopped: Awaited<ReturnType<typeof batchCli>> | undefined;
    let status = '';
    for (let attempt = 0, delay = 100; attempt < 6; attempt++, delay /= 2) {
      stopped = await batchCli(env, delay);
      [{ status } = { status: '' }] = await queryRows<{ status: string }>(db.db, sql`select status::text as status from batch_runs where id = ${stopped.runId}`);
      if (status !== 'succeeded') break;
    }
    expect(stopped!.code).not.toBe(0);
    expect(stopped!.err).toContain('SIGTERM: interrupting the batch run');
    expect(status).toBe('interrupted');
    const rerun = await batchCli(env);
    expect(rerun.err).not.toMatch(/already in progress/);
    expect(rerun.code).toBe(0);
    const [row] = await queryRows<{ status: string }>(db.db, sql`select status::text as status from batch_runs where id = ${rerun.runId}`);
    expect(row!.status).toBe('succeeded');
    rmSync(env.REPORTS_DIR, { recursive: true, force: true });
  }, 180_000);
});

const portOpen = (port: number) => new Promise<boolean>((resolve) => {
  const sock = createConnection({ port, host: '127.0.0.1' }, () => (sock.destroy(), resolve(true)));
  sock.on('error', () => resolve(false));
});

describe('SIGTERM to the server [pglite]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('frees the port within 10 s', async () => {
    await seedPgliteDir(join(dir, 'db'));
    const port = await freePort();
    // the way `npm start` starts it: one Node process with tsx as a loader
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], { cwd: ROOT, env: { ...baseEnv(), PORT: String(port), HOST: '127.0.0.1', PGLITE_DIR: join(dir, 'db'), REPORTS_DIR: join(dir, 'reports'), BATCH_ON_START: 'false', BATCH_SCHEDULE: 'false' }, stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let healthy = false;
    for (let i = 0; i < 1200 && !healthy; i++) {
      await new Promise((r) => setTimeout(r, 50));
      healthy = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    }
    expect(healthy).toBe(true);
    const t0 = Date.now();
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
    expect(code).toBe(0);
    expect(await portOpen(port)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 120_000);
});
