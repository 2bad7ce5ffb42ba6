/**
 * Runs a TypeScript entry file in a child process (Node 24 from node_modules; one process, as
 * `npm run` scripts run): its bundle from the run's global setup when there is one
 * (test/helpers/bundles.ts), else the file itself with tsx's loader.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function bundles(): Record<string, string> {
  try {
    return inject('testEntryBundles') ?? {};
  } catch {
    return {}; // outside a vitest worker
  }
}

/**
 * The node arguments that run `file` (an entry relative to the repository root, such as
 * 'api/main.ts'): `[bundle]`, or `['--import', 'tsx', file]` for a file without one.
 */
export function entryArgs(file: string): string[] {
  const bundle = bundles()[file];
  return bundle && existsSync(bundle) ? [bundle] : ['--import', 'tsx', file];
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runTs(file: string, args: string[], env: Record<string, string | undefined>, timeoutMs = 60_000): RunResult {
  const r = spawnSync(process.execPath, [...entryArgs(file), ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A TCP port on 127.0.0.1 that nothing listens on right now, for a child server to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
