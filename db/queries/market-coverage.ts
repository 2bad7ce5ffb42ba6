/**
 * Read-side queries for market-data coverage: which symbols the engines need, which dates each
 * has stored, the latest stored close per symbol, and the unresolvable-ticker flag.
 */
import { sql } from 'drizzle-orm';
import { execCount, queryRows, type Executor } from '../exec.ts';

export interface UniverseRow {
  symbol: string;
  /** securities.security_type, null when the symbol has no security-master row. */
  securityType: 'stock' | 'etf' | 'mutual_fund' | 'index' | 'option' | null;
  isUnresolvable: boolean;
  /** Why the engines need it: held directly, underlying of an option, declared proxy, factor ETF, benchmark. */
  roles: string[];
}

const jsonList = (xs: readonly string[]) => sql`(select json_array_elements_text(${JSON.stringify(xs)}::json))`;

/**
 * Every symbol the factor and risk engines need: open positions of live portfolios that are not
 * options, option underlyings, declared proxies, active factor ETFs and `extra` (e.g. SPY).
 */
export async function listUniverse(db: Executor, extra: readonly string[] = []): Promise<UniverseRow[]> {
  const rows = await queryRows<{ symbol: string; role: string; security_type: UniverseRow['securityType']; is_unresolvable: boolean | null }>(
    db,
    sql`with open_positions as (
          select p.* from positions p join portfolios f on f.id = p.portfolio_id
          where p.deleted_at is null and p.exit_date is null and f.deleted_at is null),
        needed as (
          select symbol, 'holding' as role from open_positions where position_type in ('LONG', 'SHORT')
          union select underlying_symbol, 'option_underlying' from open_positions where position_type not in ('LONG', 'SHORT') and underlying_symbol is not null
          union select coalesce(o.proxy_symbol, s.proxy_symbol), 'proxy' from open_positions o left join securities s on s.symbol = o.symbol
            where coalesce(o.proxy_symbol, s.proxy_symbol) is not null
          union select etf_proxy, 'factor_etf' from factor_definitions where is_active and etf_proxy is not null
          union select value, 'benchmark' from ${jsonList(extra)} as e(value))
        select n.symbol, n.role, s.security_type, s.is_unresolvable from needed n left join securities s on s.symbol = n.symbol
        order by n.symbol, n.role`,
  );
  const out = new Map<string, UniverseRow>();
  for (const r of rows) {
    const row = out.get(r.symbol) ?? { symbol: r.symbol, securityType: r.security_type, isUnresolvable: r.is_unresolvable ?? false, roles: [] };
    row.roles.push(r.role);
    out.set(r.symbol, row);
  }
  return [...out.values()];
}

/** Dates with a positive close for each symbol with from ≤ date ≤ to, in date order. */
export async function storedCloseDates(db: Executor, symbols: readonly string[], from: string, to: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(symbols.map((s) => [s, []]));
  if (!symbols.length) return out;
  const rows = await queryRows<{ symbol: string; date: string }>(
    db,
    sql`select symbol, date::text as date from market_prices
        where symbol in ${jsonList(symbols)} and date between ${from} and ${to} and close > 0 order by symbol, date`,
  );
  for (const r of rows) out.get(r.symbol)!.push(r.date);
  return out;
}

export interface LatestClose {
  symbol: string;
  date: string;
  close: number;
  source: string;
  updatedAt: string;
}

/** The newest positive close on or before `onOrBefore` per symbol (symbols without one are absent). */
export async function latestCloses(db: Executor, symbols: readonly string[], onOrBefore: string): Promise<Map<string, LatestClose>> {
  if (!symbols.length) return new Map();
  const rows = await queryRows<{ symbol: string; date: string; close: string | number; source: string; updated_at: string | Date }>(
    db,
    sql`select distinct on (symbol) symbol, date::text as date, close, source, updated_at from market_prices
        where symbol in ${jsonList(symbols)} and date <= ${onOrBefore} and close > 0 order by symbol, date desc`,
  );
  return new Map(rows.map((r) => [r.symbol, { symbol: r.symbol, date: r.date, close: Number(r.close), source: r.source, updatedAt: new Date(r.updated_at).toISOString() }]));
}

export interface StoredBar {
  date: string;
  close: number;
  open: number | null;
  high: number | null;
  low: number | null;
  volume: number | null;
  source: string;
}

/** Stored OHLCV bars (positive closes) per symbol with from ≤ date ≤ to, in date order. */
export async function storedBars(db: Executor, symbols: readonly string[], from: string, to: string): Promise<Map<string, StoredBar[]>> {
  const out = new Map<string, StoredBar[]>();
  if (!symbols.length) return out;
  const rows = await queryRows<{ symbol: string; date: string; close: string | number; open: string | number | null; high: string | number | null; low: string | number | null; volume: number | null; source: string }>(
    db,
    sql`select symbol, date::text as date, close, open, high, low, volume, source from market_prices
        where symbol in ${jsonList(symbols)} and date between ${from} and ${to} and close > 0 order by symbol, date`,
  );
  const num = (v: string | number | null) => (v === null ? null : Number(v));
  for (const r of rows) {
    let list = out.get(r.symbol);
    if (!list) out.set(r.symbol, (list = []));
    list.push({ date: r.date, close: Number(r.close), open: num(r.open), high: num(r.high), low: num(r.low), volume: r.volume === null ? null : Number(r.volume), source: r.source });
  }
  return out;
}

/** Flags a security-master symbol as unresolvable so later syncs stop requesting it; returns rows changed. */
export async function markUnresolvable(db: Executor, symbol: string, reason: string): Promise<number> {
  return execCount(db, sql`update securities set is_unresolvable = true, unresolvable_reason = ${reason}, updated_at = now()
                           where symbol = ${symbol} and not is_unresolvable`);
}

/** Active factors with their ETF proxy, in display order. */
export async function activeFactorEtfs(db: Executor): Promise<{ name: string; etf: string }[]> {
  return queryRows<{ name: string; etf: string }>(
    db,
    sql`select name, etf_proxy as etf from factor_definitions where is_active and etf_proxy is not null order by display_order, name`,
  );
}

/** Security-master fields the price answers show, per symbol (symbols without a row are absent). */
export async function securityInfo(db: Executor, symbols: readonly string[]): Promise<Map<string, { exchange: string | null; marketCapUsd: number | null }>> {
  if (!symbols.length) return new Map();
  const rows = await queryRows<{ symbol: string; exchange: string | null; market_cap_usd: number | null }>(
    db,
    sql`select symbol, exchange, market_cap_usd from securities where symbol in ${jsonList(symbols)}`,
  );
  return new Map(rows.map((r) => [r.symbol, { exchange: r.exchange, marketCapUsd: r.market_cap_usd === null ? null : Number(r.market_cap_usd) }]));
}

/** OCC symbols of open option positions in live portfolios, with their underlying. */
export async function listOpenOptionSymbols(db: Executor): Promise<{ symbol: string; underlying: string | null }[]> {
  return queryRows<{ symbol: string; underlying: string | null }>(
    db,
    sql`select distinct p.symbol, p.underlying_symbol as underlying from positions p join portfolios f on f.id = p.portfolio_id
        where p.deleted_at is null and p.exit_date is null and f.deleted_at is null and p.position_type not in ('LONG', 'SHORT') order by p.symbol`,
  );
}

/** Security-master type and unresolvable flag of the given symbols. */
export async function securityFlags(db: Executor, symbols: readonly string[]): Promise<Map<string, { securityType: UniverseRow['securityType']; isUnresolvable: boolean }>> {
  if (!symbols.length) return new Map();
  const rows = await queryRows<{ symbol: string; security_type: UniverseRow['securityType']; is_unresolvable: boolean }>(
    db,
    sql`select symbol, security_type, is_unresolvable from securities where symbol in ${jsonList(symbols)}`,
  );
  return new Map(rows.map((r) => [r.symbol, { securityType: r.security_type, isUnresolvable: r.is_unresolvable }]));
}
