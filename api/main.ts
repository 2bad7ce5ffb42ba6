/**
 * `npm start`: validates the environment, opens the database (embedded PGlite unless
 * DATABASE_URL is set), migrates, seeds the demo book and loads the bundled market data on
 * first start, starts the batch runtime (schedule, job runner, first-start run), then serves
 * HTTP on PORT (default 8000). On the embedded database it records its URL for `npm run mcp`
 * (mcp-server/local-link.ts), which then bridges to it instead of opening the locked files.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { startBatchRuntime } from '../core/batch/runtime.ts';
import { prepareDatabase } from '../core/bootstrap.ts';
import { connectDatabase, StartupError } from '../core/database.ts';
import { loadEnv } from '../core/env.ts';
import { createLogger, routeProcessOutput } from '../core/logger.ts';
import { createLocalLink } from '../mcp-server/local-link.ts';
import { VERSION } from '../core/version.ts';
import { createApp } from './app.ts';

const env = loadEnv();
const log = createLogger({ level: env.LOG_LEVEL });
const startedAt = Date.now();
routeProcessOutput(log);

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const dbh = await connectDatabase(env, { onNotice: (n) => log.debug({ code: n.code }, `database ${(n.severity ?? 'notice').toLowerCase()}: ${n.message ?? ''}`) })
  .catch((err: unknown) => fail(err instanceof StartupError ? err.message : String(err)));
try {
  await prepareDatabase(dbh, { seed: env.SEED_ON_START, log });
} catch (err) {
  log.error({ err }, 'database preparation failed');
  fail(`Could not prepare the database at ${dbh.target}: ${(err as Error).message}`);
}

const batch = await startBatchRuntime({ env, dbh, log }).catch((err: unknown) => fail(`batch runtime could not start: ${(err as Error).message}`));

const app = createApp({ env, dbh, log, startedAt, version: VERSION, batch: batch.service });
const link = createLocalLink({ env, dbh, log });
const server = serve({ fetch: link ? link.wrap(app.fetch) : app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  link?.listening(info.port);
  log.info({ port: info.port, database: dbh.target, startupMs: Date.now() - startedAt }, `SigmaSight ${VERSION} listening on http://localhost:${info.port}`);
}) as Server;
server.on('error', (err: NodeJS.ErrnoException) => {
  fail(err.code === 'EADDRINUSE' ? `PORT: ${env.PORT} is already in use; set PORT to a free port` : `server error: ${err.message}`);
});

const SHUTDOWN_GRACE_MS = 10_000;
let stopping = false;
/**
 * Graceful stop: end this process's batch runs as interrupted (a rerun may start at once), refuse
 * new connections, let in-flight requests finish (at most 10 s), then close the database.
 */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down: finishing in-flight requests');
  const batchStopped = batch.stop({ interruptReason: `interrupted: the server stopped on ${signal}` }).catch((err: unknown) => log.error({ err }, 'stopping the batch runtime failed'));
  const force = setTimeout(() => {
    log.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'in-flight requests did not finish in time; closing connections');
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearTimeout(force);
  await batchStopped;
  await dbh.close().catch((err: unknown) => log.error({ err }, 'closing the database failed'));
  log.info('stopped');
  log.flush();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
