/**
 * Raw-SQL helpers that smooth over the two drivers' result shapes: postgres.js returns an array
 * of rows with `count`; PGlite returns `{ rows, affectedRows }`.
 */
import type { SQL } from 'drizzle-orm';
import type { Db } from './client.ts';

export type Executor = Pick<Db, 'execute'>;

/** Runs a raw query and returns its rows. */
export async function queryRows<T extends Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown;
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}

/** Runs a raw statement and returns the number of rows it inserted, updated or deleted. */
export async function execCount(db: Executor, query: SQL): Promise<number> {
  const r = (await db.execute(query)) as unknown as { count?: number; affectedRows?: number };
  return r.count ?? r.affectedRows ?? 0;
}
