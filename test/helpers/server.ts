/**
 * The server as `npm start` runs it — one process (`node --import tsx api/main.ts`, or its bundle:
 * test/helpers/run.ts `entryArgs`), so SIGTERM reaches the server itself — on a free port of 127.0.0.1 with an in-memory PGlite, for the
 * browser tests and the console benchmark.
 */
import { spawn } from 'node:child_process';
import { testReportsDir } from './batch.ts';
import { entryArgs, freePort, ROOT } from './run.ts';

export interface ServerProcess {
  base: string;
  /** SIGTERM, then SIGKILL if it has not exited after 15 s. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the server with `env` added to its defaults and resolves once it listens. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, entryArgs('api/main.ts'), {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], PORT: String(port), HOST: '127.0.0.1', PGLITE_DIR: 'memory://', REPORTS_DIR: testReportsDir(), LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  child.stdout.on('data', (b) => (out += String(b)));
  child.stderr.on('data', (b) => (out += String(b)));
  for (const t0 = Date.now(); !out.includes('listening on'); await sleep(50)) {
    if (Date.now() - t0 > 120_000 || child.exitCode !== null) throw new Error(`server did not start: ${out.slice(-2000)}`);
  }
  return {
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Waits until the first-start batch has stored results for each user's portfolio (its overview is available). */
export async function waitForFirstBatch(base: string, emails: readonly string[], password: string): Promise<void> {
  for (const email of emails) {
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const auth = { authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` };
    const me = (await (await fetch(`${base}/api/v1/auth/me`, { headers: auth })).json()) as { portfolio_id: string };
    for (let i = 0; ; i++) {
      const o = (await (await fetch(`${base}/api/v1/analytics/portfolio/${me.portfolio_id}/overview`, { headers: auth })).json()) as { available: boolean };
      if (o.available) break;
      if (i > 1200) throw new Error(`no batch results for ${email}`);
      await sleep(100);
    }
  }
}
