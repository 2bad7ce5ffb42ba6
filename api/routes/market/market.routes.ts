/** Market-data and data-quality routes (api.md §5.3, §7); query strings coerced here, then the service's own contract validates. */
import { createRoute, z } from '@hono/zod-openapi';
import { DateSchema, PortfolioIdParams, QueryBool, text } from '../../../core/contracts/common.ts';
import { DataQualitySchema, FactorEtfPricesSchema, HistoricalPricesSchema, QuotesSchema } from '../../../core/contracts/market-data.ts';
import { ok, problems, SECURED } from '../responses.ts';

const base = { method: 'get' as const, tags: ['Market data'], security: SECURED };
const errors = problems(401, 404, 422, 429);

export const dataQualityRoute = createRoute({
  ...base,
  path: '/api/v1/data/portfolio/{portfolio_id}/data-quality',
  summary: 'History coverage per holding and which calculations are feasible',
  request: {
    params: PortfolioIdParams,
    query: z.object({
      check_factors: QueryBool(true).describe('include factor-ETF coverage'),
      check_correlations: QueryBool(true).describe('accepted for compatibility; correlation feasibility is always reported'),
      as_of_date: DateSchema.optional().describe('assessment date (default: latest trading day with prices)'),
    }),
  },
  responses: { ...ok(DataQualitySchema, 'Data quality'), ...errors },
});

export const historicalRoute = createRoute({
  ...base,
  path: '/api/v1/data/prices/historical/{portfolio_id}',
  summary: 'Daily bars of the holdings (and factor ETFs)',
  request: {
    params: PortfolioIdParams,
    query: z.object({
      lookback_days: z.coerce.number().int().min(1).max(365).default(150).describe('calendar days back (1–365)'),
      include_factor_etfs: QueryBool(true).describe('add the factor ETFs'),
      date_format: z.enum(['iso', 'unix']).default('iso').describe('iso dates or epoch seconds'),
      symbols: text().max(2000).optional().describe('comma-separated symbols to keep'),
      max_symbols: z.coerce.number().int().min(1).max(100).optional().describe('largest holdings to keep'),
      as_of_date: DateSchema.optional().describe('end date'),
    }),
  },
  responses: { ...ok(HistoricalPricesSchema, 'Price history'), ...errors },
});

export const quotesRoute = createRoute({
  ...base,
  path: '/api/v1/data/prices/quotes',
  summary: 'Latest stored close per symbol with the day change',
  request: {
    query: z.object({
      symbols: text().min(1).max(2000).describe('comma-separated tickers (≤ 25 kept)'),
      include_options: QueryBool(false).describe('accepted for compatibility; ignored'),
      max_symbols: z.coerce.number().int().min(1).max(25).default(25).describe('symbols kept, in order'),
    }),
  },
  responses: { ...ok(QuotesSchema, 'Quotes'), ...problems(401, 422, 429) },
});

export const etfPricesRoute = createRoute({
  ...base,
  path: '/api/v1/data/factors/etf-prices',
  summary: 'Latest prices of the factor ETFs (with history when lookback_days is given)',
  request: {
    query: z.object({
      factors: text().max(2000).optional().describe('comma-separated factor names (case-insensitive) or ETF tickers'),
      lookback_days: z.coerce.number().int().min(1).max(365).optional().describe('add a history of this many calendar days'),
    }),
  },
  responses: { ...ok(FactorEtfPricesSchema, 'Factor ETF prices'), ...problems(401, 422, 429) },
});
