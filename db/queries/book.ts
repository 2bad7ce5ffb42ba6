/** Reads and writes of the user's own book: positions with tags, symbols with history, the audit trail. */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { queryRows } from '../exec.ts';
import { holdingsImports, portfolioAudit, portfolios, positions, positionTags, securities, tags } from '../schema/index.ts';

export type PositionRow = typeof positions.$inferSelect;
export type PortfolioRow = typeof portfolios.$inferSelect;
export type AuditRow = typeof portfolioAudit.$inferSelect;
export type ImportRow = typeof holdingsImports.$inferSelect;
export type Door = AuditRow['door'];

/** A live portfolio of `userId`, or undefined (deleted, foreign and unknown alike). */
export async function ownedPortfolioRow(db: Db, userId: string, portfolioId: string): Promise<PortfolioRow | undefined> {
  const [row] = await db
    .select()
    .from(portfolios)
    .where(and(eq(portfolios.id, portfolioId), eq(portfolios.userId, userId), isNull(portfolios.deletedAt)))
    .limit(1);
  return row;
}

export async function livePortfolioRows(db: Db, userId: string): Promise<PortfolioRow[]> {
  return db
    .select()
    .from(portfolios)
    .where(and(eq(portfolios.userId, userId), isNull(portfolios.deletedAt)))
    .orderBy(asc(portfolios.createdAt), asc(portfolios.id));
}

/** Open and closed position counts per portfolio. */
export async function positionCounts(db: Db, portfolioIds: readonly string[]): Promise<Map<string, { open: number; closed: number }>> {
  if (!portfolioIds.length) return new Map();
  const rows = await db
    .select({
      id: positions.portfolioId,
      open: sql<number>`count(*) filter (where ${positions.exitDate} is null)::int`,
      closed: sql<number>`count(*) filter (where ${positions.exitDate} is not null)::int`,
    })
    .from(positions)
    .where(and(inArray(positions.portfolioId, [...portfolioIds]), isNull(positions.deletedAt)))
    .groupBy(positions.portfolioId);
  return new Map(rows.map((r) => [r.id, { open: Number(r.open), closed: Number(r.closed) }]));
}

/** Live positions of one portfolio (open, and closed when asked), symbol then entry date. */
export function bookPositions(db: Db, portfolioId: string, includeClosed: boolean): Promise<PositionRow[]> {
  const conds = [eq(positions.portfolioId, portfolioId), isNull(positions.deletedAt)];
  if (!includeClosed) conds.push(isNull(positions.exitDate));
  return db.select().from(positions).where(and(...conds)).orderBy(asc(positions.symbol), asc(positions.entryDate), asc(positions.id));
}

export async function bookPosition(db: Db, portfolioId: string, positionId: string): Promise<PositionRow | undefined> {
  const [row] = await db
    .select()
    .from(positions)
    .where(and(eq(positions.id, positionId), eq(positions.portfolioId, portfolioId), isNull(positions.deletedAt)))
    .limit(1);
  return row;
}

/** Tag names per position id. */
export async function tagsOf(db: Db, positionIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!positionIds.length) return out;
  const rows = await db
    .select({ positionId: positionTags.positionId, name: tags.name })
    .from(positionTags)
    .innerJoin(tags, eq(tags.id, positionTags.tagId))
    .where(inArray(positionTags.positionId, [...positionIds]))
    .orderBy(asc(tags.name));
  for (const r of rows) out.set(r.positionId, [...(out.get(r.positionId) ?? []), r.name]);
  return out;
}

/** A holdings import of `userId` into `portfolioId` (locked for update when asked), or undefined. */
export async function ownedImport(db: Db, userId: string, portfolioId: string, importId: string, lock = false): Promise<ImportRow | undefined> {
  const query = db
    .select()
    .from(holdingsImports)
    .where(and(eq(holdingsImports.id, importId), eq(holdingsImports.portfolioId, portfolioId), eq(holdingsImports.userId, userId)))
    .limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** Of `symbols`, those with at least one stored close. */
export async function symbolsWithHistory(db: Db, symbols: readonly string[]): Promise<Set<string>> {
  if (!symbols.length) return new Set();
  const rows = await queryRows<{ symbol: string }>(
    db,
    sql`select s.symbol from (select json_array_elements_text(${JSON.stringify([...new Set(symbols)])}::json) as symbol) s
        where exists (select 1 from market_prices m where m.symbol = s.symbol and m.close > 0)`,
  );
  return new Set(rows.map((r) => r.symbol));
}

/** Security-master type and proxy per symbol. */
export async function securityTypes(db: Db, symbols: readonly string[]): Promise<Map<string, { type: string; proxy: string | null }>> {
  if (!symbols.length) return new Map();
  const rows = await db
    .select({ symbol: securities.symbol, type: securities.securityType, proxy: securities.proxySymbol })
    .from(securities)
    .where(inArray(securities.symbol, [...new Set(symbols)]));
  return new Map(rows.map((r) => [r.symbol, { type: r.type, proxy: r.proxy }]));
}

export interface ChangeRecord {
  portfolioId: string;
  userId: string;
  door: Door;
  action: string;
  positionId?: string | null;
  importId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  at: Date;
  /** Whether the change alters computed results (a rename does not); default true. */
  stale?: boolean;
}

/** Appends an audit entry and marks the portfolio's stored results stale as of this change. */
export async function recordChange(db: Db, c: ChangeRecord): Promise<string> {
  const [row] = await db
    .insert(portfolioAudit)
    .values({ portfolioId: c.portfolioId, userId: c.userId, door: c.door, action: c.action, positionId: c.positionId ?? null, importId: c.importId ?? null, before: c.before ?? null, after: c.after ?? null, at: c.at })
    .returning({ id: portfolioAudit.id });
  const id = row!.id;
  const stale = c.stale === false ? {} : { bookChangedAt: c.at, bookChange: { audit_id: id, action: c.action, at: c.at.toISOString(), door: c.door } };
  await db.update(portfolios).set({ ...stale, updatedAt: c.at }).where(eq(portfolios.id, c.portfolioId));
  return id;
}

/** Audit entries newest first; `before` pages on (at, id), so entries of one instant are never skipped. */
export function auditEntries(db: Db, portfolioId: string, limit: number, before?: { at: Date; id: string }): Promise<AuditRow[]> {
  const conds = [eq(portfolioAudit.portfolioId, portfolioId)];
  if (before) conds.push(sql`(${portfolioAudit.at}, ${portfolioAudit.id}) < (${before.at.toISOString()}::timestamptz, ${before.id}::uuid)`);
  return db.select().from(portfolioAudit).where(and(...conds)).orderBy(desc(portfolioAudit.at), desc(portfolioAudit.id)).limit(limit);
}

/** Values of one new position for a bulk insert (numbers as numbers, dates YYYY-MM-DD). */
export interface NewPosition {
  symbol: string;
  positionType: PositionRow['positionType'];
  quantity: number;
  entryPrice: number;
  entryDate: string;
  multiplier: number;
  underlyingSymbol: string | null;
  strikePrice: number | null;
  expirationDate: string | null;
  proxySymbol: string | null;
  notes: string | null;
}

/**
 * Inserts many positions in one statement (rows travel as one JSON parameter, which both drivers
 * bind far faster than thousands of parameters). A deleted row with the same symbol and entry
 * date comes back as the new one; a live one is left alone and is missing from the answer.
 * @returns id per `symbol|entry_date` of the rows written.
 */
export async function insertPositionsBulk(db: Db, portfolioId: string, rows: readonly NewPosition[], at: Date): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!rows.length) return out;
  const written = await queryRows<{ id: string; symbol: string; entry_date: string }>(
    db,
    sql`insert into positions as p (portfolio_id, symbol, position_type, quantity, entry_price, entry_date, multiplier, underlying_symbol, strike_price, expiration_date, proxy_symbol, notes, created_at, updated_at)
        select ${portfolioId}::uuid, r."symbol", r."positionType"::position_type, r."quantity", r."entryPrice", r."entryDate"::date, r."multiplier", r."underlyingSymbol", r."strikePrice", r."expirationDate"::date, r."proxySymbol", r."notes", ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
        from json_to_recordset(${JSON.stringify(rows)}::json) as r("symbol" text, "positionType" text, "quantity" numeric, "entryPrice" numeric, "entryDate" text, "multiplier" int, "underlyingSymbol" text, "strikePrice" numeric, "expirationDate" text, "proxySymbol" text, "notes" text)
        on conflict (portfolio_id, symbol, entry_date) do update set
          position_type = excluded.position_type, quantity = excluded.quantity, entry_price = excluded.entry_price, multiplier = excluded.multiplier,
          underlying_symbol = excluded.underlying_symbol, strike_price = excluded.strike_price, expiration_date = excluded.expiration_date,
          proxy_symbol = excluded.proxy_symbol, notes = excluded.notes, exit_date = null, exit_price = null, deleted_at = null,
          created_at = excluded.created_at, updated_at = excluded.updated_at
        where p.deleted_at is not null
        returning p.id::text as id, p.symbol, p.entry_date::text as entry_date`,
  );
  for (const r of written) out.set(`${r.symbol}|${r.entry_date}`, r.id);
  return out;
}

/** Appends many audit entries in one statement. */
export async function insertAuditBulk(db: Db, rows: readonly Omit<ChangeRecord, 'stale' | 'at'>[], at: Date): Promise<void> {
  if (!rows.length) return;
  await db.execute(sql`insert into portfolio_audit (portfolio_id, user_id, door, action, position_id, import_id, before, after, at)
    select r."portfolioId", r."userId", r."door"::change_door, r."action", r."positionId", r."importId", r."before", r."after", ${at.toISOString()}::timestamptz
    from json_to_recordset(${JSON.stringify(rows)}::json) as r("portfolioId" uuid, "userId" uuid, "door" text, "action" text, "positionId" uuid, "importId" uuid, "before" jsonb, "after" jsonb)`);
}

/** Replaces the tags of many positions of one user: creates missing tags, then links them, in three statements. */
export async function replaceTagsBulk(db: Db, userId: string, byPosition: ReadonlyMap<string, readonly string[]>): Promise<void> {
  if (!byPosition.size) return;
  const ids = [...byPosition.keys()];
  await db.execute(sql`delete from position_tags where position_id in (select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json))`);
  const links = [...byPosition].flatMap(([positionId, names]) => names.map((name) => ({ positionId, name })));
  if (!links.length) return;
  const names = [...new Set(links.map((l) => l.name))];
  await db.execute(sql`insert into tags (user_id, name) select ${userId}::uuid, value from json_array_elements_text(${JSON.stringify(names)}::json) on conflict do nothing`);
  await db.execute(sql`insert into position_tags (position_id, tag_id)
    select r."positionId", t.id from json_to_recordset(${JSON.stringify(links)}::json) as r("positionId" uuid, "name" text)
    join tags t on t.user_id = ${userId}::uuid and t.name = r."name"
    on conflict do nothing`);
}
