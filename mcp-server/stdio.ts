/**
 * `npm run mcp`: the MCP server over stdio for Claude Desktop and other local clients. It acts
 * as the user named by SIGMASIGHT_USER (local mode) or the session in SIGMASIGHT_TOKEN. stdout
 * carries the protocol only; logs go to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { startBatchRuntime } from '../core/batch/runtime.ts';
import { prepareDatabase } from '../core/bootstrap.ts';
import { connectDatabase } from '../core/database.ts';
import { loadEnv } from '../core/env.ts';
import { createLogger } from '../core/logger.ts';
import { systemClock } from '../core/services/context.ts';
import { resolveStdioPrincipal } from './stdio-principal.ts';
import { createMcpServer } from './server.ts';

const env = loadEnv();
const log = createLogger({ level: env.LOG_LEVEL, destination: 2, name: 'sigmasight-mcp' });

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const dbh = await connectDatabase(env).catch((err: unknown) => fail((err as Error).message));
await prepareDatabase(dbh, { seed: env.SEED_ON_START, log }).catch((err: unknown) => fail(`Could not prepare the database at ${dbh.target}: ${(err as Error).message}`));
const principal = await resolveStdioPrincipal(dbh.db, env).catch((err: unknown) => fail((err as Error).message));

// book changes made through the tools are recomputed in this process (no schedule, no start-up run)
const batch = await startBatchRuntime({ env, dbh, log, schedule: false, startupRun: false }).catch((err: unknown) => fail(`batch runtime could not start: ${(err as Error).message}`));
const server = createMcpServer({ deps: { db: dbh.db, log, clock: systemClock }, principal, channel: 'stdio', batch: batch.service });
const transport = new StdioServerTransport();
await server.connect(transport);
log.info({ user: principal.email, database: dbh.target }, 'SigmaSight MCP server on stdio');

async function shutdown(): Promise<void> {
  await server.close().catch(() => {});
  await batch.stop({ interruptReason: 'the MCP server stopped' }).catch(() => {});
  await dbh.close().catch(() => {});
  process.exit(0);
}
process.stdin.on('close', () => void shutdown());
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
