/**
 * Benchmark: REST throughput and latency with autocannon at 64 connections. One server process
 * (scripts/bench/api-server.ts, embedded PGlite) serves both the authenticated overview of the
 * hedge-fund demo portfolio (auth, ownership check and stored-results reads) and a bare Hono
 * route; both are loaded in the same run. Goal: overview ≥ 40 % of the bare route's requests/s.
 *
 * The bare route and the overview (session and analytics micro-caches on, their defaults) are
 * loaded in alternating rounds, so a burst of other work on the machine falls on both; the figure
 * is the median of the per-pair ratios. Beside it, the server's CPU time per request (from
 * process.cpuUsage in the server, over all rounds) gives a ratio that other processes disturb
 * far less than throughput. The overview is then loaded once with `Cache-Control: no-cache`, so
 * every request reads the stored results. When DATABASE_URL names a Postgres server, the suite
 * repeats on a scratch database there.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { readEnv } from '../../core/env.ts';
import type { BenchRow, BenchSuite } from './lib.ts';

const CONNECTIONS = 64;
const ROUNDS = 5;
const ROUND_S = 4;
const UNCACHED_S = 10;
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

interface Round {
  result: autocannon.Result;
  /** Server CPU time (user + system) spent during the round, µs. */
  cpuUs: number;
}

interface Series {
  rounds: Round[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

async function serverCpuUs(base: string): Promise<number> {
  const u = (await (await fetch(`${base}/__cpu`)).json()) as { user: number; system: number };
  return u.user + u.system;
}

async function load(base: string, path: string, headers: Record<string, string>, seconds: number): Promise<Round> {
  const c0 = await serverCpuUs(base);
  const result = await autocannon({ url: `${base}${path}`, connections: CONNECTIONS, duration: seconds, headers });
  return { result, cpuUs: (await serverCpuUs(base)) - c0 };
}

function row(name: string, s: Series): BenchRow {
  const rs = s.rounds.map((r) => r.result);
  const total = sum(rs.map((r) => r.requests.total));
  const seconds = sum(rs.map((r) => r.duration));
  return {
    name, unit: 'request', units: total, medianMs: seconds * 1000,
    extra: {
      'req/s': Math.round(total / seconds), 'median round req/s': Math.round(median(rs.map((r) => r.requests.average))),
      p50: `${median(rs.map((r) => r.latency.p50))} ms`, p99: `${median(rs.map((r) => r.latency.p99))} ms`,
      'server CPU': `${(sum(s.rounds.map((r) => r.cpuUs)) / total).toFixed(1)} µs/request`,
      non2xx: sum(rs.map((r) => r.non2xx)), errors: sum(rs.map((r) => r.errors)),
    },
  };
}

const cpuPerRequest = (s: Series): number => sum(s.rounds.map((r) => r.cpuUs)) / sum(s.rounds.map((r) => r.result.requests.total));

async function measure(label: string, postgresUrl?: string): Promise<BenchRow[]> {
  const server = await startServer(postgresUrl);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo_hedgefundstyle@sigmasight.com', password: 'demo12345' }) });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${token}` };
    const overviewPath = `/api/v1/analytics/portfolio/${PORTFOLIO}/overview`;
    const check = (await (await fetch(`${base}${overviewPath}`, { headers: auth })).json()) as { available: boolean };
    if (!check.available) throw new Error('overview has no stored results to read');
    await load(base, '/bare', {}, 2);
    await load(base, overviewPath, auth, 2);
    const bare: Series = { rounds: [] };
    const overview: Series = { rounds: [] };
    for (let i = 0; i < ROUNDS; i++) {
      // alternate which route goes first, so neither always follows the other
      const order = i % 2 ? [[overview, overviewPath, auth], [bare, '/bare', {}]] as const : [[bare, '/bare', {}], [overview, overviewPath, auth]] as const;
      for (const [series, path, headers] of order) series.rounds.push(await load(base, path, headers, ROUND_S));
    }
    const uncached: Series = { rounds: [await load(base, overviewPath, { ...auth, 'cache-control': 'no-cache' }, UNCACHED_S)] };
    const ratios = bare.rounds.map((b, i) => overview.rounds[i]!.result.requests.average / b.result.requests.average);
    const rows = [
      row(`${label}: bare Hono route GET /bare`, bare),
      row(`${label}: authenticated GET /analytics/portfolio/{id}/overview`, overview),
      row(`${label}: same overview, Cache-Control: no-cache (database read every request)`, uncached),
    ];
    rows[1]!.extra!['vs bare'] = `${pct(median(ratios))} of bare req/s, median of ${ROUNDS} alternating pairs [${pct(Math.min(...ratios))}–${pct(Math.max(...ratios))}] (goal ≥ 40 %); server CPU per request bare/overview ${pct(cpuPerRequest(bare) / cpuPerRequest(overview))}`;
    rows[2]!.extra!['vs bare'] = `${pct(uncached.rounds[0]!.result.requests.average / median(bare.rounds.map((r) => r.result.requests.average)))} of bare req/s (median bare round) (goal ≥ 40 %)`;
    return rows;
  } finally {
    await server.stop();
  }
}

const suite: BenchSuite = {
  name: `REST API under load (autocannon, ${CONNECTIONS} connections, ${ROUNDS} alternating ${ROUND_S} s rounds per route)`,
  async run() {
    const rows = await measure('PGlite');
    const pg = readEnv().DATABASE_URL;
    if (pg) rows.push(...(await measure('Postgres', pg)));
    return rows;
  },
};

export default suite;
