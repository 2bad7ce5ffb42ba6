/**
 * The server's output is JSON log lines only (pino: `level` and `msg` on every line), from the
 * first start on a fresh database until SIGTERM, at LOG_LEVEL=debug: nothing a library prints
 * (database notices from migrations, the job queue's warnings, Node's own warnings, a crash's
 * stack trace) may break a log collector reading them line by line. On Postgres a second start
 * meets migration NOTICEs ("schema drizzle already exists"), which arrive as debug lines.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../db/scratch.ts';
import { TEST_DATABASE_URL } from '../helpers/db.ts';
import { freePort, ROOT } from '../helpers/run.ts';

interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


/** Lines of `out` that are not a pino JSON object with a numeric level and a string msg. */
function notJson(out: string): string[] {
  return out.split('\n').filter((line) => {
    if (line === '') return false;
    try {
      const j = JSON.parse(line) as Partial<LogLine>;
      return typeof j !== 'object' || j === null || typeof j.level !== 'number' || typeof j.msg !== 'string';
    } catch {
      return true;
    }
  });
}

const parse = (out: string): LogLine[] => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine);

/**
 * Starts the server the way `npm start` does, waits until /health is healthy (and, with
 * `waitForResults`, until the first-start batch has made results ready), then sends SIGTERM.
 */
async function serveOnce(env: Record<string, string>, waitForResults: boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'debug', PORT: String(port), HOST: '127.0.0.1', BATCH_SCHEDULE: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let ready = false;
  for (let i = 0; i < 2400 && !ready && child.exitCode === null; i++) {
    await sleep(50);
    const health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => (r.ok ? (r.json() as Promise<{ results: { ready: boolean } }>) : null), () => null);
    ready = !!health && (!waitForResults || health.results.ready);
  }
  // the run's last commit makes /health ready a moment before its process logs the finish
  for (let i = 0; i < 400 && waitForResults && ready && !/results ready/.test(stdout); i++) await sleep(25);
  child.kill('SIGTERM');
  const code = await Promise.race([exited, sleep(15_000).then(() => (child.kill('SIGKILL'), exited))]);
  expect(ready, `the server did not get ready:\n${stdout}\n${stderr}`).toBe(true);
  return { code, stdout, stderr };
}

describe('server output is JSON lines [pglite]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-jsonlogs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('from a first start on a fresh data directory to SIGTERM', async () => {
    const r = await serveOnce({ PGLITE_DIR: join(dir, 'db'), REPORTS_DIR: join(dir, 'reports') }, true);
    expect(notJson(r.stdout)).toEqual([]);
    expect(notJson(r.stderr)).toEqual([]);
    const msgs = parse(r.stdout).map((l) => l.msg);
    expect(msgs.some((m) => /^SigmaSight .* listening on /.test(m))).toBe(true);
    expect(msgs.some((m) => /results ready/.test(m))).toBe(true);
    expect(msgs.at(-1)).toBe('stopped');
    expect(r.code).toBe(0);
  }, 180_000);
});

describe.skipIf(!TEST_DATABASE_URL)(`server output is JSON lines [postgres]${TEST_DATABASE_URL ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-jsonlogs-pg-'));
  let scratch: ScratchDatabase | undefined;
  afterAll(async () => {
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with the pg-boss queue, on a fresh database and again on a migrated one (notices become debug lines)', async () => {
    scratch = await createScratchDatabase(TEST_DATABASE_URL!, 'sigmasight_jsonlogs');
    const env = { DATABASE_URL: scratch.url, BATCH_QUEUE: 'true', REPORTS_DIR: join(dir, 'reports') };
    const first = await serveOnce(env, true);
    const second = await serveOnce(env, false);
    for (const r of [first, second]) {
      expect(notJson(r.stdout)).toEqual([]);
      expect(notJson(r.stderr)).toEqual([]);
      expect(r.code).toBe(0);
    }
    const notices = parse(second.stdout).filter((l) => l.msg.startsWith('database notice: '));
    expect(notices.map((l) => l.msg)).toContain('database notice: schema "drizzle" already exists, skipping');
    expect(notices.every((l) => l.level === 20)).toBe(true);
  }, 180_000);
});

describe('process output routed to the log', () => {
  it('turns a Node warning and an unhandled rejection into JSON lines and exits 1', () => {
    const script = [
      `const { createLogger, routeProcessOutput } = await import(${JSON.stringify(join(ROOT, 'core/logger.ts'))});`,
      `routeProcessOutput(createLogger({ level: 'info' }));`,
      `process.emitWarning('a test warning', 'ExperimentalWarning');`,
      `setTimeout(() => void Promise.reject(new Error('boom')), 20);`,
      `setTimeout(() => {}, 5000);`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' } });
    expect(notJson(r.stdout)).toEqual([]);
    expect(notJson(r.stderr)).toEqual([]);
    const lines = parse(r.stdout);
    expect(lines.find((l) => l.msg === 'node ExperimentalWarning: a test warning')?.level).toBe(40);
    const fatal = lines.find((l) => l.level === 60);
    expect(fatal?.msg).toBe('unhandled rejection: stopping');
    expect((fatal?.['err'] as { message?: string })?.message).toBe('boom');
    expect(r.status).toBe(1);
  }, 60_000);
});
