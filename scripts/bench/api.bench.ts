/**
 * Benchmark: REST throughput and latency with autocannon at 64 connections. One server process
 * (scripts/bench/api-server.ts, embedded PGlite) serves a bare Hono route, the authenticated
 * overview of the hedge-fund demo portfolio (auth, ownership check and stored-results reads) and
 * the same overview with `Cache-Control: no-cache`, which bypasses the analytics micro-cache so
 * every request reads the database (what every read costs right after a user edits a portfolio),
 * and that uncached overview again while another user's portfolio is edited every 10 ms (so the
 * database changes under every request, as when many users edit their books); the four are
 * loaded in the same run.
 *
 * The routes are loaded in rotating rounds (the order shifts every round), so a burst of other work on the machine falls on all of them. Per route: requests
 * per second over all its rounds, p50 and p99 over every request of all its rounds, errors
 * (non-2xx answers and socket errors, timeouts included), and the server's CPU time per request (from
 * process.cpuUsage in the server, over all rounds), which other processes disturb far less than
 * throughput. Goals: cached overview ≥ 40 % of the bare route's requests/s (median of the
 * per-round ratios); uncached overview ≤ 0.5 ms server CPU per request, no errors, p99 < 100 ms
 * at 64 connections. When DATABASE_URL names a Postgres server, the suite repeats on a scratch
 * database there (server CPU then excludes the Postgres processes).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { readEnv } from '../../core/env.ts';
import type { BenchRow, BenchSuite } from './lib.ts';

const CONNECTIONS = 64;
const ROUNDS = 5;
const ROUND_S = 4;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PORTFOLIO = 'fcd71196-e93e-f000-5a74-31a9eead3118';
/** Goal of the uncached overview. */
const UNCACHED_GOAL = { cpuUs: 500, p99Ms: 100 };
/** Interval of the edits of another portfolio during the fourth route's rounds, ms. */
const EDIT_EVERY_MS = 10;

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
  /** Server CPU time (user + system) spent during the round, µs (the edits' included). */
  cpuUs: number;
  /** Edits of another portfolio committed during the round. */
  edits: number;
}

interface Series {
  rounds: Round[];
  /** Latency of every response of every round, ms. */
  latencies: number[];
}

const series = (): Series => ({ rounds: [], latencies: [] });

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
/** The q-quantile (nearest rank) of an ascending sample. */
const quantile = (sorted: ArrayLike<number>, q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;

async function serverCpuUs(base: string): Promise<number> {
  const u = (await (await fetch(`${base}/__cpu`)).json()) as { user: number; system: number };
  return u.user + u.system;
}

/** Commits an edit of another portfolio every `ms` until the returned stop is called; resolves to the number of edits. */
function editEvery(base: string, ms: number): () => Promise<number> {
  let done = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    fetch(`${base}/__edit`, { method: 'POST' }).then((r) => r.arrayBuffer()).then(() => void done++, () => {}).finally(() => (busy = false));
  }, ms);
  return async () => {
    clearInterval(timer);
    while (busy) await new Promise((r) => setTimeout(r, 1));
    return done;
  };
}

async function load(base: string, path: string, headers: Record<string, string>, seconds: number, into?: Series, editMs?: number): Promise<Round> {
  const c0 = await serverCpuUs(base);
  const stopEdits = editMs ? editEvery(base, editMs) : null;
  // the promise autocannon returns is also its event emitter
  const run = autocannon({ url: `${base}${path}`, connections: CONNECTIONS, duration: seconds, headers }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  if (into) run.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => void into.latencies.push(ms));
  const result = await run;
  const edits = (await stopEdits?.()) ?? 0;
  const round = { result, cpuUs: (await serverCpuUs(base)) - c0, edits };
  into?.rounds.push(round);
  return round;
}

interface Figures {
  reqPerS: number;
  p50: number;
  p99: number;
  errors: number;
  cpuUs: number;
}

function figures(s: Series): Figures {
  const rs = s.rounds.map((r) => r.result);
  const total = sum(rs.map((r) => r.requests.total));
  const sorted = Float64Array.from(s.latencies).sort();
  const q = (x: number) => quantile(sorted, x);
  return {
    reqPerS: total / sum(rs.map((r) => r.duration)),
    p50: q(0.5),
    p99: q(0.99),
    errors: sum(rs.map((r) => r.non2xx + r.errors)),
    cpuUs: sum(s.rounds.map((r) => r.cpuUs)) / total,
  };
}

function row(name: string, s: Series): BenchRow {
  const rs = s.rounds.map((r) => r.result);
  const total = sum(rs.map((r) => r.requests.total));
  const f = figures(s);
  return {
    name, unit: 'request', units: total, medianMs: sum(rs.map((r) => r.duration)) * 1000,
    extra: {
      'req/s': Math.round(f.reqPerS), 'median round req/s': Math.round(median(rs.map((r) => r.requests.average))),
      p50: `${f.p50.toFixed(1)} ms`, p99: `${f.p99.toFixed(1)} ms`, 'worst round p99': `${Math.max(...rs.map((r) => r.latency.p99))} ms`,
      'server CPU': `${f.cpuUs.toFixed(1)} µs/request`,
      errors: `${f.errors} (non-2xx ${sum(rs.map((r) => r.non2xx))}, socket errors ${sum(rs.map((r) => r.errors))} of which timeouts ${sum(rs.map((r) => r.timeouts))})`,
    },
  };
}

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
    const routes = [
      { s: series(), path: '/bare', headers: {} },
      { s: series(), path: overviewPath, headers: auth },
      { s: series(), path: overviewPath, headers: { ...auth, 'cache-control': 'no-cache' } },
      { s: series(), path: overviewPath, headers: { ...auth, 'cache-control': 'no-cache' }, editMs: EDIT_EVERY_MS },
    ];
    for (const r of routes) await load(base, r.path, r.headers, 2, undefined, r.editMs);
    for (let i = 0; i < ROUNDS; i++) {
      // rotate the order, so no route always follows the same one
      for (let k = 0; k < routes.length; k++) {
        const r = routes[(i + k) % routes.length]!;
        await load(base, r.path, r.headers, ROUND_S, r.s, r.editMs);
      }
    }
    const [bare, overview, uncached, edited] = routes.map((r) => r.s) as [Series, Series, Series, Series];
    const ratios = bare.rounds.map((b, i) => overview.rounds[i]!.result.requests.average / b.result.requests.average);
    const rows = [
      row(`${label}: bare Hono route GET /bare`, bare),
      row(`${label}: authenticated GET /analytics/portfolio/{id}/overview`, overview),
      row(`${label}: same overview, Cache-Control: no-cache (database read every request)`, uncached),
      row(`${label}: uncached overview while another user's portfolio is edited every ${EDIT_EVERY_MS} ms`, edited),
    ];
    const [fb, fo, fu, fe] = [figures(bare), figures(overview), figures(uncached), figures(edited)];
    rows[1]!.extra!['vs bare'] = `${pct(median(ratios))} of bare req/s, median of ${ROUNDS} rounds [${pct(Math.min(...ratios))}–${pct(Math.max(...ratios))}] (goal ≥ 40 %); server CPU per request bare/overview ${pct(fb.cpuUs / fo.cpuUs)}`;
    const goal = (f: Figures): string => {
      const met = f.cpuUs <= UNCACHED_GOAL.cpuUs && f.errors === 0 && f.p99 < UNCACHED_GOAL.p99Ms;
      return `≤ 0.5 ms server CPU per uncached overview, no errors, p99 < ${UNCACHED_GOAL.p99Ms} ms at ${CONNECTIONS} connections: ${met ? 'met' : 'MISSED'} (${(f.cpuUs / 1000).toFixed(3)} ms, ${f.errors} errors, p99 ${f.p99.toFixed(1)} ms)`;
    };
    for (const [i, f] of [[2, fu], [3, fe]] as const) {
      rows[i]!.extra!['vs bare'] = `${pct(f.reqPerS / fb.reqPerS)} of bare req/s, server CPU ${(f.cpuUs / fb.cpuUs).toFixed(1)}× bare`;
      rows[i]!.extra!['goal'] = goal(f);
    }
    rows[3]!.extra!['edits'] = `${sum(edited.rounds.map((r) => r.edits))} committed (${(sum(edited.rounds.map((r) => r.edits)) / sum(edited.rounds.map((r) => r.result.duration))).toFixed(0)}/s; their server CPU is included)`;
    return rows;
  } finally {
    await server.stop();
  }
}

const suite: BenchSuite = {
  name: `REST API under load (autocannon, ${CONNECTIONS} connections, ${ROUNDS} rotating ${ROUND_S} s rounds per route)`,
  async run() {
    const rows = await measure('PGlite');
    const pg = readEnv().DATABASE_URL;
    if (pg) rows.push(...(await measure('Postgres', pg)));
    return rows;
  },
};

export default suite;
