/**
 * Positions of the user's own book keep their dated life: add, edit, close (exit date and price:
 * realised P&L), delete. Every change runs in one transaction with its audit entry (who, when,
 * which door, before and after), marks the portfolio's stored results stale and, once committed,
 * asks for a recompute of that portfolio. Closed positions stay: past dates see the book as it stood.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { bookPosition, bookPositions, ownedPortfolioRow, recordChange, replaceTagsBulk, securityTypes, symbolsWithHistory, tagsOf, type Door, type PortfolioRow, type PositionRow } from '../../db/queries/book.ts';
import { positions } from '../../db/schema/index.ts';
import type { Position, PositionClose, PositionCreate, PositionUpdate, PositionWriteResult } from '../contracts/book.ts';
import { AppError, notFound } from '../errors.ts';
import { optionFromParts, parseOptionSymbol } from '../imports/options.ts';
import { OPTION_MULTIPLIER } from '../imports/position.ts';
import { normalizeSymbol } from '../imports/symbols.ts';
import type { ParsedPosition } from '../imports/types.ts';
import { UUID_LIKE, type Principal, type ServiceDeps } from './context.ts';
import { historySymbolOf, round2 } from './book.ts';
import { today } from './positions.ts';

/** Services that change the book: a hook asks for a recompute once a change has committed. */
export interface BookDeps extends ServiceDeps {
  /** Called after a committed change to a portfolio's book (debounced by the caller). */
  recompute?: ((portfolioId: string) => void) | undefined;
}

/** Book deps for a door: its service deps and, when the process recomputes, the scheduler to notify. */
export const bookDepsOf = (deps: ServiceDeps, recompute?: { schedule(portfolioId: string): void }): BookDeps => ({
  ...deps,
  recompute: recompute ? (portfolioId: string) => recompute.schedule(portfolioId) : undefined,
});

/** Who changes the book and through which door (kept in the audit trail). */
export interface Writer {
  principal: Principal;
  door: Door;
}

const invalid = (path: string, message: string): AppError => new AppError('VALIDATION', message, { details: { errors: [{ path, message }] } });

/** The owner's live portfolio row or NOT_FOUND (malformed, deleted and foreign ids alike). */
export async function requireBookPortfolio(db: Db, principal: Principal, portfolioId: string): Promise<PortfolioRow> {
  if (!UUID_LIKE.test(portfolioId)) throw notFound('portfolio', portfolioId);
  const row = await ownedPortfolioRow(db, principal.userId, portfolioId);
  if (!row) throw notFound('portfolio', portfolioId);
  return row;
}

async function requireBookPosition(db: Db, portfolioId: string, positionId: string): Promise<PositionRow> {
  if (!UUID_LIKE.test(positionId)) throw notFound('position', positionId);
  const row = await bookPosition(db, portfolioId, positionId);
  if (!row) throw notFound('position', positionId);
  return row;
}

/** The instrument an add request names: a ticker, an OCC symbol, or an option by its parts. @throws AppError VALIDATION */
export function instrumentOf(input: PositionCreate): Pick<ParsedPosition, 'symbol' | 'asset_type' | 'underlying' | 'strike' | 'expiry' | 'right'> {
  const parts = [input.underlying, input.strike, input.expiry, input.right];
  if (input.symbol !== undefined) {
    if (parts.some((p) => p !== undefined)) throw invalid('symbol', 'give either symbol, or underlying, strike, expiry and right, not both');
    const option = parseOptionSymbol(input.symbol);
    if (option) {
      if (!option.ok) throw invalid('symbol', option.message);
      if (input.asset_type && input.asset_type !== 'option') throw invalid('asset_type', `${input.symbol} is an option symbol; asset_type must be option`);
      const c = option.value;
      return { symbol: c.symbol, asset_type: 'option', underlying: c.underlying, strike: c.strike, expiry: c.expiry, right: c.right };
    }
    if (input.asset_type === 'option') throw invalid('symbol', `"${input.symbol}" is not an OCC option symbol (e.g. AAPL270115C00200000); or give underlying, strike, expiry and right`);
    const s = normalizeSymbol(input.symbol);
    if (!s.ok) throw invalid('symbol', s.message);
    return { symbol: s.value, asset_type: input.asset_type ?? 'stock', underlying: null, strike: null, expiry: null, right: null };
  }
  if (parts.every((p) => p !== undefined)) {
    const r = optionFromParts({ underlying: input.underlying!, strike: input.strike!, expiry: input.expiry!, right: input.right! });
    if (!r.ok) throw invalid('underlying', r.message);
    const c = r.value;
    return { symbol: c.symbol, asset_type: 'option', underlying: c.underlying, strike: c.strike, expiry: c.expiry, right: c.right };
  }
  const missing = (['underlying', 'strike', 'expiry', 'right'] as const).filter((k) => input[k] === undefined);
  if (missing.length < 4) throw invalid(missing[0]!, `an option by parts needs underlying, strike, expiry and right; missing ${missing.join(', ')}`);
  throw invalid('symbol', 'give symbol (a ticker or an OCC option symbol), or underlying, strike, expiry and right');
}

type PositionType = PositionRow['positionType'];

export function positionTypeOf(assetType: string, side: 'long' | 'short', right: 'call' | 'put' | null): PositionType {
  if (assetType !== 'option') return side === 'long' ? 'LONG' : 'SHORT';
  return `${side === 'long' ? 'L' : 'S'}${right === 'put' ? 'P' : 'C'}` as PositionType;
}

const sideOf = (p: PositionRow): 'long' | 'short' => (p.quantity < 0 ? 'short' : 'long');
const rightOf = (p: PositionRow): 'call' | 'put' | null => (p.positionType === 'LC' || p.positionType === 'SC' ? 'call' : p.positionType === 'LP' || p.positionType === 'SP' ? 'put' : null);


/** Row values for a normalized position. Mutual funds take the security master's proxy. */
export function rowValues(portfolioId: string, p: ParsedPosition & { entry_date: string }, security?: { type: string; proxy: string | null }) {
  return {
    portfolioId,
    symbol: p.symbol,
    positionType: positionTypeOf(p.asset_type, p.side, p.right),
    quantity: p.side === 'short' ? -p.quantity : p.quantity,
    entryPrice: p.entry_price,
    entryDate: p.entry_date,
    multiplier: p.multiplier,
    underlyingSymbol: p.underlying,
    strikePrice: p.strike,
    expirationDate: p.expiry,
    proxySymbol: p.asset_type === 'option' ? null : (security?.proxy ?? null),
    notes: p.notes,
  };
}

/** The asset type shown for a stored row. */
function assetTypeOf(p: PositionRow, types: Map<string, { type: string }>): Position['asset_type'] {
  if (p.underlyingSymbol || rightOf(p)) return 'option';
  return (types.get(p.symbol)?.type as Position['asset_type'] | undefined) ?? 'stock';
}

/** Stored rows as the Position contract, with tags and the missing-history flag. */
export async function describePositions(db: Db, rows: readonly PositionRow[]): Promise<Position[]> {
  const ids = rows.map((r) => r.id);
  const [tagMap, history, types] = await Promise.all([
    tagsOf(db, ids),
    symbolsWithHistory(db, rows.map(historySymbolOf)),
    securityTypes(db, rows.map((r) => r.symbol)),
  ]);
  return rows.map((p) => ({
    id: p.id, portfolio_id: p.portfolioId, symbol: p.symbol, asset_type: assetTypeOf(p, types), position_type: p.positionType, side: sideOf(p),
    quantity: p.quantity, entry_price: p.entryPrice, entry_date: p.entryDate, exit_price: p.exitPrice, exit_date: p.exitDate,
    realized_pnl: p.exitPrice !== null && p.exitDate !== null ? round2((p.exitPrice - p.entryPrice) * p.quantity * p.multiplier) : null,
    multiplier: p.multiplier, underlying: p.underlyingSymbol, strike: p.strikePrice, expiry: p.expirationDate, right: rightOf(p),
    proxy_symbol: p.proxySymbol, tags: tagMap.get(p.id) ?? [], notes: p.notes,
    missing_history: !history.has(historySymbolOf(p)),
    created_at: p.createdAt.toISOString(), updated_at: p.updatedAt.toISOString(),
  }));
}

async function describeOne(db: Db, row: PositionRow): Promise<Position> {
  return (await describePositions(db, [row]))[0]!;
}

/** The book's positions, open (and closed when asked). */
export async function listBookPositions(deps: ServiceDeps, principal: Principal, portfolioId: string, includeClosed: boolean): Promise<Position[]> {
  await requireBookPortfolio(deps.db, principal, portfolioId);
  return describePositions(deps.db, await bookPositions(deps.db, portfolioId, includeClosed));
}

export async function getBookPosition(deps: ServiceDeps, principal: Principal, portfolioId: string, positionId: string): Promise<Position> {
  await requireBookPortfolio(deps.db, principal, portfolioId);
  return describeOne(deps.db, await requireBookPosition(deps.db, portfolioId, positionId));
}

const auditView = (p: Position): Record<string, unknown> => {
  const { created_at: _c, updated_at: _u, missing_history: _m, ...rest } = p;
  return rest;
};

function checkDates(entryDate: string, todayIso: string, path = 'entry_date'): void {
  if (entryDate > todayIso) throw invalid(path, `${path} ${entryDate} is in the future; give a date on or before ${todayIso}`);
}

/** Inserts a normalized position (reviving a deleted row with the same symbol and entry date). @throws CONFLICT when a live one exists. */
export async function insertPosition(tx: Db, principal: Principal, portfolioId: string, p: ParsedPosition & { entry_date: string }, at: Date): Promise<PositionRow> {
  const security = (await securityTypes(tx, [p.symbol])).get(p.symbol);
  const values = { ...rowValues(portfolioId, p, security), exitDate: null, exitPrice: null, deletedAt: null, updatedAt: at };
  const [row] = await tx
    .insert(positions)
    .values({ ...values, createdAt: at })
    .onConflictDoUpdate({ target: [positions.portfolioId, positions.symbol, positions.entryDate], set: { ...values, createdAt: at }, setWhere: sql`${positions.deletedAt} is not null` })
    .returning();
  if (!row) throw new AppError('CONFLICT', `a position in ${p.symbol} entered on ${p.entry_date} already exists in this portfolio: edit that position instead, or give another entry date`);
  await replaceTagsBulk(tx, principal.userId, new Map([[row.id, p.tags]]));
  return row;
}

/** Adds a position; answers the stored position and its audit id. */
export async function addPosition(deps: BookDeps, w: Writer, portfolioId: string, input: PositionCreate): Promise<PositionWriteResult> {
  const inst = instrumentOf(input);
  const entryDate = input.entry_date ?? today(deps);
  checkDates(entryDate, today(deps));
  if (inst.expiry && inst.expiry < entryDate) throw invalid('expiry', `the option expired on ${inst.expiry}, before the entry date ${entryDate}`);
  const parsed: ParsedPosition & { entry_date: string } = {
    ...inst, side: input.side, quantity: input.quantity, entry_price: input.entry_price, entry_date: entryDate,
    multiplier: input.multiplier ?? (inst.asset_type === 'option' ? OPTION_MULTIPLIER : 1),
    tags: [...new Set(input.tags ?? [])], notes: input.notes ?? null,
  };
  const at = deps.clock();
  const out = await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    await requireBookPortfolio(db, w.principal, portfolioId);
    const row = await insertPosition(db, w.principal, portfolioId, parsed, at);
    const position = await describeOne(db, row);
    const auditId = await recordChange(db, { portfolioId, userId: w.principal.userId, door: w.door, action: 'position.add', positionId: row.id, before: null, after: auditView(position), at });
    return { position, audit_id: auditId };
  });
  deps.recompute?.(portfolioId);
  return { ...out, recompute: deps.recompute ? 'queued' : 'not_needed' };
}

/**
 * Whether a change to a stored row alters computed results: quantity, side and type, entry price
 * and date, exit price and date, or the row leaving the book. Tags and notes feed no result.
 */
export function affectsResults(before: PositionRow, after: PositionRow | null): boolean {
  return !after || after.quantity !== before.quantity || after.positionType !== before.positionType || after.entryPrice !== before.entryPrice
    || after.entryDate !== before.entryDate || after.exitDate !== before.exitDate || after.exitPrice !== before.exitPrice || after.multiplier !== before.multiplier;
}

async function change(
  deps: BookDeps, w: Writer, portfolioId: string, positionId: string, action: string,
  apply: (db: Db, row: PositionRow, at: Date) => Promise<PositionRow | null>,
): Promise<PositionWriteResult> {
  const at = deps.clock();
  const out = await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    await requireBookPortfolio(db, w.principal, portfolioId);
    const row = await requireBookPosition(db, portfolioId, positionId);
    const before = await describeOne(db, row);
    const next = await apply(db, row, at);
    const after = next ? await describeOne(db, next) : null;
    // an edit of tags or notes alone leaves the stored results current: no stale mark, no run
    const stale = affectsResults(row, next);
    const auditId = await recordChange(db, { portfolioId, userId: w.principal.userId, door: w.door, action, positionId, before: auditView(before), after: after ? auditView(after) : null, at, stale });
    return { position: after ?? before, audit_id: auditId, stale };
  });
  if (out.stale) deps.recompute?.(portfolioId);
  return { position: out.position, audit_id: out.audit_id, recompute: out.stale && deps.recompute ? 'queued' : 'not_needed' };
}

/**
 * CONFLICT when another row of the portfolio already holds (symbol, entry date), naming it: a live
 * position, or a deleted one (deleted rows keep their key; adding a position on that date restores it).
 */
async function assertEntryDateFree(db: Db, row: PositionRow, entryDate: string): Promise<void> {
  const [holder] = await db
    .select({ id: positions.id, deletedAt: positions.deletedAt })
    .from(positions)
    .where(and(eq(positions.portfolioId, row.portfolioId), eq(positions.symbol, row.symbol), eq(positions.entryDate, entryDate), ne(positions.id, row.id)))
    .limit(1);
  if (!holder) return;
  if (holder.deletedAt) {
    throw new AppError('CONFLICT', `a deleted position in ${row.symbol} entered on ${entryDate} still holds that date in this portfolio: add the position with that entry date instead (it restores the deleted one with the new values) and delete this one, or give another entry date`);
  }
  throw new AppError('CONFLICT', `a position in ${row.symbol} entered on ${entryDate} already exists in this portfolio (${holder.id}): edit that position instead, or give another entry date`);
}

/** Edits quantity, side, entry price or date, tags or notes of an open or closed position. */
export async function updatePosition(deps: BookDeps, w: Writer, portfolioId: string, positionId: string, input: PositionUpdate): Promise<PositionWriteResult> {
  if (input.entry_date) checkDates(input.entry_date, today(deps));
  return change(deps, w, portfolioId, positionId, 'position.update', async (db, row, at) => {
    const side = input.side ?? sideOf(row);
    const qty = input.quantity ?? Math.abs(row.quantity);
    const entryDate = input.entry_date ?? row.entryDate;
    if (row.exitDate && entryDate > row.exitDate) throw invalid('entry_date', `entry date ${entryDate} is after the exit date ${row.exitDate}`);
    if (row.expirationDate && entryDate > row.expirationDate) throw invalid('entry_date', `entry date ${entryDate} is after the option's expiry ${row.expirationDate}`);
    if (entryDate !== row.entryDate) await assertEntryDateFree(db, row, entryDate);
    const set = {
      quantity: side === 'short' ? -qty : qty,
      positionType: positionTypeOf(rightOf(row) ? 'option' : 'stock', side, rightOf(row)),
      entryPrice: input.entry_price ?? row.entryPrice,
      entryDate,
      notes: input.notes === undefined ? row.notes : input.notes,
      updatedAt: at,
    };
    const [next] = await db.update(positions).set(set).where(eq(positions.id, row.id)).returning();
    if (input.tags) await replaceTagsBulk(db, w.principal.userId, new Map([[row.id, [...new Set(input.tags)]]]));
    return next!;
  });
}

/** Closes an open position at an exit price and date (default today); realised P&L follows. */
export async function closePosition(deps: BookDeps, w: Writer, portfolioId: string, positionId: string, input: PositionClose): Promise<PositionWriteResult> {
  const exitDate = input.exit_date ?? today(deps);
  checkDates(exitDate, today(deps), 'exit_date');
  return change(deps, w, portfolioId, positionId, 'position.close', async (db, row, at) => {
    if (row.exitDate) throw new AppError('CONFLICT', `the position was already closed on ${row.exitDate}; edit it or add a new position`);
    if (exitDate < row.entryDate) throw invalid('exit_date', `exit date ${exitDate} is before the entry date ${row.entryDate}`);
    const [next] = await db.update(positions).set({ exitDate, exitPrice: input.exit_price, updatedAt: at }).where(eq(positions.id, row.id)).returning();
    return next!;
  });
}

/** Deletes a position entered by mistake: it leaves every date of the book (use close to end a holding). */
export async function deletePosition(deps: BookDeps, w: Writer, portfolioId: string, positionId: string): Promise<PositionWriteResult> {
  return change(deps, w, portfolioId, positionId, 'position.delete', async (db, row, at) => {
    await db.update(positions).set({ deletedAt: at, updatedAt: at }).where(eq(positions.id, row.id));
    return null;
  });
}
