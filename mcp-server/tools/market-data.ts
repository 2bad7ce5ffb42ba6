/** Market-data tools: data quality, historical prices, quotes and factor ETF prices (agent.md §5.4). */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from '@hono/zod-openapi';
import {
  DataQualityInputSchema, DataQualitySchema, FactorEtfPricesInputSchema, FactorEtfPricesSchema, HistoricalPricesInputSchema, HistoricalPricesSchema, QuotesInputSchema, QuotesSchema,
} from '../../core/contracts/market-data.ts';
import { getPortfolioDataQuality } from '../../core/services/data-quality.ts';
import { getCurrentQuotes, getFactorEtfPrices, getHistoricalPrices } from '../../core/services/market-data.ts';
import { AppError } from '../../core/errors.ts';
import type { McpContext } from '../context.ts';
import { defineTool, READ_ONLY } from './define.ts';
import { listInput, portfolioIdInput, portfolioOf } from './inputs.ts';
import { text } from '../../core/contracts/common.ts';

const DataQualityInput = DataQualityInputSchema.extend({ portfolio_id: portfolioIdInput });

/** Model-sized history: at most 5 symbols (largest holdings unless named) over at most 180 calendar days. */
const HistoryInput = HistoricalPricesInputSchema.extend({
  portfolio_id: portfolioIdInput,
  lookback_days: z.number().int().min(1).max(180).nullable().default(90).describe('calendar days back from the as-of date (1–180, default 90)'),
  include_factor_etfs: z.boolean().nullable().default(false).describe('add the active factor ETFs (default false)'),
  max_symbols: z.number().int().min(1).max(5).nullable().default(5).describe('largest holdings by absolute market value when symbols is not given (1–5, default 5)'),
  symbols: listInput(text().max(200).nullable().default(null), 'symbols to return (at most 5): holdings or factor ETFs'),
});

const QuotesInput = QuotesInputSchema.extend({
  symbols: listInput(QuotesInputSchema.shape.symbols, 'tickers (upper-cased)'),
  max_symbols: z.number().int().min(1).max(5).nullable().default(5).describe('symbols kept, in the order given (≤ 5)'),
});

export function registerMarketDataTools(server: McpServer, ctx: McpContext): void {
  defineTool(server, ctx, {
    name: 'get_portfolio_data_quality', title: 'Data quality', annotations: READ_ONLY,
    description: 'Which analyses the stored price history supports: per-symbol trading-day coverage (full, limited, proxied, missing), feasibility of correlations, factor regression and volatility, factor-ETF coverage.',
    input: DataQualityInput, output: DataQualitySchema,
    run: async (i, c) => getPortfolioDataQuality(c.deps, c.principal, { ...i, portfolio_id: await portfolioOf(c, i.portfolio_id) }),
    summary: (o) => {
      const by = (s: string) => o.symbols.filter((x) => x.status === s).length;
      return `As of ${o.assessment_date}: ${o.summary.total_positions} positions, ${o.summary.data_coverage_percent.toFixed(0)}% with complete history; symbols full ${by('full')}, proxied ${by('proxied')}, limited ${by('limited')}, missing ${by('missing')}.`;
    },
  });

  defineTool(server, ctx, {
    name: 'get_prices_historical', title: 'Historical prices', annotations: READ_ONLY,
    description: "Daily OHLCV history of the portfolio's largest holdings (or the named symbols, at most 5), optionally with the factor ETFs, over up to 180 calendar days.",
    input: HistoryInput, output: HistoricalPricesSchema,
    hints: { VALIDATION: 'name at most 5 symbols and a lookback of at most 180 days' },
    run: async (i, c) => {
      const named = i.symbols ? i.symbols.split(',').filter((s) => s.trim()).length : 0;
      if (named > 5) throw new AppError('VALIDATION', `symbols: at most 5 symbols per call (got ${named})`);
      return getHistoricalPrices(c.deps, c.principal, { ...i, portfolio_id: await portfolioOf(c, i.portfolio_id), max_symbols: i.symbols ? null : i.max_symbols });
    },
    summary: (o) => `${o.metadata.symbols_returned} symbol(s), ${o.metadata.trading_days_included} trading days ${o.metadata.start_date}…${o.metadata.end_date}, ${o.metadata.total_data_points} closes.`,
  });

  defineTool(server, ctx, {
    name: 'get_current_quotes', title: 'Latest quotes', annotations: READ_ONLY,
    description: 'Latest stored close for up to 5 tickers with the change from the previous trading day; no bid/ask (daily data).',
    input: QuotesInput, output: QuotesSchema,
    run: async (i, c) => getCurrentQuotes(c.deps, c.principal, i),
    summary: (o) => o.quotes.map((q) => `${q.symbol} ${q.last_price.toFixed(2)} (${q.day_change_percent == null ? 'n/a' : `${q.day_change_percent >= 0 ? '+' : ''}${q.day_change_percent.toFixed(2)}%`}) on ${q.price_date}`).join('; ') || 'No quotes.',
  });

  defineTool(server, ctx, {
    name: 'get_factor_etf_prices', title: 'Factor ETF prices', annotations: READ_ONLY,
    description: 'Prices of the ETFs that proxy the factors: SPY (Market Beta), VTV (Value), VUG (Growth), MTUM (Momentum), QUAL (Quality), SIZE (Size), USMV (Low Volatility). Factor names are case-insensitive and tickers work as aliases; lookback_days adds a history.',
    input: FactorEtfPricesInputSchema.extend({ factors: listInput(FactorEtfPricesInputSchema.shape.factors, 'factor names (case-insensitive) or ETF tickers; all active factors when null') }), output: FactorEtfPricesSchema,
    run: async (i, c) => getFactorEtfPrices(c.deps, c.principal, i),
    summary: (o) => `${o.metadata.etf_count} factor ETF(s) as of ${o.metadata.as_of}: ${Object.values(o.data).map((e) => `${e.symbol} ${e.current_price.toFixed(2)}`).join(', ')}.`,
  });
}
