/**
 * `npm run worker`: works batch portfolio jobs from the Postgres job queue (pg-boss), so several
 * workers on several machines share one nightly run. Needs DATABASE_URL; the server enqueues
 * (BATCH_QUEUE=on) and fires the schedule. Stops gracefully on SIGINT/SIGTERM.
 */
import { startBatchRuntime } from '../core/batch/runtime.ts';
import { connectDatabase, StartupError } from '../core/database.ts';
import { loadEnv } from '../core/env.ts';
import { createLogger, routeProcessOutput } from '../core/logger.ts';

const env = loadEnv();
if (!env.DATABASE_URL) {
  process.stderr.write('DATABASE_URL: the worker needs Postgres (the job queue lives there); with the embedded database the server runs batch jobs itself\n');
  process.exit(2);
}
const log = createLogger({ level: env.LOG_LEVEL, name: 'sigmasight-worker' });
routeProcessOutput(log);
// The worker's pool does batch work only: its sessions commit asynchronously (see createDb).
const dbh = await connectDatabase(env, { batchSession: true, statementTimeoutMs: env.BATCH_STATEMENT_TIMEOUT_S * 1000 }).catch((err: unknown) => {
  process.stderr.write(`${err instanceof StartupError ? err.message : String(err)}\n`);
  process.exit(1);
});
await dbh.migrate();
const runtime = await startBatchRuntime({ env: { ...env, BATCH_QUEUE: true }, dbh, log, schedule: false, startupRun: false });
log.info({ concurrency: env.WORKER_CONCURRENCY, database: dbh.target }, 'batch worker started');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'worker stopping');
  await runtime.stop().catch(() => {});
  await dbh.close().catch(() => {});
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
