/**
 * Data quality per portfolio (api.md §5.3, MCP get_portfolio_data_quality): real trading-day
 * counts from stored closes on the NYSE calendar — never the reference's faked 150-or-0 counts.
 * Each open position is assessed on the symbol whose closes the engines use: its own, its option
 * underlying, or its declared proxy when its own history falls short.
 */
import type { Db } from '../../db/client.ts';
import { activeFactorEtfs, latestCloses, storedCloseDates } from '../../db/queries/market-coverage.ts';
import { listOpenPositions } from '../../db/queries/portfolios.ts';
import { DataQualityInputSchema, type DataQuality, type DataQualityInput, type SymbolQuality } from '../contracts/market-data.ts';
import { resolveAsOf } from '../market-data/as-of.ts';
import { tradingDaysBetween } from '../market-data/calendar.ts';
import { HISTORY_TRADING_DAYS, historyStatus, STALE_TRADING_DAYS, tradingWindow, windowCoverage } from '../market-data/coverage.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';
import { parseInput } from './market-data.ts';

/** Summary-class window and thresholds of §5.3 (trading days). */
export const QUALITY_WINDOW = 150;
const PARTIAL_MIN = 30;
const RECENT_LISTING_BELOW = 20;
const MIN_DAYS = { correlation: 30, factor: 60, volatility: 20 } as const;

interface Holding {
  symbol: string;
  role: 'holding' | 'option';
  own: string;
  proxy: string | null;
}

function holdingsOf(positions: Awaited<ReturnType<typeof listOpenPositions>>): Holding[] {
  const seen = new Map<string, Holding>();
  for (const p of positions) {
    const option = p.positionType !== 'LONG' && p.positionType !== 'SHORT';
    if (!seen.has(p.symbol)) seen.set(p.symbol, { symbol: p.symbol, role: option ? 'option' : 'holding', own: option ? (p.underlyingSymbol ?? p.symbol) : p.symbol, proxy: option ? null : p.proxySymbol });
  }
  return [...seen.values()];
}

interface Stores {
  dates: Map<string, string[]>;
  latest: Awaited<ReturnType<typeof latestCloses>>;
  window: string[];
  asOf: string;
}

function assessSymbol(h: Holding, s: Stores): SymbolQuality {
  const own = windowCoverage(s.window, s.dates.get(h.own) ?? []);
  const proxy = h.proxy ? windowCoverage(s.window, s.dates.get(h.proxy) ?? []) : null;
  const status = historyStatus(own.available, s.window.length, proxy?.available ?? null);
  const useProxy = proxy !== null && (status === 'proxied' || (own.available === 0 && proxy.available > 0));
  const historySymbol = useProxy ? h.proxy! : h.own;
  const cov = useProxy ? proxy! : own;
  const last = s.latest.get(historySymbol) ?? null;
  return {
    symbol: h.symbol, role: h.role, history_symbol: historySymbol, proxy_symbol: h.proxy, days_available: cov.available, days_needed: s.window.length,
    first_date: cov.firstDate, last_date: last?.date ?? null, source: last?.source ?? null,
    is_stale: last === null || tradingDaysBetween(last.date, s.asOf) > STALE_TRADING_DAYS, status,
  };
}

/** Trading days with a close among the last QUALITY_WINDOW days of the window. */
function recentDays(s: Stores, symbol: string): number {
  return windowCoverage(s.window.slice(-QUALITY_WINDOW), s.dates.get(symbol) ?? []).available;
}

function summarise(portfolioId: string, symbols: SymbolQuality[], s: Stores): Omit<DataQuality, 'factor_etf_coverage' | 'last_update'> {
  const days = symbols.map((q) => ({ symbol: q.symbol, n: recentDays(s, q.history_symbol) }));
  const complete = days.filter((d) => d.n >= QUALITY_WINDOW);
  const partial = days.filter((d) => d.n >= PARTIAL_MIN && d.n < QUALITY_WINDOW);
  const insufficient = days.filter((d) => d.n < PARTIAL_MIN);
  const eligible = (min: number) => days.filter((d) => d.n >= min).length;
  const feasibility = (min: number, need: number) => ({ feasible: eligible(min) >= need, positions_eligible: eligible(min), positions_excluded: days.length - eligible(min) });
  return {
    portfolio_id: portfolioId, assessment_date: s.asOf, window_trading_days: QUALITY_WINDOW,
    summary: {
      total_positions: days.length, complete_data: complete.length, partial_data: partial.length, insufficient_data: insufficient.length,
      data_coverage_percent: days.length ? Math.round((10_000 * complete.length) / days.length) / 100 : 0,
    },
    position_data_quality: {
      complete_history: complete.map((d) => d.symbol),
      partial_history: partial.map((d) => ({ symbol: d.symbol, days_available: d.n, days_missing: QUALITY_WINDOW - d.n })),
      insufficient_data: insufficient.map((d) => ({ symbol: d.symbol, days_available: d.n, reason: d.n < RECENT_LISTING_BELOW ? ('recent_listing' as const) : ('incomplete_data' as const) })),
    },
    calculation_feasibility: {
      correlation_matrix: { ...feasibility(MIN_DAYS.correlation, 2), min_days_overlap: MIN_DAYS.correlation },
      factor_regression: { ...feasibility(MIN_DAYS.factor, 1), min_days_required: MIN_DAYS.factor },
      volatility_analysis: { ...feasibility(MIN_DAYS.volatility, 1), min_days_required: MIN_DAYS.volatility },
    },
    symbols,
  };
}

/**
 * Coverage of one portfolio as of a trading day, without an ownership check (the batch and the
 * admin CLI use it over every portfolio); doors go through `getPortfolioDataQuality`.
 */
export async function assessPortfolioDataQuality(db: Db, portfolioId: string, opts: { asOf: string; checkFactors: boolean }): Promise<DataQuality> {
  const holdings = holdingsOf(await listOpenPositions(db, portfolioId));
  const factorEtfs = opts.checkFactors ? (await activeFactorEtfs(db)).map((f) => f.etf) : [];
  const window = tradingWindow(opts.asOf, HISTORY_TRADING_DAYS);
  const wanted = [...new Set([...holdings.flatMap((h) => (h.proxy ? [h.own, h.proxy] : [h.own])), ...factorEtfs])];
  const [dates, latest] = await Promise.all([storedCloseDates(db, wanted, window[0]!, opts.asOf), latestCloses(db, wanted, opts.asOf)]);
  const s: Stores = { dates, latest, window, asOf: opts.asOf };
  const symbols = holdings.map((h) => assessSymbol(h, s));
  const used = new Set(symbols.map((q) => q.history_symbol));
  const updates = [...latest.values()].filter((l) => used.has(l.symbol)).map((l) => l.updatedAt).sort();
  const etfDays = factorEtfs.map((etf) => ({ etf, n: recentDays(s, etf) }));
  return {
    ...summarise(portfolioId, symbols, s),
    factor_etf_coverage: opts.checkFactors
      ? { complete: etfDays.filter((e) => e.n >= QUALITY_WINDOW).map((e) => e.etf), partial: etfDays.filter((e) => e.n >= PARTIAL_MIN && e.n < QUALITY_WINDOW).map((e) => e.etf), missing: etfDays.filter((e) => e.n < PARTIAL_MIN).map((e) => e.etf) }
      : null,
    last_update: updates[updates.length - 1] ?? null,
  };
}

/** get_portfolio_data_quality: the caller's portfolio only (another user's id is NOT_FOUND). */
export async function getPortfolioDataQuality(deps: ServiceDeps, principal: Principal, input: DataQualityInput): Promise<DataQuality> {
  const parsed = parseInput(DataQualityInputSchema, input);
  const portfolio = await requireOwnedPortfolio(deps.db, principal, parsed.portfolio_id);
  const asOf = await resolveAsOf(deps.db, deps.clock(), parsed.as_of_date);
  const result = await assessPortfolioDataQuality(deps.db, portfolio.id, { asOf, checkFactors: parsed.check_factors ?? true });
  deps.log.debug({ portfolioId: portfolio.id, asOf, symbols: result.symbols.length }, 'data quality assessed');
  return result;
}
