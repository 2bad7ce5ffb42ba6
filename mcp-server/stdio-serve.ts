/**
 * The start of `npm run mcp` (entry: stdio.ts). Only one process may open the embedded database,
 * so when a server (`npm start`) holds it this bridges to the server's `/mcp` (stdio-bridge.ts):
 * same tools, same data, any number of clients. Otherwise (no server, or Postgres) it opens the
 * database itself and serves the tools in this process. Failures are thrown for the entry to
 * serve as an MCP error.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { connectDatabase, readDataDirLock } from '../core/database.ts';
import { readEnv, type Env } from '../core/env.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { systemClock } from '../core/services/context.ts';
import { findLocalServer, localTarget, runBridge } from './stdio-bridge.ts';
import { StartupFailureError } from './stdio-failure.ts';
import { resolveStdioPrincipal, stdioIdentity, type StdioIdentity } from './stdio-principal.ts';

/** How long a holder of the database that has not yet recorded a URL (a server starting up) is waited for. */
const SERVER_WAIT_MS = 30_000;
const embedded = (env: Env) => !env.DATABASE_URL && !env.PGLITE_DIR.startsWith('memory://');

/** Bridges to the server holding the embedded database, if one does; false when the directory is free. */
async function bridgeIfServed(env: Env, identity: StdioIdentity, log: Logger, waitMs: number): Promise<boolean> {
  const found = await findLocalServer(env.PGLITE_DIR, { waitMs });
  if (found.kind === 'free') return false;
  if (found.kind === 'busy') {
    throw new StartupFailureError({
      cause: `the embedded database ${env.PGLITE_DIR} is in use by process ${found.pid}, which is not a SigmaSight server (another npm run mcp, or a CLI command)`,
      fix: `start the server (npm start) so that every MCP client bridges to it, or stop process ${found.pid}, or use Postgres (DATABASE_URL); if no such process exists, delete ${found.lockPath}`,
    });
  }
  const target = await localTarget({ dir: env.PGLITE_DIR, identity, server: found.server, log });
  const stop = () => void target.release().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await runBridge({ target, log });
  return true;
}

/** Opens the database in this process and serves the tools on stdio until the client goes away. */
async function serveLocally(env: Env, log: Logger): Promise<void> {
  // loaded here, so the bridge never needs the tool modules or the batch runtime
  const [{ startBatchRuntime }, { prepareDatabase }, { createMcpServer }] = await Promise.all([import('../core/batch/runtime.ts'), import('../core/bootstrap.ts'), import('./server.ts')]);
  const dbh = await connectDatabase(env);
  try {
    await prepareDatabase(dbh, { seed: env.SEED_ON_START, log });
  } catch (err) {
    await dbh.close().catch(() => {});
    throw new StartupFailureError({ cause: `could not prepare the database at ${dbh.target}: ${(err as Error).message}`, fix: 'see the log on stderr; npm run db:status shows the migrations' });
  }
  const principal = await resolveStdioPrincipal(dbh.db, env).catch(async (err: unknown) => {
    await dbh.close().catch(() => {});
    throw err;
  });
  // book changes made through the tools are recomputed in this process (no schedule, no start-up run)
  const batch = await startBatchRuntime({ env, dbh, log, schedule: false, startupRun: false });
  // the opening message picks the era: 2026-07-28 (`server/discover`) or the 2025 `initialize` handshake
  const ctx = { deps: { db: dbh.db, log, clock: systemClock }, principal, channel: 'stdio' as const, batch: batch.service };
  const server = serveStdio(() => createMcpServer(ctx), { onerror: (err) => log.warn({ err: err.message }, 'MCP stdio error') });
  log.info({ user: principal.email, database: dbh.target }, 'SigmaSight MCP server on stdio');
  const shutdown = async () => {
    await server.close().catch(() => {});
    await batch.stop({ interruptReason: 'the MCP server stopped' }).catch(() => {});
    await dbh.close().catch(() => {});
    process.exit(0);
  };
  process.stdin.on('close', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

/** Serves stdio until the client goes away (then exits). @throws whatever keeps it from starting */
export async function startStdio(): Promise<void> {
  const env = readEnv();
  const log = createLogger({ level: env.LOG_LEVEL, destination: 2, name: 'sigmasight-mcp' });
  const identity = stdioIdentity(env);
  if (embedded(env) && (await bridgeIfServed(env, identity, log, SERVER_WAIT_MS))) return process.exit(0);
  try {
    await serveLocally(env, log);
  } catch (err) {
    // a server took the directory between the look and the open: bridge to it after all
    if (embedded(env) && readDataDirLock(env.PGLITE_DIR) && (await bridgeIfServed(env, identity, log, SERVER_WAIT_MS))) return process.exit(0);
    throw err;
  }
}
