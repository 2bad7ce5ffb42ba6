/**
 * Market-data reads (api.md §7; MCP get_prices_historical, get_current_quotes,
 * get_factor_etf_prices), served from stored closes only: no provider is called at request time,
 * so answers are fast, reproducible and work offline. The sync (core/market-data/sync.ts) keeps
 * the store current.
 */
import type { z } from '@hono/zod-openapi';
import { activeFactorEtfs, latestCloses, securityInfo, storedBars } from '../../db/queries/market-coverage.ts';
import { listOpenPositions } from '../../db/queries/portfolios.ts';
import {
  FactorEtfPricesInputSchema, HistoricalPricesInputSchema, QuotesInputSchema,
  type FactorEtfPrices, type FactorEtfPricesInput, type HistoricalPrices, type HistoricalPricesInput, type Quotes, type QuotesInput,
} from '../contracts/market-data.ts';
import { AppError } from '../errors.ts';
import { resolveAsOf } from '../market-data/as-of.ts';
import { lastClosedTradingDay, previousTradingDay, tradingDays, tradingDaysBetween } from '../market-data/calendar.ts';
import { STALE_TRADING_DAYS } from '../market-data/coverage.ts';
import { parseSymbolList, toColumns } from '../market-data/history-shape.ts';
import type { MarketDataProvider, ProviderQuote } from '../market-data/provider.ts';
import { addDays } from '../seed/calendar-dates.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';
import { marketValues, pricePositions } from './pricing.ts';

/** Parses a door's input with its contract; failures are VALIDATION errors naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
  throw new AppError('VALIDATION', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { details: { issues } });
}

/** Holding symbols ordered by absolute market value, largest first (options contribute their underlying). */
async function portfolioSymbols(deps: ServiceDeps, portfolioId: string, asOf: string): Promise<{ symbols: string[]; options: string[] }> {
  const positions = await listOpenPositions(deps.db, portfolioId);
  const values = marketValues(positions, await pricePositions(deps.db, positions, asOf));
  const weight = new Map<string, number>();
  const options: string[] = [];
  positions.forEach((p, i) => {
    const option = p.positionType !== 'LONG' && p.positionType !== 'SHORT';
    if (option) options.push(p.symbol);
    const key = option ? (p.underlyingSymbol ?? p.symbol) : p.symbol;
    weight.set(key, (weight.get(key) ?? 0) + Math.abs(values[i] ?? 0));
  });
  return { symbols: [...weight.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s]) => s), options };
}

/** get_prices_historical: daily bars of the caller's holdings (and factor ETFs) over a calendar-day lookback. */
export async function getHistoricalPrices(deps: ServiceDeps, principal: Principal, input: HistoricalPricesInput): Promise<HistoricalPrices> {
  const q = parseInput(HistoricalPricesInputSchema, input);
  const portfolio = await requireOwnedPortfolio(deps.db, principal, q.portfolio_id);
  const asOf = await resolveAsOf(deps.db, deps.clock(), q.as_of_date);
  const lookback = q.lookback_days ?? 150;
  const start = addDays(asOf, -lookback);
  const held = await portfolioSymbols(deps, portfolio.id, asOf);
  const omitted: { symbol: string; reason: string }[] = [];
  const etfs = q.include_factor_etfs === false ? [] : (await activeFactorEtfs(deps.db)).map((f) => f.etf);
  const wanted = parseSymbolList(q.symbols);
  let holdings = held.symbols;
  if (wanted.length) {
    const allowed = new Set([...held.symbols, ...etfs]);
    for (const s of wanted) if (!allowed.has(s)) omitted.push({ symbol: s, reason: held.options.includes(s) ? 'option: request its underlying' : 'not held in this portfolio and not a factor ETF' });
    holdings = wanted.filter((s) => allowed.has(s));
  } else for (const o of held.options) omitted.push({ symbol: o, reason: 'option: history is that of its underlying' });
  const bars = await storedBars(deps.db, [...new Set([...holdings, ...etfs])], start, asOf);
  const withData = holdings.filter((s) => {
    if (bars.get(s)?.length) return true;
    omitted.push({ symbol: s, reason: 'no stored closes in the window' });
    return false;
  });
  const chosen = wanted.length ? withData : [...new Set([...(q.max_symbols ? withData.slice(0, q.max_symbols) : withData), ...etfs.filter((e) => bars.get(e)?.length)])];
  const out: HistoricalPrices['symbols'] = {};
  for (const s of chosen) out[s] = toColumns(bars.get(s)!, q.date_format ?? 'iso');
  const points = Object.values(out).reduce((n, h) => n + h.data_points, 0);
  return {
    metadata: {
      lookback_days: lookback, start_date: start, end_date: asOf, trading_days_included: tradingDays(start, asOf).length, date_format: q.date_format ?? 'iso',
      symbols_returned: Object.keys(out).length, total_data_points: points, omitted_symbols: omitted,
    },
    symbols: out,
  };
}

type Quote = Quotes['quotes'][number];

/** Quotes from the newest stored close of each symbol, with the change from the previous trading day. */
async function storedQuotes(deps: ServiceDeps, symbols: string[], expected: string): Promise<Map<string, Quote>> {
  const latest = await latestCloses(deps.db, symbols, expected);
  const oldest = [...latest.values()].reduce((d, l) => (l.date < d ? l.date : d), expected);
  const bars = await storedBars(deps.db, [...latest.keys()], addDays(oldest, -10), expected);
  const out = new Map<string, Quote>();
  for (const [symbol, last] of latest) {
    const list = bars.get(symbol) ?? [];
    const day = list.find((b) => b.date === last.date);
    if (!day) continue;
    const prev = list.find((b) => b.date === previousTradingDay(last.date))?.close ?? null;
    out.set(symbol, quote(symbol, { price: day.close, previousClose: prev, high: day.high, low: day.low, volume: day.volume, date: day.date }, { source: day.source, isLive: false, timestamp: last.updatedAt, expected }));
  }
  return out;
}

function quote(symbol: string, q: Omit<ProviderQuote, 'symbol' | 'open'>, meta: { source: string; isLive: boolean; timestamp: string; expected: string }): Quote {
  const change = q.previousClose ? q.price - q.previousClose : null;
  return {
    symbol, last_price: q.price, bid: null, ask: null, bid_size: null, ask_size: null, volume: q.volume ?? 0, day_change: change,
    day_change_percent: change !== null && q.previousClose ? (100 * change) / q.previousClose : null, day_high: q.high, day_low: q.low, previous_close: q.previousClose,
    price_date: q.date, is_stale: tradingDaysBetween(q.date, meta.expected) > STALE_TRADING_DAYS, source: meta.source, is_live: meta.isLive, timestamp: meta.timestamp,
  };
}

/** Live quotes from the HTTP providers in precedence order; a failing provider is skipped (stored closes remain). */
async function liveQuotes(deps: ServiceDeps, providers: readonly MarketDataProvider[], symbols: string[], expected: string): Promise<Map<string, Quote>> {
  const out = new Map<string, Quote>();
  for (const p of providers) {
    const missing = symbols.filter((s) => !out.has(s));
    if (!p.quotes || p.name === 'bundled' || !missing.length) continue;
    try {
      const timestamp = deps.clock().toISOString();
      for (const q of await p.quotes(missing)) if (missing.includes(q.symbol)) out.set(q.symbol, quote(q.symbol, q, { source: p.name, isLive: true, timestamp, expected }));
    } catch (err) {
      deps.log.warn({ provider: p.name, err: (err as Error).message }, 'live quotes failed; stored closes are used');
    }
  }
  return out;
}

/**
 * get_current_quotes: per symbol a live provider quote when `live.providers` has an HTTP provider
 * that answers, otherwise the newest stored close; day change from the previous trading day close.
 */
export async function getCurrentQuotes(deps: ServiceDeps, principal: Principal, input: QuotesInput, live?: { providers: readonly MarketDataProvider[] }): Promise<Quotes> {
  const q = parseInput(QuotesInputSchema, input);
  const requested = parseSymbolList(q.symbols);
  if (!requested.length) throw new AppError('VALIDATION', 'symbols: give at least one ticker, e.g. "AAPL,MSFT"');
  const applied = requested.slice(0, q.max_symbols ?? 25);
  const now = deps.clock();
  const expected = lastClosedTradingDay(now);
  const fresh = live ? await liveQuotes(deps, live.providers, applied, expected) : new Map<string, Quote>();
  const stored = await storedQuotes(deps, applied.filter((s) => !fresh.has(s)), expected);
  const quotes = applied.flatMap((s) => fresh.get(s) ?? stored.get(s) ?? []);
  const failed = applied.filter((s) => !fresh.has(s) && !stored.has(s));
  deps.log.debug({ userId: principal.userId, symbols: applied.length, live: fresh.size, failed: failed.length }, 'quotes served');
  return {
    quotes,
    metadata: { requested_symbols: requested, applied_symbols: applied, truncated: applied.length < requested.length, successful_quotes: quotes.length, failed_quotes: failed.length, failed_symbols: failed, timestamp: now.toISOString() },
  };
}

/** get_factor_etf_prices: newest close of each active factor's ETF, optionally with its history. */
export async function getFactorEtfPrices(deps: ServiceDeps, principal: Principal, input: FactorEtfPricesInput): Promise<FactorEtfPrices> {
  const q = parseInput(FactorEtfPricesInputSchema, input);
  const factors = await activeFactorEtfs(deps.db);
  const wanted = parseSymbolList(q.factors);
  const matches = (f: { name: string; etf: string }, w: string) => f.name.toUpperCase() === w || f.etf.toUpperCase() === w;
  const chosen = wanted.length ? factors.filter((f) => wanted.some((w) => matches(f, w))) : factors;
  const unmatched = wanted.filter((w) => !factors.some((f) => matches(f, w)));
  const asOf = await resolveAsOf(deps.db, deps.clock());
  const etfs = chosen.map((f) => f.etf);
  const from = q.lookback_days ? addDays(asOf, -q.lookback_days) : addDays(asOf, -10);
  const [latest, bars, info] = await Promise.all([latestCloses(deps.db, etfs, asOf), storedBars(deps.db, etfs, from, asOf), securityInfo(deps.db, etfs)]);
  const data: FactorEtfPrices['data'] = {};
  for (const f of chosen) {
    const last = latest.get(f.etf);
    const list = bars.get(f.etf) ?? [];
    const day = list.find((b) => b.date === last?.date);
    if (!last || !day) continue;
    data[f.etf] = {
      factor_name: f.name, symbol: f.etf, current_price: day.close, open: day.open, high: day.high, low: day.low, volume: day.volume ?? 0, date: day.date,
      updated_at: last.updatedAt, data_source: day.source, exchange: info.get(f.etf)?.exchange ?? null, market_cap: info.get(f.etf)?.marketCapUsd ?? null,
      history: q.lookback_days ? list.map((b) => ({ date: b.date, close: b.close })) : null,
    };
  }
  deps.log.debug({ userId: principal.userId, etfs: Object.keys(data).length }, 'factor ETF prices served');
  return { metadata: { factor_model: `${factors.length}-factor`, etf_count: Object.keys(data).length, as_of: asOf, unmatched_factors: unmatched, timestamp: deps.clock().toISOString() }, data };
}
