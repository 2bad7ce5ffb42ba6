/**
 * Write contracts of the user's own book, shared by REST, MCP and the CLI: portfolios (create,
 * edit, delete), positions (add, edit, close, delete), the audit trail and holdings imports
 * (preview, then commit).
 */
import { z } from '@hono/zod-openapi';
import { ImportProblemSchema, IMPORT_FORMATS, ParsedPositionSchema, SkippedRowSchema } from '../imports/types.ts';
import { DateSchema, IdSchema, text } from './common.ts';

const TICKER = /^[A-Z0-9][A-Z0-9.^_-]{0,14}$/;
const tickerish = text().trim().min(1, 'give a symbol').max(32);
const name = text().trim().min(1, 'must not be empty').max(120);
const longText = text().max(2000);
const money = z.number().finite();

export const BenchmarkSchema = text()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(text().regex(TICKER, 'a ticker of 1–15 characters A–Z, 0–9, . ^ _ -'))
  .describe('benchmark ticker, e.g. SPY');

export const PortfolioCreateSchema = z
  .object({
    name: name.describe('portfolio name'),
    description: longText.nullish().describe('free text'),
    opening_equity: money.min(0).max(1e13).default(0).describe('opening equity (cash before any position is bought), USD; cash = opening equity − signed cost basis of open positions + realised P&L of closed ones'),
    benchmark: BenchmarkSchema.default('SPY'),
  })
  .strict()
  .openapi('PortfolioCreate');
export type PortfolioCreate = z.infer<typeof PortfolioCreateSchema>;

export const PortfolioUpdateSchema = z
  .object({
    name: name.optional(),
    description: longText.nullable().optional(),
    opening_equity: money.min(0).max(1e13).optional(),
    benchmark: BenchmarkSchema.optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'give at least one field to change')
  .openapi('PortfolioUpdate');
export type PortfolioUpdate = z.infer<typeof PortfolioUpdateSchema>;

export const PortfolioSchema = z
  .object({
    id: text(),
    name: text(),
    description: text().nullable(),
    currency: text(),
    opening_equity: z.number(),
    benchmark: text(),
    open_positions: z.number().int(),
    closed_positions: z.number().int(),
    created_at: text(),
    updated_at: text(),
    book_changed_at: text().nullable().describe('last change to the book; stored results older than this are stale'),
  })
  .openapi('Portfolio');
export type Portfolio = z.infer<typeof PortfolioSchema>;

export const ConfirmQuerySchema = z.object({
  confirm: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('must be true: deleting cannot be undone from the API'),
});

const side = z.enum(['long', 'short']).describe('long or short');
const right = z.enum(['call', 'put']);

export const PositionCreateSchema = z
  .object({
    symbol: tickerish.optional().describe('ticker (AAPL, or a share class such as XYZ.B) or OCC option symbol (AAPL270115C00200000); leave out for an option given by underlying/strike/expiry/right'),
    asset_type: z.enum(['stock', 'etf', 'mutual_fund', 'option']).optional().describe('default: option for an OCC symbol, else from the security master, else stock'),
    side: side.default('long'),
    quantity: z.number().finite().positive().max(1e12).describe('shares, fund units or option contracts (> 0; the direction is in side)'),
    entry_price: z.number().finite().min(0).max(1e9).describe('price paid per share; for an option the premium per underlying share'),
    entry_date: DateSchema.optional().describe('default: today'),
    underlying: tickerish.optional().describe('option by parts: underlying ticker'),
    strike: z.number().finite().positive().max(99_999.999).optional(),
    expiry: DateSchema.optional().describe('option by parts: expiration date'),
    right: right.optional(),
    multiplier: z.number().int().positive().max(10_000).optional().describe('default 100 for options, 1 otherwise'),
    tags: z.array(text().trim().min(1).max(40)).max(20).optional(),
    notes: longText.nullish(),
  })
  .strict()
  .openapi('PositionCreate');
export type PositionCreate = z.infer<typeof PositionCreateSchema>;

export const PositionUpdateSchema = z
  .object({
    quantity: z.number().finite().positive().max(1e12).optional(),
    side: side.optional(),
    entry_price: z.number().finite().min(0).max(1e9).optional(),
    entry_date: DateSchema.optional(),
    tags: z.array(text().trim().min(1).max(40)).max(20).optional(),
    notes: longText.nullable().optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'give at least one field to change')
  .openapi('PositionUpdate');
export type PositionUpdate = z.infer<typeof PositionUpdateSchema>;

export const PositionCloseSchema = z
  .object({
    exit_price: z.number().finite().min(0).max(1e9).describe('price per share (option: premium per underlying share) at which the position was closed'),
    exit_date: DateSchema.optional().describe('default: today; on or after the entry date'),
  })
  .strict()
  .openapi('PositionClose');
export type PositionClose = z.infer<typeof PositionCloseSchema>;

export const PositionSchema = z
  .object({
    id: text(),
    portfolio_id: text(),
    symbol: text(),
    asset_type: z.enum(['stock', 'etf', 'mutual_fund', 'index', 'option']),
    position_type: z.enum(['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP']),
    side: side,
    quantity: z.number().describe('signed: > 0 long, < 0 short'),
    entry_price: z.number(),
    entry_date: text(),
    exit_price: z.number().nullable(),
    exit_date: text().nullable(),
    realized_pnl: z.number().nullable().describe('(exit − entry) × signed quantity × multiplier, USD; null while open'),
    multiplier: z.number().int(),
    underlying: text().nullable(),
    strike: z.number().nullable(),
    expiry: text().nullable(),
    right: right.nullable(),
    proxy_symbol: text().nullable(),
    tags: z.array(text()),
    notes: text().nullable(),
    missing_history: z.boolean().describe('no stored price history for the symbol (or its underlying/proxy): analytics that need it leave it out and say so'),
    created_at: text(),
    updated_at: text(),
  })
  .openapi('Position');
export type Position = z.infer<typeof PositionSchema>;

export const PositionListQuerySchema = z.object({
  include_closed: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('include closed positions'),
});

export const PositionIdParams = z.object({
  portfolio_id: IdSchema.openapi({ param: { name: 'portfolio_id', in: 'path' } }),
  position_id: IdSchema.openapi({ param: { name: 'position_id', in: 'path' } }),
});

export const PositionWriteResultSchema = z
  .object({ position: PositionSchema, audit_id: text(), recompute: text().describe('queued | not_needed') })
  .openapi('PositionWriteResult');
export type PositionWriteResult = z.infer<typeof PositionWriteResultSchema>;

export const AuditEntrySchema = z
  .object({
    id: text(),
    at: text(),
    user_id: text().nullable(),
    door: z.enum(['rest', 'mcp', 'cli', 'agent']),
    action: text(),
    position_id: text().nullable(),
    import_id: text().nullable(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditEntry');
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: text().max(80).optional().describe('next_before of the previous page: the entries after it (paging)'),
});

export const AuditListSchema = z.object({ entries: z.array(AuditEntrySchema), next_before: text().nullable() }).openapi('AuditList');

export const IMPORT_MODES = ['merge', 'replace'] as const;

export const ImportRowOutcomeSchema = z
  .object({
    line: z.number().int(),
    position: ParsedPositionSchema,
    action: z.enum(['create', 'update', 'unchanged']).describe('what committing does with this row in merge mode'),
    position_id: text().nullable().describe('existing position the row matches (same symbol and entry date)'),
    missing_history: z.boolean(),
    warnings: z.array(text()),
  })
  .openapi('ImportRowOutcome');

export const ImportPreviewSchema = z
  .object({
    import_id: text(),
    portfolio_id: text(),
    format: z.enum(IMPORT_FORMATS).nullable(),
    delimiter: text(),
    content_hash: text(),
    rows: z.array(ImportRowOutcomeSchema),
    skipped: z.array(SkippedRowSchema),
    problems: z.array(ImportProblemSchema),
    summary: z.object({
      rows: z.number().int(), problems: z.number().int(), create: z.number().int(), update: z.number().int(), unchanged: z.number().int(),
      close_on_replace: z.number().int().describe('open positions not in the file, closed by a replace commit'),
      missing_history: z.number().int(),
    }),
    committable: z.boolean().describe('false while there are problems: fix the file and preview again'),
    status: z.enum(['previewed', 'committed', 'discarded']),
  })
  .openapi('ImportPreview');
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const ImportCommitSchema = z
  .object({ mode: z.enum(IMPORT_MODES).default('merge').describe('merge: add and update; replace: also close open positions the file does not list') })
  .strict()
  .openapi('ImportCommit');

export const ImportCommitResultSchema = z
  .object({
    import_id: text(), portfolio_id: text(), mode: z.enum(IMPORT_MODES),
    created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), closed: z.number().int(),
    already_committed: z.boolean().describe('true when this preview (or the same content) was committed before: nothing was written'),
    recompute: text(),
  })
  .openapi('ImportCommitResult');
export type ImportCommitResult = z.infer<typeof ImportCommitResultSchema>;

export const ImportIdParams = z.object({
  portfolio_id: IdSchema.openapi({ param: { name: 'portfolio_id', in: 'path' } }),
  import_id: IdSchema.openapi({ param: { name: 'import_id', in: 'path' } }),
});
