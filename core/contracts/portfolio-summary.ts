import { z } from '@hono/zod-openapi';

export const PortfolioSummarySchema = z
  .object({
    id: z.string().describe('portfolio id'),
    name: z.string().describe('portfolio name'),
    description: z.string().nullable().describe('free-text description'),
    currency: z.string().describe('reporting currency (ISO 4217)'),
    position_count: z.number().int().describe('open positions'),
    total_value: z.number().nullable().describe('signed market value of open positions, USD, priced as of priced_as_of; null when nothing could be priced'),
    priced_as_of: z.string().nullable().describe('date of the closes used for total_value (YYYY-MM-DD)'),
    unpriced_positions: z.number().int().describe('open positions with no usable price (excluded from total_value)'),
    latest_results_as_of: z.string().nullable().describe('as-of date of the latest stored batch results; null before the first run'),
    nav: z.number().nullable().describe('net asset value from the latest batch results, USD'),
    gross_exposure: z.number().nullable().describe('Σ|market value| from the latest batch results, USD'),
    net_exposure: z.number().nullable().describe('Σ signed market value from the latest batch results, USD'),
    created_at: z.string().describe('creation time (ISO 8601)'),
  })
  .openapi('PortfolioSummary');

export const ListUserPortfoliosInputSchema = z.object({}).openapi('ListUserPortfoliosInput');

export const ListUserPortfoliosOutputSchema = z
  .object({
    portfolios: z.array(PortfolioSummarySchema).describe("the caller's portfolios, oldest first; the first is the default for tools called without portfolio_id"),
    count: z.number().int().describe('number of portfolios'),
  })
  .openapi('UserPortfolios');
