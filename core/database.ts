/**
 * Opens the configured database and proves it answers, turning driver failures into one line
 * that names the environment variable to fix (DATABASE_URL or PGLITE_DIR).
 */
import { createDb, type DbConfig, type DbHandle } from '../db/client.ts';

export type { DbHandle };
/** Who holds an embedded data directory (and the server URL it recorded), for `npm run mcp`. */
export { readDataDirLock, recordDataDirHolder } from '../db/data-dir-lock.ts';
import type { Env } from './env.ts';

export class StartupError extends Error {
  override readonly name = 'StartupError';
}

function reason(thrown: unknown): string {
  let err = thrown as { cause?: unknown };
  while (err && typeof err === 'object' && err.cause) err = err.cause as { cause?: unknown }; // driver error under Drizzle's wrapper
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] };
  const inner = e.errors?.[0]?.message;
  const text = inner ?? e.message ?? String(err);
  const hints: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is Postgres running on that host and port?)',
    ENOTFOUND: 'host not found',
    '28P01': 'password authentication failed',
    '28000': 'authentication rejected',
    '3D000': 'database does not exist',
  };
  return e.code && hints[e.code] ? `${hints[e.code]} — ${text}` : text;
}

export async function connectDatabase(env: Pick<Env, 'DATABASE_URL' | 'PGLITE_DIR' | 'DATABASE_POOL_MAX'>, opts: Pick<DbConfig, 'batchSession' | 'statementTimeoutMs' | 'onNotice'> = {}): Promise<DbHandle> {
  const variable = env.DATABASE_URL ? 'DATABASE_URL' : 'PGLITE_DIR';
  let handle: DbHandle | undefined;
  try {
    handle = createDb({ url: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, poolMax: env.DATABASE_POOL_MAX, ...opts });
    await handle.ping();
    return handle;
  } catch (err) {
    await handle?.close().catch(() => {});
    const target = handle?.target ?? (env.DATABASE_URL ? 'the configured Postgres' : env.PGLITE_DIR);
    throw new StartupError(`${variable}: cannot open the database at ${target}: ${reason(err)}`);
  }
}
