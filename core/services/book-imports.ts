/**
 * Holdings-file imports: a preview first (every row understood, what it becomes, every problem
 * with its line and column), kept until the user commits it. The commit compares the file with
 * the book again inside one transaction and writes all of it or nothing: `merge` adds and updates,
 * `replace` also closes the open positions the file no longer lists (at the latest price).
 * Re-importing the same file finds every row unchanged and writes nothing.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { bookPositions, insertAuditBulk, ownedImport, insertPositionsBulk, recordChange, replaceTagsBulk, type ChangeRecord, securityTypes, symbolsWithHistory, tagsOf, type PositionRow } from '../../db/queries/book.ts';
import { holdingsImports, positions } from '../../db/schema/index.ts';
import type { ImportCommitResult, ImportPreview } from '../contracts/book.ts';
import { AppError, notFound } from '../errors.ts';
import { ImportTooLargeError, parseHoldingsFile, type ParsedPosition, type ParsedRow, type Problem } from '../imports/index.ts';
import { pricingDate, valuePositions } from './book.ts';
import { requireBookPortfolio, rowValues, type BookDeps, type Writer } from './book-positions.ts';
import { UUID_LIKE, type Principal } from './context.ts';
import { today } from './positions.ts';

export interface ImportInput {
  text: string;
  filename?: string | null | undefined;
}

type Dated = ParsedPosition & { entry_date: string };
type Plan = { line: number; position: Dated; action: 'create' | 'update' | 'unchanged'; match: PositionRow | null; warnings: string[] };

/** Decimals the book stores quantities and prices with (numeric(20, 6)). */
const STORED_DECIMALS = 6;
/** A value as the book stores it, so a file's 1000 / 7 compares equal to the stored 142.857143 on re-import. */
const stored = (x: number): number => Number(x.toFixed(STORED_DECIMALS));
const sameNumber = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const signed = (p: ParsedPosition): number => (p.side === 'short' ? -p.quantity : p.quantity);
const sameTags = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().every((t, i) => t === [...b].sort()[i]);

function unchanged(p: Dated, row: PositionRow, rowTags: readonly string[]): boolean {
  return row.exitDate === null && sameNumber(row.quantity, signed(p)) && sameNumber(row.entryPrice, p.entry_price) && row.multiplier === p.multiplier && (row.notes ?? null) === (p.notes ?? null) && sameTags(rowTags, p.tags);
}

/**
 * What each parsed row does to the book: match by symbol and entry date (or the one open lot of
 * the symbol when the file has no date). The book keeps one position per symbol and entry date,
 * so a second row landing on the same pair (long and short of one symbol, or two undated rows)
 * is a problem of the file, not a row to write.
 */
async function plan(db: Db, portfolioId: string, rows: readonly ParsedRow[], todayIso: string): Promise<{ plans: Plan[]; problems: Problem[]; closeOnReplace: PositionRow[] }> {
  const book = await bookPositions(db, portfolioId, true);
  const tagMap = await tagsOf(db, book.map((b) => b.id));
  const byKey = new Map(book.map((b) => [`${b.symbol}|${b.entryDate}`, b]));
  const openBySymbol = new Map<string, PositionRow[]>();
  for (const b of book) if (b.exitDate === null) openBySymbol.set(b.symbol, [...(openBySymbol.get(b.symbol) ?? []), b]);
  const used = new Set<string>();
  const firstLine = new Map<string, Plan>();
  const plans: Plan[] = [];
  const problems: Problem[] = [];
  for (const r of rows) {
    const warnings = [...r.warnings];
    let match: PositionRow | null = null;
    let entryDate = r.position.entry_date;
    if (entryDate === null) {
      const lots = openBySymbol.get(r.position.symbol) ?? [];
      if (lots.length === 1) {
        match = lots[0]!;
        entryDate = match.entryDate;
        warnings.push(`no entry date in the file: matched the open ${r.position.symbol} position entered on ${entryDate}`);
      } else {
        entryDate = todayIso;
        match = byKey.get(`${r.position.symbol}|${todayIso}`) ?? null;
        warnings.push(lots.length > 1 ? `no entry date in the file and ${lots.length} open ${r.position.symbol} lots: added as a new lot dated today (${todayIso})` : `no entry date in the file: dated today (${todayIso})`);
      }
    } else match = byKey.get(`${r.position.symbol}|${entryDate}`) ?? null;
    const position: Dated = { ...r.position, quantity: stored(r.position.quantity), entry_price: stored(r.position.entry_price), entry_date: entryDate };
    const key = `${position.symbol}|${entryDate}`;
    const first = firstLine.get(key);
    if (first) {
      problems.push({
        line: r.line, column: null, code: 'duplicate',
        message: `${position.symbol} ${position.side} with entry date ${entryDate}${r.position.entry_date === null ? ' (the file gives none)' : ''} lands on the same position as line ${first.line} (${first.position.side}): a portfolio holds one position per symbol and entry date; combine the rows or give one of them another entry date`,
      });
      continue;
    }
    if (entryDate > todayIso) {
      problems.push({ line: r.line, column: null, code: 'bad_date', message: `entry date ${entryDate} of ${position.symbol} is in the future; give a date on or before ${todayIso}` });
      continue;
    }
    if (match) used.add(match.id);
    if (match?.exitDate) warnings.push(`reopens the ${position.symbol} position entered on ${entryDate} and closed on ${match.exitDate}`);
    const action = match === null ? 'create' : unchanged(position, match, tagMap.get(match.id) ?? []) ? 'unchanged' : 'update';
    const p: Plan = { line: r.line, position, action, match, warnings };
    firstLine.set(key, p);
    plans.push(p);
  }
  return { plans, problems, closeOnReplace: book.filter((b) => b.exitDate === null && !used.has(b.id)) };
}

/** Reads a holdings file against the portfolio and keeps the preview; nothing in the book changes. */
export async function previewImport(deps: BookDeps, w: Writer, portfolioId: string, input: ImportInput): Promise<ImportPreview> {
  await requireBookPortfolio(deps.db, w.principal, portfolioId);
  let parsed;
  try {
    parsed = parseHoldingsFile(input.text);
  } catch (e) {
    if (e instanceof ImportTooLargeError) throw new AppError('TOO_LARGE', e.message, { details: { rows: e.rows, limit: e.limit } });
    throw e;
  }
  const todayIso = today(deps);
  const { plans, problems: bookProblems, closeOnReplace } = await plan(deps.db, portfolioId, parsed.rows, todayIso);
  const problems = [...parsed.problems, ...bookProblems].sort((a, b) => a.line - b.line);
  const security = await securityTypes(deps.db, plans.map((p) => p.position.symbol));
  const historyOf = (p: Dated) => p.underlying ?? security.get(p.symbol)?.proxy ?? p.symbol;
  const history = await symbolsWithHistory(deps.db, plans.map((p) => historyOf(p.position)));
  const rows = plans.map((p) => {
    const missing = !history.has(historyOf(p.position));
    return {
      line: p.line, position: p.position, action: p.action, position_id: p.match?.id ?? null, missing_history: missing,
      warnings: missing ? [...p.warnings, `no stored price history for ${historyOf(p.position)}: accepted, flagged missing_history; analytics that need it leave it out until its prices are loaded`] : p.warnings,
    };
  });
  const count = (a: Plan['action']) => rows.filter((r) => r.action === a).length;
  const body = {
    portfolio_id: portfolioId, format: parsed.format, delimiter: parsed.delimiter, content_hash: parsed.content_hash,
    rows, skipped: parsed.skipped, problems,
    summary: { rows: rows.length, problems: problems.length, create: count('create'), update: count('update'), unchanged: count('unchanged'), close_on_replace: closeOnReplace.length, missing_history: rows.filter((r) => r.missing_history).length },
    committable: problems.length === 0 && rows.length > 0,
  };
  const [row] = await deps.db
    .insert(holdingsImports)
    .values({ portfolioId, userId: w.principal.userId, door: w.door, format: parsed.format ?? 'unknown', filename: input.filename ?? null, contentHash: parsed.content_hash, rowCount: rows.length, problemCount: problems.length, preview: body, createdAt: deps.clock() })
    .returning({ id: holdingsImports.id });
  return { import_id: row!.id, ...body, status: 'previewed' };
}

/** The owner's import of the portfolio or NOT_FOUND; `lock` holds it until the transaction ends (one commit at a time). */
async function requireImport(db: Db, principal: Principal, portfolioId: string, importId: string, lock = false) {
  const row = UUID_LIKE.test(importId) ? await ownedImport(db, principal.userId, portfolioId, importId, lock) : undefined;
  if (!row) throw notFound('import', importId);
  return row;
}

/** The stored preview of an import. */
export async function getImport(deps: BookDeps, principal: Principal, portfolioId: string, importId: string): Promise<ImportPreview> {
  await requireBookPortfolio(deps.db, principal, portfolioId);
  const row = await requireImport(deps.db, principal, portfolioId, importId);
  return { import_id: row.id, ...(row.preview as Omit<ImportPreview, 'import_id' | 'status'>), status: row.status };
}

type Snapshotted = Pick<PositionRow, 'symbol' | 'positionType' | 'quantity' | 'entryPrice' | 'entryDate' | 'exitPrice' | 'exitDate' | 'multiplier' | 'notes'>;
const snapshot = (r: Snapshotted, t: readonly string[]): Record<string, unknown> => ({
  symbol: r.symbol, position_type: r.positionType, quantity: r.quantity, entry_price: r.entryPrice, entry_date: r.entryDate,
  exit_price: r.exitPrice, exit_date: r.exitDate, multiplier: r.multiplier, tags: t, notes: r.notes,
});

/**
 * Commits a preview in one transaction: all rows or none. A preview with problems is refused;
 * one already committed answers its earlier result and writes nothing.
 */
export async function commitImport(deps: BookDeps, w: Writer, portfolioId: string, importId: string, mode: 'merge' | 'replace'): Promise<ImportCommitResult> {
  const at = deps.clock();
  const todayIso = today(deps);
  const out = await deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    await requireBookPortfolio(db, w.principal, portfolioId);
    // a second commit of the same preview waits here, then answers already_committed
    const imp = await requireImport(db, w.principal, portfolioId, importId, true);
    const base = { import_id: importId, portfolio_id: portfolioId, mode };
    if (imp.status === 'committed') {
      const r = imp.result ?? {};
      return { ...base, mode: (imp.mode as 'merge' | 'replace' | null) ?? mode, created: r['created'] ?? 0, updated: r['updated'] ?? 0, unchanged: r['unchanged'] ?? 0, closed: r['closed'] ?? 0, already_committed: true, changed: false };
    }
    const preview = imp.preview as unknown as ImportPreview;
    if (preview.problems.length) throw new AppError('UNPROCESSABLE', `the file has ${preview.problems.length} problem(s) (first on line ${preview.problems[0]!.line}): fix them and preview again; nothing was written`, { details: { problems: preview.problems.slice(0, 50) } });
    if (!preview.rows.length) throw new AppError('UNPROCESSABLE', 'the file lists no positions; nothing was written');
    // the book may have changed since the preview: compare again inside the transaction
    const rows: ParsedRow[] = preview.rows.map((r) => ({ line: r.line, position: r.position, warnings: [] }));
    const { plans, problems, closeOnReplace } = await plan(db, portfolioId, rows, todayIso);
    if (problems.length) throw new AppError('UNPROCESSABLE', `${problems[0]!.message}; preview the file again; nothing was written`);
    const creates = plans.filter((p) => p.action === 'create');
    const updates = plans.filter((p) => p.action === 'update');
    const security = await securityTypes(db, creates.map((p) => p.position.symbol));
    const audit: Omit<ChangeRecord, 'stale' | 'at'>[] = [];
    const tagWrites = new Map<string, readonly string[]>();
    const entry = (action: string, positionId: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null) =>
      audit.push({ portfolioId, userId: w.principal.userId, door: w.door, action, positionId, importId, before, after });

    const values = creates.map((p) => rowValues(portfolioId, p.position, security.get(p.position.symbol)));
    const ids = await insertPositionsBulk(db, portfolioId, values, at);
    if (ids.size !== creates.length) throw new AppError('CONFLICT', 'a position of the file was added to the portfolio meanwhile; preview the file again; nothing was written');
    creates.forEach((p, i) => {
      const v = values[i]!;
      const id = ids.get(`${v.symbol}|${v.entryDate}`)!;
      tagWrites.set(id, p.position.tags);
      entry('position.add', id, null, snapshot({ ...v, exitPrice: null, exitDate: null }, p.position.tags));
    });
    const oldTags = await tagsOf(db, updates.map((p) => p.match!.id));
    for (const p of updates) {
      const m = p.match!;
      const v = rowValues(portfolioId, p.position, undefined);
      const [row] = await db
        .update(positions)
        .set({ quantity: v.quantity, positionType: v.positionType, entryPrice: v.entryPrice, multiplier: v.multiplier, notes: v.notes, exitDate: null, exitPrice: null, updatedAt: at })
        .where(eq(positions.id, m.id))
        .returning();
      tagWrites.set(m.id, p.position.tags);
      entry('position.update', m.id, snapshot(m, oldTags.get(m.id) ?? []), snapshot(row!, p.position.tags));
    }
    let closed = 0;
    if (mode === 'replace' && closeOnReplace.length) {
      // at the latest stored close (the book's pricing date), which may be days or months before today
      const valued = await valuePositions(db, closeOnReplace, (await pricingDate(db, todayIso)) ?? todayIso);
      const unpriced = valued.filter((v) => v.row.current_price === null).map((v) => v.record.symbol);
      if (unpriced.length) throw new AppError('UNPROCESSABLE', `replace would close ${unpriced.join(', ')} but no price is stored for ${unpriced.length === 1 ? 'it' : 'them'}: close ${unpriced.length === 1 ? 'it' : 'them'} by hand with an exit price, or commit with mode merge; nothing was written`);
      const closeTags = await tagsOf(db, closeOnReplace.map((r) => r.id));
      for (const v of valued) {
        const [row] = await db.update(positions).set({ exitDate: todayIso, exitPrice: v.row.current_price!, updatedAt: at }).where(eq(positions.id, v.record.id)).returning();
        entry('position.close', v.record.id, snapshot(v.record, closeTags.get(v.record.id) ?? []), snapshot(row!, closeTags.get(v.record.id) ?? []));
        closed++;
      }
    }
    await replaceTagsBulk(db, w.principal.userId, tagWrites);
    await insertAuditBulk(db, audit, at);
    const result = { created: creates.length, updated: updates.length, unchanged: plans.length - creates.length - updates.length, closed };
    const changed = creates.length + updates.length + closed > 0;
    if (changed) await recordChange(db, { portfolioId, userId: w.principal.userId, door: w.door, action: 'import.commit', importId, before: null, after: { format: imp.format, filename: imp.filename, content_hash: imp.contentHash, mode, ...result }, at });
    await db.update(holdingsImports).set({ status: 'committed', mode, result, committedAt: at }).where(eq(holdingsImports.id, importId));
    return { ...base, ...result, already_committed: false, changed };
  });
  const { changed, ...body } = out;
  if (changed) deps.recompute?.(portfolioId);
  return { ...body, recompute: changed && deps.recompute ? 'queued' : 'not_needed' };
}

