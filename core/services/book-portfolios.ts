/**
 * Portfolios of the user's own book: create (name, description, opening equity, benchmark),
 * edit, delete (with confirm), list, and the audit trail of every change. A user may own
 * several; every read and write is scoped to the owner (another user's id answers NOT_FOUND).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditEntries, livePortfolioRows, positionCounts, recordChange, type PortfolioRow } from '../../db/queries/book.ts';
import { portfolios } from '../../db/schema/index.ts';
import type { AuditEntry, Portfolio, PortfolioCreate, PortfolioUpdate } from '../contracts/book.ts';
import { AppError } from '../errors.ts';
import { requireBookPortfolio, type BookDeps, type Writer } from './book-positions.ts';
import { UUID_LIKE, type Principal, type ServiceDeps } from './context.ts';

function view(p: PortfolioRow, counts?: { open: number; closed: number }): Portfolio {
  return {
    id: p.id, name: p.name, description: p.description, currency: p.currency, opening_equity: p.openingEquity, benchmark: p.benchmarkSymbol,
    open_positions: counts?.open ?? 0, closed_positions: counts?.closed ?? 0,
    created_at: p.createdAt.toISOString(), updated_at: p.updatedAt.toISOString(), book_changed_at: p.bookChangedAt?.toISOString() ?? null,
  };
}

const auditView = (p: Portfolio): Record<string, unknown> => ({ name: p.name, description: p.description, opening_equity: p.opening_equity, benchmark: p.benchmark });

async function withCounts(db: Db, row: PortfolioRow): Promise<Portfolio> {
  return view(row, (await positionCounts(db, [row.id])).get(row.id));
}

export async function listBookPortfolios(deps: ServiceDeps, principal: Principal): Promise<Portfolio[]> {
  const rows = await livePortfolioRows(deps.db, principal.userId);
  const counts = await positionCounts(deps.db, rows.map((r) => r.id));
  return rows.map((r) => view(r, counts.get(r.id)));
}

export async function getBookPortfolio(deps: ServiceDeps, principal: Principal, portfolioId: string): Promise<Portfolio> {
  return withCounts(deps.db, await requireBookPortfolio(deps.db, principal, portfolioId));
}

/** Most portfolios one user may hold; a guard against runaway scripts, far above any real book. */
export const MAX_PORTFOLIOS_PER_USER = 100;

export async function createPortfolio(deps: BookDeps, w: Writer, input: PortfolioCreate): Promise<Portfolio> {
  const at = deps.clock();
  return deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const existing = await livePortfolioRows(db, w.principal.userId);
    if (existing.length >= MAX_PORTFOLIOS_PER_USER) throw new AppError('UNPROCESSABLE', `you already have ${existing.length} portfolios, the most one account may hold; delete one first`);
    const [row] = await db
      .insert(portfolios)
      .values({ userId: w.principal.userId, name: input.name, description: input.description ?? null, openingEquity: input.opening_equity, benchmarkSymbol: input.benchmark, createdAt: at, updatedAt: at })
      .returning();
    const created = view(row!);
    await recordChange(db, { portfolioId: row!.id, userId: w.principal.userId, door: w.door, action: 'portfolio.create', before: null, after: auditView(created), at, stale: false });
    const [fresh] = await db.select().from(portfolios).where(eq(portfolios.id, row!.id));
    return view(fresh!);
  });
}

export async function updatePortfolio(deps: BookDeps, w: Writer, portfolioId: string, input: PortfolioUpdate): Promise<Portfolio> {
  const at = deps.clock();
  const out = await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const row = await requireBookPortfolio(db, w.principal, portfolioId);
    const before = view(row);
    const set: Partial<typeof portfolios.$inferInsert> = { updatedAt: at };
    if (input.name !== undefined) set.name = input.name;
    if (input.description !== undefined) set.description = input.description;
    if (input.opening_equity !== undefined) set.openingEquity = input.opening_equity;
    if (input.benchmark !== undefined) set.benchmarkSymbol = input.benchmark;
    const [next] = await db.update(portfolios).set(set).where(eq(portfolios.id, portfolioId)).returning();
    const after = view(next!);
    // only a change of equity or benchmark alters computed results; a rename or a new description does not
    const affectsResults = before.opening_equity !== after.opening_equity || before.benchmark !== after.benchmark;
    await recordChange(db, { portfolioId, userId: w.principal.userId, door: w.door, action: 'portfolio.update', before: auditView(before), after: auditView(after), at, stale: affectsResults });
    return { portfolio: await withCounts(db, (await db.select().from(portfolios).where(eq(portfolios.id, portfolioId)))[0]!), affectsResults };
  });
  if (out.affectsResults) deps.recompute?.(portfolioId);
  return out.portfolio;
}

/** Deletes a portfolio; `confirm` must be true. Its positions and results leave every list. */
export async function deletePortfolio(deps: BookDeps, w: Writer, portfolioId: string, confirm: boolean): Promise<{ id: string; deleted: true }> {
  const at = deps.clock();
  await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const row = await requireBookPortfolio(db, w.principal, portfolioId);
    if (!confirm) throw new AppError('VALIDATION', `deleting "${row.name}" cannot be undone: repeat with confirm=true`, { details: { errors: [{ path: 'confirm', message: 'must be true' }] } });
    await recordChange(db, { portfolioId, userId: w.principal.userId, door: w.door, action: 'portfolio.delete', before: auditView(view(row)), after: null, at });
    await db.update(portfolios).set({ deletedAt: at, updatedAt: at }).where(eq(portfolios.id, portfolioId));
  });
  return { id: portfolioId, deleted: true };
}

/** The portfolio's audit trail, newest first, for its owner. */
export async function listAudit(deps: ServiceDeps, principal: Principal, portfolioId: string, o: { limit: number; before?: string | undefined }): Promise<{ entries: AuditEntry[]; next_before: string | null }> {
  await requireBookPortfolio(deps.db, principal, portfolioId);
  let before: { at: Date; id: string } | undefined;
  if (o.before !== undefined) {
    const [iso, id] = o.before.split('_');
    const at = new Date(iso ?? '');
    if (Number.isNaN(at.getTime()) || !id || !UUID_LIKE.test(id)) throw new AppError('VALIDATION', 'before must be the next_before cursor of a previous page', { details: { errors: [{ path: 'before', message: 'not a cursor from next_before' }] } });
    before = { at, id };
  }
  const rows = await auditEntries(deps.db, portfolioId, o.limit + 1, before);
  const page = rows.slice(0, o.limit);
  return {
    entries: page.map((r) => ({ id: r.id, at: r.at.toISOString(), user_id: r.userId, door: r.door, action: r.action, position_id: r.positionId, import_id: r.importId, before: r.before, after: r.after })),
    next_before: rows.length > o.limit ? `${page[page.length - 1]!.at.toISOString()}_${page[page.length - 1]!.id}` : null,
  };
}
