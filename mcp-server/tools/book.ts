/**
 * Tools that change the user's own book: create a portfolio, add, edit, close and delete
 * positions, preview and commit a holdings file, and read the audit trail. Every write carries
 * truthful annotations and APPROVAL_META, so the chat agent runs it only after the user approved
 * the exact change; the change is audited with the door (mcp, or agent for the chat).
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import {
  AuditListSchema, ImportCommitResultSchema, ImportPreviewSchema, PortfolioCreateSchema, PortfolioSchema, PositionCloseSchema,
  PositionCreateSchema, PositionSchema, PositionUpdateSchema, PositionWriteResultSchema,
} from '../../core/contracts/book.ts';
import { IdSchema, text } from '../../core/contracts/common.ts';
import { commitImport, previewImport } from '../../core/services/book-imports.ts';
import { createPortfolio, listAudit } from '../../core/services/book-portfolios.ts';
import { addPosition, bookDepsOf, closePosition, deletePosition, listBookPositions, updatePosition, type BookDeps, type Writer } from '../../core/services/book-positions.ts';
import type { McpContext } from '../context.ts';
import { APPROVAL_META, BOOK_ADD, BOOK_CLOSE, BOOK_OVERWRITE, defineTool, READ_ONLY } from './define.ts';
import { flag, portfolioIdInput, portfolioOf, usd } from './inputs.ts';

const writer = (c: McpContext): Writer => ({ principal: c.principal, door: c.channel === 'agent' ? 'agent' : 'mcp' });
const bookDeps = (c: McpContext): BookDeps => bookDepsOf(c.deps, c.batch?.recompute);
const positionId = IdSchema.describe('position id (list_positions or get_positions_details give them)');
const describePosition = (p: z.infer<typeof PositionSchema>): string =>
  `${p.side} ${Math.abs(p.quantity)} ${p.symbol} at ${p.entry_price} (entered ${p.entry_date}${p.exit_date ? `, closed ${p.exit_date} at ${p.exit_price}, realised ${usd(p.realized_pnl)}` : ''})${p.missing_history ? ' — no stored price history: analytics leave it out until its prices are loaded' : ''}`;

const AddInput = PositionCreateSchema.extend({ portfolio_id: portfolioIdInput });
const UpdateInput = z.object({ portfolio_id: portfolioIdInput, position_id: positionId, changes: PositionUpdateSchema });
const CloseInput = PositionCloseSchema.extend({ portfolio_id: portfolioIdInput, position_id: positionId });
const DeleteInput = z.object({ portfolio_id: portfolioIdInput, position_id: positionId });
const PreviewInput = z.object({
  portfolio_id: portfolioIdInput,
  content: text().min(1).max(8 * 1024 * 1024).describe('the holdings file as text: SigmaSight CSV, IBKR Flex Query positions, Schwab or Fidelity positions CSV'),
  filename: text().max(255).nullish(),
});
const CommitInput = z.object({
  portfolio_id: portfolioIdInput,
  import_id: IdSchema.describe('import_id answered by preview_import'),
  mode: z.enum(['merge', 'replace']).nullish().transform((v) => v ?? 'merge').describe('merge (default): add and update; replace: also close open positions the file does not list'),
});

export function registerBookTools(server: McpServer, ctx: McpContext): void {
  defineTool(server, ctx, {
    name: 'list_positions', title: 'Positions of my book', annotations: READ_ONLY,
    description: 'Lists the positions of a portfolio as entered (symbol, side, quantity, entry price and date, tags, notes, exit for closed ones, missing_history flag), with their ids for edits.',
    input: z.object({ portfolio_id: portfolioIdInput, include_closed: flag(false, 'include closed positions') }),
    output: z.object({ positions: z.array(PositionSchema), count: z.number().int() }),
    run: async (i, c) => {
      const positions = await listBookPositions(c.deps, c.principal, await portfolioOf(c, i.portfolio_id), i.include_closed);
      return { positions, count: positions.length };
    },
    summary: (o) => (o.count ? `${o.count} position(s): ${o.positions.slice(0, 20).map(describePosition).join('; ')}${o.count > 20 ? '; …' : ''}.` : 'No positions.'),
  });

  defineTool(server, ctx, {
    name: 'create_portfolio', title: 'Create a portfolio', annotations: BOOK_ADD, meta: APPROVAL_META,
    description: 'Creates a new portfolio for the caller (name, optional description, opening equity in USD, benchmark ticker, default SPY). Only after the user asked for it.',
    input: PortfolioCreateSchema, output: PortfolioSchema,
    run: async (i, c) => createPortfolio(bookDeps(c), writer(c), i),
    summary: (o) => `Created portfolio ${o.name} (${o.id}), opening equity ${usd(o.opening_equity)}, benchmark ${o.benchmark}.`,
  });

  defineTool(server, ctx, {
    name: 'add_position', title: 'Add a position', annotations: BOOK_ADD, meta: APPROVAL_META,
    description: 'Adds a position: a stock, ETF or mutual fund by ticker, or an option by OCC symbol or by underlying/strike/expiry/right; long or short; quantity, entry price (per share; options: premium per share), entry date (default today), tags, notes. The portfolio is marked stale and recomputed.',
    input: AddInput, output: PositionWriteResultSchema,
    hints: { CONFLICT: 'a position with this symbol and entry date exists: call update_position on it, or give another entry_date' },
    run: async ({ portfolio_id, ...i }, c) => addPosition(bookDeps(c), writer(c), await portfolioOf(c, portfolio_id), i),
    summary: (o) => `Added ${describePosition(o.position)} (position ${o.position.id}); recompute ${o.recompute}.`,
  });

  defineTool(server, ctx, {
    name: 'update_position', title: 'Edit a position', annotations: BOOK_OVERWRITE, meta: APPROVAL_META,
    description: 'Changes quantity, side, entry price, entry date, tags or notes of a position. To sell part of a holding, reduce its quantity; to end it, use close_position.',
    input: UpdateInput, output: PositionWriteResultSchema,
    run: async (i, c) => updatePosition(bookDeps(c), writer(c), await portfolioOf(c, i.portfolio_id), i.position_id, i.changes),
    summary: (o) => `Updated: ${describePosition(o.position)}; recompute ${o.recompute}.`,
  });

  defineTool(server, ctx, {
    name: 'close_position', title: 'Close a position', annotations: BOOK_CLOSE, meta: APPROVAL_META,
    description: 'Closes an open position at an exit price (per share) and exit date (default today); realised P&L follows. The position stays in the history of earlier dates.',
    input: CloseInput, output: PositionWriteResultSchema,
    hints: { CONFLICT: 'the position is already closed' },
    run: async ({ portfolio_id, position_id, ...i }, c) => closePosition(bookDeps(c), writer(c), await portfolioOf(c, portfolio_id), position_id, i),
    summary: (o) => `Closed: ${describePosition(o.position)}; recompute ${o.recompute}.`,
  });

  defineTool(server, ctx, {
    name: 'delete_position', title: 'Delete a position', annotations: BOOK_OVERWRITE, meta: APPROVAL_META,
    description: 'Deletes a position entered by mistake; it leaves every date of the book. To end a real holding use close_position instead.',
    input: DeleteInput, output: PositionWriteResultSchema,
    run: async (i, c) => deletePosition(bookDeps(c), writer(c), await portfolioOf(c, i.portfolio_id), i.position_id),
    summary: (o) => `Deleted ${o.position.symbol} (position ${o.position.id}); recompute ${o.recompute}.`,
  });

  defineTool(server, ctx, {
    name: 'preview_import', title: 'Preview a holdings file', annotations: { ...BOOK_ADD, idempotentHint: true },
    description: 'Reads a holdings file against the portfolio without changing it: the rows understood, what each becomes (create, update, unchanged), and every problem with line, column and message. Returns an import_id for commit_import.',
    input: PreviewInput, output: ImportPreviewSchema,
    hints: { TOO_LARGE: 'the file has more than 10,000 rows: split it and preview each part' },
    run: async (i, c) => previewImport(bookDeps(c), writer(c), await portfolioOf(c, i.portfolio_id), { text: i.content, filename: i.filename }),
    summary: (o) => `Import ${o.import_id} (${o.format ?? 'unknown format'}): ${o.summary.rows} row(s) — ${o.summary.create} new, ${o.summary.update} changed, ${o.summary.unchanged} unchanged; ${o.summary.problems} problem(s)${o.problems.length ? `: ${o.problems.slice(0, 5).map((p) => `line ${p.line}${p.column ? ` (${p.column})` : ''}: ${p.message}`).join('; ')}` : ''}. ${o.committable ? 'Commit with commit_import after the user agrees.' : 'Not committable: fix the file first.'}`,
  });

  defineTool(server, ctx, {
    name: 'commit_import', title: 'Commit a holdings import', annotations: { ...BOOK_OVERWRITE, destructiveHint: true }, meta: APPROVAL_META,
    description: 'Writes a previewed import in one transaction, all or nothing: merge adds and updates; replace also closes open positions the file does not list. Committing the same import or the same file again writes nothing.',
    input: CommitInput, output: ImportCommitResultSchema,
    hints: { UNPROCESSABLE: 'the preview has problems: fix the file and call preview_import again', NOT_FOUND: 'call preview_import first; import ids belong to one portfolio' },
    run: async (i, c) => commitImport(bookDeps(c), writer(c), await portfolioOf(c, i.portfolio_id), i.import_id, i.mode),
    summary: (o) => (o.already_committed ? `Import ${o.import_id} was already committed; nothing written.` : `Committed import ${o.import_id} (${o.mode}): ${o.created} created, ${o.updated} updated, ${o.unchanged} unchanged, ${o.closed} closed; recompute ${o.recompute}.`),
  });

  defineTool(server, ctx, {
    name: 'get_portfolio_audit', title: 'Audit trail of a portfolio', annotations: READ_ONLY,
    description: 'Every change to the portfolio, newest first: when, who, which door (rest, mcp, cli, agent), the action and the position before and after.',
    input: z.object({ portfolio_id: portfolioIdInput, limit: z.number().int().min(1).max(200).nullish().transform((v) => v ?? 50) }),
    output: AuditListSchema,
    run: async (i, c) => listAudit(c.deps, c.principal, await portfolioOf(c, i.portfolio_id), { limit: i.limit }),
    summary: (o) => (o.entries.length ? `${o.entries.length} change(s), latest ${o.entries[0]!.action} at ${o.entries[0]!.at} via ${o.entries[0]!.door}.` : 'No changes recorded.'),
  });
}
