/**
 * Losing the database mid-batch (Postgres). The server runs as `npm start` runs it, a batch run
 * is in flight, and another connection terminates every backend of the server's database every
 * 300 ms for about 2.4 s. Then: the run ends succeeded, partial or failed within 10 s of the
 * kills stopping (never left running, never found abandoned), its heartbeat kept advancing and
 * never went stale, no request answered 500 (a 503 problem+json with Retry-After only while
 * backends were being killed), and afterwards /health, a normal GET and a new run all succeed.
 *
 * To keep the run in flight for the whole window, an observer connection (spared by the kills,
 * by its application_name) holds an EXCLUSIVE lock on position_valuations: the valuation phase
 * waits on it, is killed, retries, and writes once the lock is released after the kills.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, DEMO_PASSWORD } from '../api/helpers.ts';
import { TEST_DATABASE_URL } from '../helpers/db.ts';
import { entryArgs, freePort, ROOT } from '../helpers/run.ts';

const DB_NAME = `sigmasight_dbloss_${process.pid}`;
const OBSERVER = 'sigmasight-dbloss-observer';
const STALE_AFTER_S = 10;
/** The run's heartbeat interval: a quarter of BATCH_STALE_AFTER_S. */
const BEAT_MS = (STALE_AFTER_S * 1000) / 4;
const KILL_EVERY_MS = 300;
const KILLS = 8;
/** After the last kill, requests get this long before they must answer 200 again (a pool reconnects on the next query). */
const RECOVERY_MS = 1_000;
const TERMINAL = ['succeeded', 'partial', 'failed'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


interface Probe {
  path: string;
  startedAt: number;
  status: number;
  contentType: string;
  retryAfter: string | null;
  code?: string;
}

interface RunRow {
  status: string;
  error: string | null;
  heartbeat: number | null;
}

describe.skipIf(!TEST_DATABASE_URL)(`database loss mid-batch [postgres]${TEST_DATABASE_URL ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-dbloss-'));
  let admin: postgres.Sql;
  let observer: postgres.Sql;
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let logs = '';
  let base = '';

  beforeAll(async () => {
    admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
    await admin.unsafe(`create database ${DB_NAME}`);
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${DB_NAME}`;
    observer = postgres(url.toString(), { max: 2, onnotice: () => {}, connection: { application_name: OBSERVER } });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, entryArgs('api/main.ts'), {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'warn', DATABASE_URL: url.toString(), PORT: String(port), HOST: '127.0.0.1',
        REPORTS_DIR: join(dir, 'reports'), BATCH_ON_START: 'false', BATCH_SCHEDULE: 'false', BATCH_STALE_AFTER_S: String(STALE_AFTER_S),
        AUTH_CACHE_TTL_MS: '0', ANALYTICS_CACHE_TTL_MS: '0', RATE_LIMIT_API_PER_MIN: '1000000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    exited = new Promise((r) => child!.on('exit', r));
    for (let i = 0; i < 2400; i++) {
      if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) return;
      if (child.exitCode !== null) break;
      await sleep(50);
    }
    throw new Error(`the server did not become healthy:\n${logs}`);
  }, 150_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await observer?.end({ timeout: 5 });
    await admin?.unsafe(`drop database if exists ${DB_NAME} with (force)`);
    await admin?.end({ timeout: 5 });
    rmSync(dir, { recursive: true, force: true });
  });

  async function request(path: string, token: string, init: RequestInit = {}): Promise<Probe & { body: unknown }> {
    const startedAt = Date.now();
    try {
      const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text for the assertion message
      }
      return { path, startedAt, status: res.status, contentType: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after'), body, code: (body as { code?: string })?.code };
    } catch (err) {
      return { path, startedAt, status: 0, contentType: '', retryAfter: null, body: String(err) };
    }
  }

  const runRow = async (runId: string): Promise<RunRow | undefined> => {
    const [row] = await observer<RunRow[]>`select status::text as status, error,
      (extract(epoch from (options->>'heartbeatAt')::timestamptz) * 1000)::float8 as heartbeat from batch_runs where id = ${runId}`;
    return row;
  };

  it('a run cut off from the database ends complete or failed, heartbeats on, and requests never answer 500', async () => {
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO.hnw.email, password: DEMO_PASSWORD }) });
    expect(login.status).toBe(200);
    const token = ((await login.json()) as { access_token: string }).access_token;

    // Hold the valuation table so the run is still in flight while its connections are killed.
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const lockHeld = observer.begin(async (tx) => {
      await tx`lock table position_valuations in exclusive mode`;
      locked();
      await new Promise<void>((r) => (release = r));
    });
    await isLocked;

    const started = await request('/api/v1/admin/batch/trigger/daily?skip_reports=true', token, { method: 'POST' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const runId = (started.body as { run_id: string }).run_id;
    const first = await runRow(runId);
    const runStartedAt = Date.now();

    // Observe the run and send requests throughout.
    const rows: (RunRow & { at: number })[] = [];
    const probes: Probe[] = [];
    let probing = true;
    const observing = (async () => {
      while (probing) {
        const row = await runRow(runId);
        if (row) rows.push({ ...row, at: Date.now() });
        await sleep(100);
      }
    })();
    const probingLoop = (async () => {
      while (probing) {
        probes.push(...(await Promise.all([
          request(`/api/v1/data/portfolios`, token),
          request(`/api/v1/admin/batch/jobs/${runId}`, token),
          request('/health', token),
        ])));
        await sleep(50);
      }
    })();

    await sleep(600);
    const killed: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const rs = await admin<{ query: string }[]>`select pg_terminate_backend(pid) as ok, query from pg_stat_activity
        where datname = ${DB_NAME} and pid <> pg_backend_pid() and application_name <> ${OBSERVER}`;
      killed.push(...rs.map((r) => r.query));
      await sleep(KILL_EVERY_MS);
    }
    const killsEnded = Date.now();
    // The heartbeat goes on after the loss; then the valuation phase may write.
    await sleep(BEAT_MS);
    release();
    await lockHeld;

    let last: RunRow | undefined;
    while (Date.now() - killsEnded < 10_000) {
      last = await runRow(runId);
      if (last && TERMINAL.includes(last.status)) break;
      await sleep(100);
    }
    const finishedAt = Date.now();
    await sleep(500);
    probing = false;
    await Promise.all([observing, probingLoop]);

    const context = `server log:\n${logs.slice(-4000)}`;
    expect(child!.exitCode, `the server exited during the loss\n${context}`).toBeNull();
    // The kills hit the batch itself, mid-phase, not only idle connections.
    expect(killed.length).toBeGreaterThan(0);
    expect(killed.some((q) => /position_valuations/i.test(q)), `killed queries: ${JSON.stringify(killed.slice(0, 20))}`).toBe(true);

    expect(last?.status, `${JSON.stringify(last)}\n${context}`).toBeOneOf(TERMINAL);
    expect(last?.error ?? '').not.toMatch(/abandoned/);
    expect(finishedAt - killsEnded).toBeLessThan(10_000);

    // Heartbeat: advancing while the run lived (the run lasted over two intervals), never stale.
    const running = rows.filter((r) => r.status === 'running');
    expect(running.length).toBeGreaterThan(0);
    for (const r of running) expect(r.at - (r.heartbeat ?? 0), context).toBeLessThan(STALE_AFTER_S * 1000);
    const beats = new Set(running.map((r) => r.heartbeat));
    expect(finishedAt - runStartedAt).toBeGreaterThan(2 * BEAT_MS);
    expect(beats.size, `heartbeats seen: ${[...beats].join(', ')} (first ${first?.heartbeat})`).toBeGreaterThanOrEqual(2);
    expect(Math.max(...running.map((r) => r.heartbeat ?? 0))).toBeGreaterThan(killsEnded - BEAT_MS);

    // Requests: never a 500; 503 only as problem+json with Retry-After, only while backends were killed.
    const bad = probes.filter((p) => p.status !== 200 && !(p.status === 503 && p.startedAt < killsEnded + RECOVERY_MS));
    expect(bad, context).toEqual([]);
    for (const p of probes.filter((x) => x.status === 503 && x.path !== '/health')) {
      expect(p.contentType).toMatch(/^application\/problem\+json/);
      expect(p.code).toBe('UNAVAILABLE');
      expect(Number(p.retryAfter)).toBeGreaterThan(0);
    }

    // Afterwards the same process serves and runs again.
    expect((await request('/health', token)).status).toBe(200);
    expect((await request('/api/v1/data/portfolios', token)).status).toBe(200);
    const again = await request('/api/v1/admin/batch/trigger/daily?skip_reports=true', token, { method: 'POST' });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    const againId = (again.body as { run_id: string }).run_id;
    let row: RunRow | undefined;
    for (let i = 0; i < 100 && !TERMINAL.includes(row?.status ?? ''); i++, await sleep(100)) row = await runRow(againId);
    expect(row?.status, context).toBe('succeeded');
    expect(child!.exitCode).toBeNull();
  }, 120_000);
});
