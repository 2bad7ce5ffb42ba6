/**
 * Writes of batch results with replace semantics: rows are upserted by their natural key with
 * the writing run's id, then rows of the same scope (portfolio, as_of) that this run did not
 * touch are deleted, all inside the caller's transaction, so a rerun replaces and never
 * duplicates, and a rolled-back phase leaves the previous complete results in place.
 */
import { and, eq, getTableColumns, getTableName, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../client.ts';

const CHUNK = 5000;
/** Database column name under the schema's snake_case casing. */
const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A column's value as JSON for `json_to_recordset`: JSON and array columns as they are, the rest as the driver would send them. */
function jsonValue(col: PgColumn, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (col.dataType === 'json' || col.columnType === 'PgArray') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v instanceof Date) return v.toISOString();
  return col.mapToDriverValue(v);
}

/**
 * The upsert of `records` into `table` on the conflict target `keys` (property names), updating
 * every other column from `excluded`. The rows travel as ONE JSON parameter expanded by
 * `json_to_recordset`, so a write of thousands of rows is one statement whose cost on the client
 * is a `JSON.stringify`, not a bind parameter per value; a column with one value in every row
 * (portfolio, as_of, run id, …) travels once, as a parameter. Columns given in no row take their
 * database default. With `replace`, the same statement first deletes the rows matching that
 * condition whose key is not among `records` (a data-modifying CTE; the deleted and the upserted
 * rows are disjoint, so no row is touched twice).
 */
function upsertStatement<T extends PgTable>(table: T, keys: readonly string[], records: readonly Record<string, unknown>[], replace?: SQL): SQL {
  const cols = getTableColumns(table) as Record<string, PgColumn>;
  const given = Object.keys(cols).filter((k) => records.some((r) => r[k] !== undefined));
  const mixed = given.filter((k) => cols[k]!.hasDefault && records.some((r) => r[k] === undefined));
  if (mixed.length) throw new Error(`upsertRows(${getTableName(table)}): column(s) ${mixed.join(', ')} given in some rows only`);
  const ident = (k: string) => sql.identifier(snake(cols[k]!.name));
  const type = (k: string) => sql.raw(cols[k]!.getSQLType());
  const scalar = (k: string) => cols[k]!.dataType !== 'json' && cols[k]!.columnType !== 'PgArray';
  const constant = new Set(given.filter((k) => scalar(k) && records.every((r) => r[k] === records[0]![k])));
  const varying = given.filter((k) => !constant.has(k));
  const list = sql.join(given.map(ident), sql`, `);
  const values = sql.join(given.map((k) => (constant.has(k) ? sql`${jsonValue(cols[k]!, records[0]![k])}::${type(k)} as ${ident(k)}` : sql`x.${ident(k)}`)), sql`, `);
  const shape = sql.join(varying.map((k) => sql`${ident(k)} ${type(k)}`), sql`, `);
  const source = varying.length
    ? sql`json_to_recordset(${JSON.stringify(records.map((r) => Object.fromEntries(varying.map((k) => [snake(cols[k]!.name), jsonValue(cols[k]!, r[k])]))))}::json) as x(${shape})`
    : sql`generate_series(1, ${records.length}::int) as x`;
  const rest = Object.keys(cols).filter((k) => !keys.includes(k));
  const onConflict = rest.length
    ? sql`do update set ${sql.join(rest.map((k) => sql`${ident(k)} = excluded.${ident(k)}`), sql`, `)}`
    : sql`do nothing`;
  const target = sql.join(keys.map(ident), sql`, `);
  if (!replace) return sql`insert into ${table} (${list}) select ${values} from ${source} on conflict (${target}) ${onConflict}`;
  const sameKey = sql.join(keys.map((k) => sql`src.${ident(k)} = ${table}.${ident(k)}`), sql` and `);
  return sql`with src as (select ${values} from ${source}),
    gone as (delete from ${table} where ${replace} and not exists (select 1 from src where ${sameKey}))
    insert into ${table} (${list}) select ${list} from src on conflict (${target}) ${onConflict}`;
}

/** Upserts `rows` into `table` on the conflict target `keys`; returns the number of rows written. */
export async function upsertRows<T extends PgTable>(db: Db, table: T, keys: readonly (keyof T['$inferInsert'] & string)[], rows: readonly T['$inferInsert'][]): Promise<number> {
  const records = rows as readonly Record<string, unknown>[];
  for (let i = 0; i < records.length; i += CHUNK) await db.execute(upsertStatement(table, keys, records.slice(i, i + CHUNK)));
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

/**
 * Replaces a portfolio's rows for one as_of: upserts `rows` and removes the scope's other rows,
 * in one statement when the rows fit one chunk.
 */
export async function replacePortfolioRows<T extends PgTable & { runId: PgColumn; portfolioId: PgColumn; asOf: PgColumn }>(
  db: Db, table: T, keys: readonly (keyof T['$inferInsert'] & string)[], rows: readonly T['$inferInsert'][], scope: { portfolioId: string; asOf: string; runId: string },
): Promise<number> {
  const where = portfolioScope(table, scope.portfolioId, scope.asOf)!;
  if (!rows.length) await db.delete(table).where(where);
  else if (rows.length <= CHUNK) await db.execute(upsertStatement(table, keys, rows as readonly Record<string, unknown>[], where));
  else {
    await upsertRows(db, table, keys, rows);
    await deleteLeftovers(db, table, where, scope.runId);
  }
  return rows.length;
}
