/**
 * Writes of batch results with replace semantics: rows are upserted by their natural key with
 * the writing run's id, then rows of the same scope (portfolio, as_of) that this run did not
 * touch are deleted, all inside the caller's transaction, so a rerun replaces and never
 * duplicates, and a rolled-back phase leaves the previous complete results in place.
 */
import { and, eq, getTableColumns, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../client.ts';

const CHUNK = 1000;
const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Upserts `rows` into `table` on the conflict target `keys` (property names), updating every
 * other column from `excluded`; returns the number of rows written.
 */
export async function upsertRows<T extends PgTable>(db: Db, table: T, keys: readonly (keyof T['$inferInsert'] & string)[], rows: readonly T['$inferInsert'][]): Promise<number> {
  if (!rows.length) return 0;
  const cols = getTableColumns(table) as Record<string, PgColumn>;
  const target = keys.map((k) => cols[k]!);
  const set = Object.fromEntries(Object.keys(cols).filter((k) => !keys.includes(k as never)).map((k) => [k, sql.raw(`excluded."${snake(k)}"`)]));
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db.insert(table).values(rows.slice(i, i + CHUNK) as never).onConflictDoUpdate({ target, set } as never);
  }
  return rows.length;
}

/** Deletes rows of `table` matching `scope` that were not written by `runId` (leftovers of an earlier run). */
export async function deleteLeftovers(db: Db, table: PgTable & { runId: PgColumn }, scope: SQL | undefined, runId: string): Promise<void> {
  await db.delete(table).where(and(scope, or(isNull(table.runId), ne(table.runId, runId))));
}

/** `portfolio_id = p and as_of = d` for a results table. */
export function portfolioScope(table: { portfolioId: PgColumn; asOf: PgColumn }, portfolioId: string, asOf: string): SQL | undefined {
  return and(eq(table.portfolioId, portfolioId), eq(table.asOf, asOf));
}

/** Upserts a portfolio's rows for one as_of and removes that scope's leftovers. */
export async function replacePortfolioRows<T extends PgTable & { runId: PgColumn; portfolioId: PgColumn; asOf: PgColumn }>(
  db: Db, table: T, keys: readonly (keyof T['$inferInsert'] & string)[], rows: readonly T['$inferInsert'][], scope: { portfolioId: string; asOf: string; runId: string },
): Promise<number> {
  const n = await upsertRows(db, table, keys, rows);
  await deleteLeftovers(db, table, portfolioScope(table, scope.portfolioId, scope.asOf), scope.runId);
  return n;
}
