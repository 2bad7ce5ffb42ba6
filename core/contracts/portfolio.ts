/** Portfolio and position read contracts (api.md §5.1, §5.2, §6.1, §6.2 and the seed-guide positions route). */
import { z } from '@hono/zod-openapi';
import { DataQualityFlagsSchema, DateSchema, IdSchema, QueryBool, text } from './common.ts';

const money = (d: string) => z.number().describe(`${d}, USD`);

export const PortfolioListItemSchema = z
  .object({
    id: text().describe('portfolio id'),
    name: text().describe('portfolio name'),
    total_value: money('equity: cash plus signed market value of open positions (latest close by date, ×100 for options)'),
    created_at: text().nullable().describe('UTC ISO-8601'),
    updated_at: text().nullable().describe('UTC ISO-8601'),
    position_count: z.number().int().describe('open positions'),
  })
  .openapi('PortfolioListItem');
export const PortfolioListSchema = z.array(PortfolioListItemSchema).openapi('PortfolioList');
export type PortfolioListItem = z.infer<typeof PortfolioListItemSchema>;

export const PositionRowSchema = z
  .object({
    id: text().describe('position id'),
    portfolio_id: text().describe('owning portfolio'),
    symbol: text().describe('ticker or OCC option symbol'),
    position_type: z.enum(['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP']).describe('LONG/SHORT holdings, LC/LP/SC/SP options'),
    quantity: z.number().describe('signed shares or contracts'),
    entry_date: text().nullable().describe('YYYY-MM-DD'),
    entry_price: z.number().describe('per share or per option unit, USD'),
    cost_basis: money('quantity × entry price × multiplier (signed)'),
    current_price: z.number().nullable().describe('latest price on or before the as-of date (exit price for closed positions); null when unpriced'),
    market_value: z.number().nullable().describe('signed quantity × price × multiplier, USD; null when unpriced'),
    unrealized_pnl: z.number().nullable().describe('(current − entry) × quantity × multiplier, USD'),
    unrealized_pnl_percent: z.number().nullable().describe('unrealized P&L / |cost basis|, percent points'),
    price_date: text().nullable().describe('date of the close behind current_price'),
    price_source: z.enum(['market', 'proxy', 'model', 'intrinsic', 'exit']).nullable().describe('how the price was obtained'),
    is_stale: z.boolean().describe('close older than 3 trading days'),
    is_closed: z.boolean().describe('true for a position with an exit date on or before the as-of date'),
    flags: z.array(text()).describe('pricing notes, e.g. proxied_by_AGG, priced_by_model'),
  })
  .openapi('PositionRow');
export type PositionRow = z.infer<typeof PositionRowSchema>;

export const PositionsDetailsSchema = z
  .object({
    positions: z.array(PositionRowSchema),
    summary: z.object({
      total_positions: z.number().int().describe('rows matched (before the 200-row cap)'),
      total_cost_basis: money('Σ cost basis of returned rows'),
      total_market_value: money('Σ market value of returned rows'),
      total_unrealized_pnl: money('Σ unrealized P&L of returned rows'),
    }),
    meta: z.object({
      as_of: text().nullable().describe('pricing date (latest trading day with data)'),
      truncated: z.boolean().describe('true when more than 200 rows matched'),
      max_rows: z.number().int().describe('row cap (200)'),
      data_quality: DataQualityFlagsSchema,
    }),
  })
  .openapi('PositionsDetails');
export type PositionsDetails = z.infer<typeof PositionsDetailsSchema>;

export const PositionsDetailsQuerySchema = z.object({
  portfolio_id: IdSchema.optional().describe('portfolio to list (or give position_ids)'),
  position_ids: text()
    .max(8000)
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(IdSchema).min(1).max(200))
    .optional()
    .describe('comma-separated position ids (your own only)'),
  include_closed: QueryBool(false).describe('include positions with an exit date'),
});

export const CompleteQuerySchema = z.object({
  include_holdings: QueryBool(true).describe('include the holdings array'),
  include_timeseries: QueryBool(false).describe('include the stored daily equity series (portfolio snapshots)'),
  include_attrib: QueryBool(false).describe('include top contributors and detractors by unrealized P&L'),
  as_of_date: DateSchema.optional().describe('value the book as of this date (at most 180 days back)'),
});

export const HoldingSchema = z.object({
  id: text(),
  symbol: text(),
  quantity: z.number(),
  position_type: text(),
  market_value: z.number().nullable().describe('signed, USD'),
  last_price: z.number().nullable(),
  has_complete_history: z.boolean().describe('≥ 150 trading days of closes (own or proxy) up to the as-of date'),
});

export const PortfolioCompleteSchema = z
  .object({
    meta: z.object({
      as_of: text(),
      requested: z.object({ portfolio_id: text(), include_holdings: z.boolean(), include_timeseries: z.boolean(), include_attrib: z.boolean(), as_of_date: text().nullable() }),
      applied: z.object({ include_holdings: z.boolean(), include_timeseries: z.boolean(), include_attrib: z.boolean(), as_of_date: text().nullable() }),
      limits: z.object({ max_positions: z.number().int(), max_days: z.number().int(), max_symbols: z.number().int().nullable() }),
      rows_returned: z.number().int(),
      truncated: z.boolean(),
      schema_version: text(),
    }),
    portfolio: z.object({
      id: text(),
      name: text(),
      total_value: money('cash + Σ signed market value'),
      cash_balance: money('opening equity − Σ signed cost basis of positions entered + Σ signed exit proceeds of positions closed (open positions at cost, realised P&L kept)'),
      position_count: z.number().int(),
      as_of: text(),
    }),
    positions_summary: z.object({ long_count: z.number().int(), short_count: z.number().int(), option_count: z.number().int(), total_market_value: money('Σ signed market value') }),
    holdings: z.array(HoldingSchema).optional(),
    timeseries: z.object({ dates: z.array(text()), values: z.array(z.number()), note: text() }).optional(),
    attribution: z
      .object({
        contributors: z.array(z.object({ symbol: text(), unrealized_pnl: z.number() })),
        detractors: z.array(z.object({ symbol: text(), unrealized_pnl: z.number() })),
        note: text(),
      })
      .optional(),
    data_quality: z.object({ complete_data_positions: z.number().int(), partial_data_positions: z.number().int(), as_of: text(), flags: DataQualityFlagsSchema }),
  })
  .openapi('PortfolioComplete');
export type PortfolioComplete = z.infer<typeof PortfolioCompleteSchema>;

export const TopPositionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20).describe('rows, 1–50'),
  sort_by: z.enum(['market_value', 'weight']).default('market_value').describe('sort key (both sort by gross value)'),
  as_of_date: DateSchema.optional().describe('value as of this date (clamped to at most 180 days back)'),
});

export const TopPositionsSchema = z
  .object({
    meta: z.object({
      as_of: text(),
      requested: z.object({ portfolio_id: text(), limit: z.number().int(), sort_by: text(), as_of_date: text().nullable() }),
      applied: z.object({ limit: z.number().int(), sort_by: text(), as_of_date: text() }),
      limits: z.object({ max_limit: z.number().int(), max_lookback_days: z.number().int() }),
      rows_returned: z.number().int(),
      truncated: z.boolean(),
      schema_version: text(),
    }),
    data: z.array(
      z.object({
        symbol: text(),
        name: text().describe('security name (the symbol when unknown)'),
        qty: z.number(),
        value: z.number().describe('gross value |q × price × multiplier|, USD, 2 dp'),
        weight: z.number().describe('share of gross value, percent, 4 dp'),
        sector: text().nullable(),
      }),
    ),
    coverage_percent: z.number().describe('share of gross value covered by the returned rows, percent, 2 dp'),
    total_positions: z.number().int(),
  })
  .openapi('TopPositions');
export type TopPositions = z.infer<typeof TopPositionsSchema>;
