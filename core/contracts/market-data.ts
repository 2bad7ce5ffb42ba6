/**
 * Contracts of the market-data use cases (api.md §5.3 and §7; MCP tools get_portfolio_data_quality,
 * get_prices_historical, get_current_quotes, get_factor_etf_prices). Field names keep the
 * reference's snake_case wire shape; the same schemas serve REST, OpenAPI and MCP.
 */
import { z } from '@hono/zod-openapi';
import { text } from './common.ts';

const isoDate = text().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const portfolioId = text().min(1).describe('portfolio id (8-4-4-4-12 hex)');
const symbol = text().describe('ticker symbol as SigmaSight stores it (BRK-B, VIX, OCC option symbols)');

export const HistoryStatusSchema = z
  .enum(['full', 'limited', 'proxied', 'missing'])
  .describe('full: own history covers the window; limited: some own history; proxied: a declared proxy covers it; missing: no usable history');

export const DataQualityInputSchema = z
  .object({
    portfolio_id: portfolioId,
    check_factors: z.boolean().nullable().default(true).describe('include factor-ETF coverage (default true)'),
    as_of_date: isoDate.nullable().default(null).describe('assessment date; default: the latest trading day with stored prices'),
  })
  .openapi('DataQualityInput');

const feasibilityFields = {
  feasible: z.boolean().describe('whether the analysis can run'),
  positions_eligible: z.number().int().describe('positions with enough history'),
  positions_excluded: z.number().int().describe('positions without enough history'),
};
const OverlapFeasibilitySchema = z
  .object({ ...feasibilityFields, min_days_overlap: z.number().int().describe('trading days of history each eligible position needs') })
  .openapi('OverlapFeasibility');
const RequiredFeasibilitySchema = z
  .object({ ...feasibilityFields, min_days_required: z.number().int().describe('trading days of history each eligible position needs') })
  .openapi('RequiredFeasibility');

export const SymbolQualitySchema = z
  .object({
    symbol,
    role: z.enum(['holding', 'option']).describe('a holding priced by its own or proxy closes, or an option priced off its underlying'),
    history_symbol: text().describe('symbol whose closes were counted: itself, the option underlying or the proxy'),
    proxy_symbol: text().nullable().describe('declared proxy ETF, when the holding has one'),
    days_available: z.number().int().describe('trading days in the needed window with a stored close for history_symbol'),
    days_needed: z.number().int().describe('trading days the factor and risk engines need (252)'),
    first_date: isoDate.nullable().describe('first stored close in the window'),
    last_date: isoDate.nullable().describe('newest stored close on or before the assessment date'),
    source: text().nullable().describe('provider of the newest close (bundled, fmp, polygon, …)'),
    is_stale: z.boolean().describe('newest close is more than 3 trading days before the assessment date'),
    status: HistoryStatusSchema,
  })
  .openapi('SymbolDataQuality');

export const DataQualitySchema = z
  .object({
    portfolio_id: text().describe('portfolio id'),
    assessment_date: isoDate.describe('trading day the coverage is measured at'),
    window_trading_days: z.number().int().describe('trading days in the coverage window of the summary classes (150)'),
    summary: z
      .object({
        total_positions: z.number().int().describe('open holdings (distinct symbols, options included)'),
        complete_data: z.number().int().describe('positions with a close on every trading day of the window'),
        partial_data: z.number().int().describe('positions with 30–149 trading days'),
        insufficient_data: z.number().int().describe('positions with fewer than 30 trading days'),
        data_coverage_percent: z.number().describe('complete_data / total_positions × 100'),
      })
      .openapi('DataQualitySummary')
      .describe('counts of positions by history class over the 150-trading-day window'),
    position_data_quality: z
      .object({
        complete_history: z.array(symbol).describe('symbols with complete history'),
        partial_history: z
          .array(z.object({ symbol, days_available: z.number().int().describe('trading days with a close'), days_missing: z.number().int().describe('150 − days_available') }).openapi('PartialHistory'))
          .describe('symbols with partial history'),
        insufficient_data: z
          .array(
            z
              .object({ symbol, days_available: z.number().int().describe('trading days with a close'), reason: z.enum(['recent_listing', 'incomplete_data']).describe('recent_listing below 20 days') })
              .openapi('InsufficientHistory'),
          )
          .describe('symbols with too little history'),
      })
      .openapi('PositionDataQuality')
      .describe('symbols by history class'),
    calculation_feasibility: z
      .object({
        correlation_matrix: OverlapFeasibilitySchema.describe('pairwise correlations: at least 2 positions with 30 days'),
        factor_regression: RequiredFeasibilitySchema.describe('factor betas: at least 1 position with 60 days'),
        volatility_analysis: RequiredFeasibilitySchema.describe('volatility: at least 1 position with 20 days'),
      })
      .openapi('CalculationFeasibility')
      .describe('which analyses the stored history supports'),
    factor_etf_coverage: z
      .object({
        complete: z.array(symbol).describe('factor ETFs with complete history'),
        partial: z.array(symbol).describe('factor ETFs with 30–149 trading days'),
        missing: z.array(symbol).describe('factor ETFs with fewer than 30 trading days'),
      })
      .nullable()
      .openapi('FactorEtfCoverage')
      .describe('present when check_factors is true'),
    symbols: z.array(SymbolQualitySchema).describe('per-symbol history against the 252-trading-day need'),
    last_update: text().nullable().describe('newest updated_at of the closes counted (ISO 8601, UTC)'),
  })
  .openapi('DataQuality');

export type DataQualityInput = z.input<typeof DataQualityInputSchema>;
export type DataQuality = z.infer<typeof DataQualitySchema>;
export type SymbolQuality = z.infer<typeof SymbolQualitySchema>;

const csv = (what: string) => text().max(2000).describe(`comma-separated ${what}`);

export const HistoricalPricesInputSchema = z
  .object({
    portfolio_id: portfolioId,
    lookback_days: z.coerce.number().int().min(1).max(365).nullable().default(150).describe('calendar days back from the as-of date (1–365, default 150)'),
    include_factor_etfs: z.boolean().nullable().default(true).describe('add the active factor ETFs (SPY, VTV, VUG, MTUM, QUAL, SIZE, USMV)'),
    date_format: z.enum(['iso', 'unix']).nullable().default('iso').describe('iso: YYYY-MM-DD; unix: epoch seconds at 00:00 UTC of the date'),
    symbols: csv('symbols').nullable().default(null).describe('comma-separated symbols to keep (portfolio symbols or factor ETFs); all holdings when null'),
    max_symbols: z.coerce.number().int().min(1).max(100).nullable().default(null).describe('keep the largest holdings by absolute market value (factor ETFs not counted)'),
    as_of_date: isoDate.nullable().default(null).describe('end date; default: the latest trading day with stored prices'),
  })
  .openapi('HistoricalPricesInput');

const SymbolHistorySchema = z
  .object({
    dates: z.array(z.union([text(), z.number()])).describe('trading dates (ISO or epoch seconds per date_format)'),
    open: z.array(z.number()).describe('open; the close where no open is stored'),
    high: z.array(z.number()).describe('high; the close where no high is stored'),
    low: z.array(z.number()).describe('low; the close where no low is stored'),
    close: z.array(z.number()).describe('adjusted close, USD'),
    volume: z.array(z.number()).describe('shares traded; 0 where not stored'),
    adjusted_close: z.array(z.number()).describe('same as close (closes are stored adjusted)'),
    data_points: z.number().int().describe('number of dates'),
    source: text().describe('provider of the newest close'),
  })
  .openapi('SymbolHistory');

export const HistoricalPricesSchema = z
  .object({
    metadata: z
      .object({
        lookback_days: z.number().int().describe('calendar days requested'),
        start_date: isoDate.describe('first calendar day of the window'),
        end_date: isoDate.describe('as-of trading day'),
        trading_days_included: z.number().int().describe('NYSE trading days in the window'),
        date_format: z.enum(['iso', 'unix']).describe('format of the dates arrays'),
        symbols_returned: z.number().int().describe('symbols with at least one close'),
        total_data_points: z.number().int().describe('closes returned over all symbols'),
        omitted_symbols: z.array(z.object({ symbol, reason: text().describe('why it is not returned') }).openapi('OmittedSymbol')).describe('requested or held symbols not returned'),
      })
      .openapi('HistoricalPricesMetadata')
      .describe('window and counts of the answer'),
    symbols: z.record(text(), SymbolHistorySchema).describe('history per symbol'),
  })
  .openapi('HistoricalPrices');

export const QuotesInputSchema = z
  .object({
    symbols: csv('tickers (upper-cased)').min(1),
    max_symbols: z.coerce.number().int().min(1).max(25).nullable().default(25).describe('symbols kept, in the order given (≤ 25)'),
  })
  .openapi('QuotesInput');

export const QuoteSchema = z
  .object({
    symbol,
    last_price: z.number().describe('newest stored close, USD'),
    bid: z.number().nullable().describe('null: daily closes carry no bid'),
    ask: z.number().nullable().describe('null: daily closes carry no ask'),
    bid_size: z.number().int().nullable().describe('null: not available'),
    ask_size: z.number().int().nullable().describe('null: not available'),
    volume: z.number().describe('volume of the day; 0 when not stored'),
    day_change: z.number().nullable().describe('last_price − previous trading day close; null without one'),
    day_change_percent: z.number().nullable().describe('day_change / previous close × 100'),
    day_high: z.number().nullable().describe('high of the day when stored'),
    day_low: z.number().nullable().describe('low of the day when stored'),
    previous_close: z.number().nullable().describe('close of the previous trading day'),
    price_date: isoDate.describe('trading day of last_price'),
    is_stale: z.boolean().describe('price_date more than 3 trading days before the last closed trading day'),
    source: text().describe('provider of the price (bundled, fmp, polygon, …)'),
    is_live: z.boolean().describe('true: fetched from the provider for this answer; false: the newest stored close'),
    timestamp: text().describe('when the price was stored or fetched (ISO 8601, UTC)'),
  })
  .openapi('Quote');

export const QuotesSchema = z
  .object({
    quotes: z.array(QuoteSchema).describe('one per symbol with a stored close'),
    metadata: z
      .object({
        requested_symbols: z.array(symbol).describe('symbols asked for, upper-cased'),
        applied_symbols: z.array(symbol).describe('symbols looked up after the cap'),
        truncated: z.boolean().describe('true when symbols beyond max_symbols were dropped'),
        successful_quotes: z.number().int().describe('quotes returned'),
        failed_quotes: z.number().int().describe('applied symbols without a stored close'),
        failed_symbols: z.array(symbol).describe('those symbols'),
        timestamp: text().describe('time of the answer (ISO 8601, UTC)'),
      })
      .openapi('QuotesMetadata')
      .describe('what was asked, applied and found'),
  })
  .openapi('Quotes');

export const FactorEtfPricesInputSchema = z
  .object({
    factors: csv('factors').nullable().default(null).describe('comma-separated factor names (case-insensitive) or ETF tickers; all active factors when null'),
    lookback_days: z.coerce.number().int().min(1).max(365).nullable().default(null).describe('when set, add a history array of this many calendar days'),
  })
  .openapi('FactorEtfPricesInput');

const FactorEtfPriceSchema = z
  .object({
    factor_name: text().describe('factor display name'),
    symbol,
    current_price: z.number().describe('newest stored close, USD'),
    open: z.number().nullable().describe('open of that day when stored'),
    high: z.number().nullable().describe('high of that day when stored'),
    low: z.number().nullable().describe('low of that day when stored'),
    volume: z.number().describe('volume; 0 when not stored'),
    date: isoDate.describe('trading day of current_price'),
    updated_at: text().describe('when the close was stored (ISO 8601, UTC)'),
    data_source: text().describe('provider of the close'),
    exchange: text().nullable().describe('listing exchange from the security master'),
    market_cap: z.number().nullable().describe('market capitalisation (fund assets for ETFs), USD'),
    history: z.array(z.object({ date: isoDate.describe('trading day'), close: z.number().describe('adjusted close, USD') }).openapi('DatedClose')).nullable().describe('present when lookback_days was given'),
  })
  .openapi('FactorEtfPrice');

export const FactorEtfPricesSchema = z
  .object({
    metadata: z
      .object({
        factor_model: text().describe('model name, e.g. 7-factor'),
        etf_count: z.number().int().describe('ETFs returned'),
        as_of: isoDate.describe('trading day of the newest closes'),
        unmatched_factors: z.array(text()).describe('requested names that match no active factor'),
        timestamp: text().describe('time of the answer (ISO 8601, UTC)'),
      })
      .openapi('FactorEtfPricesMetadata')
      .describe('model, counts and as-of date'),
    data: z.record(text(), FactorEtfPriceSchema).describe('price per ETF ticker'),
  })
  .openapi('FactorEtfPrices');

export type HistoricalPricesInput = z.input<typeof HistoricalPricesInputSchema>;
export type HistoricalPrices = z.infer<typeof HistoricalPricesSchema>;
export type QuotesInput = z.input<typeof QuotesInputSchema>;
export type Quotes = z.infer<typeof QuotesSchema>;
export type FactorEtfPricesInput = z.input<typeof FactorEtfPricesInputSchema>;
export type FactorEtfPrices = z.infer<typeof FactorEtfPricesSchema>;
