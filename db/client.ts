/**
 * `createDb(config)`: one Drizzle database over either driver, with the same schema, casing and
 * migrations. `url` set → postgres.js against a real server; unset → PGlite (Postgres compiled
 * to WASM) persisted in `pgliteDir`, or in memory for `memory://`.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbConfig {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  url?: string | undefined;
  /** PGlite data directory, or `memory://` for an in-memory database. */
  pgliteDir?: string;
  /** PGlite only: start from this data-directory tarball (`dumpDataDir()`); the directory must be new. */
  pgliteLoadDataDir?: Blob | File;
  /** postgres.js pool size. */
  poolMax?: number;
  /**
   * A pool that only does batch work (a worker process): its sessions commit without waiting for
   * the WAL flush (`synchronous_commit = off` as a connection parameter), so batch transactions
   * need not set it themselves. Never for a pool that serves user writes.
   */
  batchSession?: boolean;
  /** `statement_timeout` of a batch session, ms (sent with the connection). */
  statementTimeoutMs?: number;
  /** Receives the server's NOTICE and WARNING messages (e.g. "schema already exists, skipping" from migrations); dropped when absent. */
  onNotice?: (notice: DbNotice) => void;
}

/** A NOTICE or WARNING the database sent to a session (Postgres field names). */
export interface DbNotice {
  severity?: string;
  code?: string;
  message?: string;
}

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Human description without credentials, e.g. "postgres://localhost:5432/test" or "pglite:./.data/pglite". */
  target: string;
  /** Applies pending SQL migrations from db/migrations (Drizzle migrator). */
  migrate(): Promise<void>;
  /** Sessions already commit asynchronously and carry the batch statement timeout (a `batchSession` pool). */
  asyncCommit: boolean;
  /** Runs `select 1`; throws when the database does not answer. */
  ping(): Promise<void>;
  /**
   * Reclaims the space of deleted and replaced rows for reuse. The embedded database runs no
   * autovacuum (it is a single-user backend), so this runs VACUUM there and answers true; on a
   * server, autovacuum does it and this runs nothing (false).
   */
  vacuum(): Promise<boolean>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const casing = 'snake_case' as const;

function describeUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
}

export function createDb(config: DbConfig): DbHandle {
  if (config.url) {
    const client = postgres(config.url, {
      max: config.poolMax ?? 10, onnotice: (n) => config.onNotice?.(n as DbNotice), connect_timeout: 10, ...(config.batchSession ? { connection: { synchronous_commit: 'off', ...(config.statementTimeoutMs ? { statement_timeout: config.statementTimeoutMs } : {}) } } : {}),
    });
    const db = drizzlePostgres({ client, schema, casing });
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      asyncCommit: !!config.batchSession,
      target: describeUrl(config.url),
      migrate: () => migratePostgres(db, { migrationsFolder: MIGRATIONS_DIR }),
      ping: async () => void (await db.execute(sql`select 1`)),
      vacuum: async () => false,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dir = config.pgliteDir ?? './.data/pglite';
  const memory = dir.startsWith('memory://');
  if (!memory) mkdirSync(dir, { recursive: true });
  const release = memory ? () => {} : lockDataDir(dir);
  const client = config.pgliteLoadDataDir
    ? new PGlite({ ...(memory ? {} : { dataDir: dir }), loadDataDir: config.pgliteLoadDataDir })
    : new PGlite(memory ? undefined : dir);
  const db = drizzlePglite({ client, schema, casing });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    asyncCommit: false,
    target: memory ? 'pglite:memory' : `pglite:${dir}`,
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_DIR }),
    ping: async () => void (await db.execute(sql`select 1`)),
    vacuum: async () => {
      await client.exec('VACUUM');
      return true;
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}
