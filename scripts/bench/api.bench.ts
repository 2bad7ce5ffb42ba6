/**
 * Benchmark: REST throughput and latency with autocannon at 64 connections. One server process
 * (scripts/bench/api-server.ts, embedded PGlite) serves both the authenticated overview of the
 * hedge-fund demo portfolio (auth, ownership check and stored-results reads) and a bare Hono
 * route; both are loaded in the same run. Goal: overview ≥ 40 % of the bare route's requests/s.
 * The overview is loaded twice: as clients get it (session and analytics micro-caches on, their
 * defaults) and with `Cache-Control: no-cache`, so every request reads the stored results.
 * When DATABASE_URL names a Postgres server, the suite repeats on a scratch database there.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { readEnv } from '../../core/env.ts';
import type { BenchRow, BenchSuite } from './lib.ts';

const CONNECTIONS = 64;
const DURATION_S = 10;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PORTFOLIO = 'fcd71196-e93e-f000-5a74-31a9eead3118';

async function startServer(postgresUrl?: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const args = [`${ROOT}node_modules/tsx/dist/cli.mjs`, 'scripts/bench/api-server.ts', ...(postgresUrl ? ['--postgres', postgresUrl] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += String(d);
      const m = /\{"port":(\d+)\}/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { port, stop: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) };
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
}

function row(name: string, r: autocannon.Result): BenchRow {
  const total = r.requests.total;
  return {
    name, unit: 'request', units: total, medianMs: r.duration * 1000,
    extra: { 'req/s': Math.round(r.requests.average), p50: `${r.latency.p50} ms`, p99: `${r.latency.p99} ms`, non2xx: r.non2xx, errors: r.errors },
  };
}

async function measure(label: string, postgresUrl?: string): Promise<BenchRow[]> {
  const server = await startServer(postgresUrl);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo_hedgefundstyle@sigmasight.com', password: 'demo12345' }) });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${token}` };
    const overviewUrl = `${base}/api/v1/analytics/portfolio/${PORTFOLIO}/overview`;
    const check = (await (await fetch(overviewUrl, { headers: auth })).json()) as { available: boolean };
    if (!check.available) throw new Error('overview has no stored results to read');
    await load(`${base}/bare`, {}, 2);
    await load(overviewUrl, auth, 2);
    const bare = await load(`${base}/bare`, {}, DURATION_S);
    const overview = await load(overviewUrl, auth, DURATION_S);
    const uncached = await load(overviewUrl, { ...auth, 'cache-control': 'no-cache' }, DURATION_S);
    const rows = [row(`${label}: bare Hono route GET /bare`, bare), row(`${label}: authenticated GET /analytics/portfolio/{id}/overview`, overview), row(`${label}: same overview, Cache-Control: no-cache (database read every request)`, uncached)];
    for (const [i, r] of [[1, overview], [2, uncached]] as const) rows[i]!.extra!['vs bare'] = `${((r.requests.average / bare.requests.average) * 100).toFixed(1)} % of bare req/s (goal ≥ 40 %)`;
    return rows;
  } finally {
    await server.stop();
  }
}

const suite: BenchSuite = {
  name: `REST API under load (autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per route)`,
  async run() {
    const rows = await measure('PGlite');
    const pg = readEnv().DATABASE_URL;
    if (pg) rows.push(...(await measure('Postgres', pg)));
    return rows;
  },
};

export default suite;
