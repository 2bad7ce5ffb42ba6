/**
 * Price and rate writes with source precedence: a row is replaced only by a row of equal or
 * higher source rank whose values differ, so a rerun of the same data writes nothing and a
 * provider close overwrites a bundled or placeholder close but never the reverse.
 * Rows travel as one JSON parameter per chunk (json_to_recordset), which behaves the same on
 * PGlite and postgres.js and keeps statements small.
 */
import { sql } from 'drizzle-orm';
import { execCount, queryRows, type Executor } from '../exec.ts';
import { PRICE_SOURCE_RANK, type PriceSource } from '../schema/market.ts';

export interface PriceInput {
  symbol: string;
  date: string;
  close: number;
  open?: number | null;
  high?: number | null;
  low?: number | null;
  volume?: number | null;
}

export interface RateInput {
  series: string;
  date: string;
  yieldPct: number;
}

const CHUNK = 25_000;


/** Upserts closes with precedence; returns the number of rows inserted or changed. */
export async function upsertPrices(db: Executor, rows: readonly PriceInput[], source: PriceSource): Promise<number> {
  const rank = PRICE_SOURCE_RANK[source];
  let written = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({ s: r.symbol, d: r.date, c: r.close, o: r.open ?? null, h: r.high ?? null, l: r.low ?? null, v: r.volume ?? null }));
    written += await execCount(db, sql`
      insert into market_prices (symbol, date, close, open, high, low, volume, source, source_rank)
      select x.s, x.d, x.c, x.o, x.h, x.l, x.v, ${source}, ${rank}
      from json_to_recordset(${JSON.stringify(chunk)}::json) as x(s text, d date, c numeric, o numeric, h numeric, l numeric, v double precision)
      on conflict (symbol, date) do update set
        close = excluded.close, open = excluded.open, high = excluded.high, low = excluded.low, volume = excluded.volume,
        source = excluded.source, source_rank = excluded.source_rank, updated_at = now()
      where market_prices.source_rank <= excluded.source_rank
        and (market_prices.close, market_prices.open, market_prices.high, market_prices.low, market_prices.volume, market_prices.source)
          is distinct from (excluded.close, excluded.open, excluded.high, excluded.low, excluded.volume, excluded.source)`);
  }
  return written;
}

/** Upserts Treasury yields (percent) with the same precedence rule. */
export async function upsertRates(db: Executor, rows: readonly RateInput[], source: PriceSource): Promise<number> {
  const rank = PRICE_SOURCE_RANK[source];
  let written = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({ s: r.series, d: r.date, y: r.yieldPct }));
    written += await execCount(db, sql`
      insert into treasury_rates (series, date, yield_pct, source, source_rank)
      select x.s, x.d, x.y, ${source}, ${rank}
      from json_to_recordset(${JSON.stringify(chunk)}::json) as x(s text, d date, y numeric)
      on conflict (series, date) do update set
        yield_pct = excluded.yield_pct, source = excluded.source, source_rank = excluded.source_rank, updated_at = now()
      where treasury_rates.source_rank <= excluded.source_rank
        and (treasury_rates.yield_pct, treasury_rates.source) is distinct from (excluded.yield_pct, excluded.source)`);
  }
  return written;
}

export async function countPrices(db: Executor): Promise<{ rows: number; symbols: number; lastDate: string | null }> {
  const [row] = await queryRows<{ rows: number; symbols: number; last_date: string | null }>(
    db,
    sql`select count(*)::int as rows, count(distinct symbol)::int as symbols, max(date)::text as last_date from market_prices`,
  );
  if (!row) throw new Error('count query returned no row');
  return { rows: row.rows, symbols: row.symbols, lastDate: row.last_date };
}

export interface ClosesSeries {
  dates: string[];
  closes: Float64Array;
}

/** Positive closes for `symbols` with from ≤ date ≤ to, grouped per symbol in date order (one query). */
export function loadCloses(db: Executor, symbols: readonly string[], from: string, to: string): Promise<Map<string, ClosesSeries>> {
  return loadClosesIn(db, symbols, [[from, to]]);
}

/**
 * Positive closes of `symbols` on the dates inside any of `ranges` (each [from, to], inclusive), per
 * symbol in date order: one row per symbol, its dates and closes aggregated in SQL (a fifth of the
 * time of a row per close). Each symbol is aggregated on its own through the (symbol, date) key,
 * which sorts a few hundred rows at a time instead of every row at once (about 40 % less time).
 */
export async function loadClosesIn(db: Executor, symbols: readonly string[], ranges: readonly (readonly [string, string])[]): Promise<Map<string, ClosesSeries>> {
  if (!symbols.length || !ranges.length) return new Map();
  const within = sql.join(ranges.map(([a, b]) => sql`(m.date between ${a} and ${b})`), sql` or `);
  const rows = await queryRows<{ symbol: string; d: string; c: string }>(
    db,
    sql`select s.symbol, x.d, x.c from (select distinct json_array_elements_text(${JSON.stringify(symbols)}::json) as symbol) s
        cross join lateral (select string_agg(m.date::text, ',' order by m.date) as d, string_agg(m.close::text, ',' order by m.date) as c
          from market_prices m where m.symbol = s.symbol and m.close > 0 and (${within})) x
        where x.d is not null order by s.symbol`,
  );
  return new Map(rows.map((r) => [r.symbol, aggregatedSeries(r.d, r.c)] as const));
}

/** A series from its dates and values aggregated in SQL as comma-separated text. */
const aggregatedSeries = (dates: string, values: string): ClosesSeries => ({ dates: dates.split(','), closes: Float64Array.from(values.split(','), Number) });

/** Treasury yields (percent) of one series with from ≤ date ≤ to, in date order. */
export async function loadRates(db: Executor, series: string, from: string, to: string): Promise<ClosesSeries> {
  return (await loadRateSeries(db, [series], from, to)).get(series)!;
}

/** Several Treasury series (percent) with from ≤ date ≤ to, in date order, in one query (each series' dates and yields aggregated in SQL, one series at a time as `loadClosesIn` does). */
export async function loadRateSeries(db: Executor, series: readonly string[], from: string, to: string): Promise<Map<string, ClosesSeries>> {
  const rows = await queryRows<{ series: string; d: string; y: string }>(
    db,
    sql`select s.series, x.d, x.y from (select distinct json_array_elements_text(${JSON.stringify(series)}::json) as series) s
        cross join lateral (select string_agg(r.date::text, ',' order by r.date) as d, string_agg(r.yield_pct::text, ',' order by r.date) as y
          from treasury_rates r where r.series = s.series and r.date between ${from} and ${to}) x
        where x.d is not null`,
  );
  const out = new Map<string, ClosesSeries>(series.map((s) => [s, { dates: [], closes: new Float64Array(0) }]));
  for (const r of rows) out.set(r.series, aggregatedSeries(r.d, r.y));
  return out;
}

/** Latest date with any close on or before `date`, or null. */
export async function latestPriceDate(db: Executor, date: string): Promise<string | null> {
  const [row] = await queryRows<{ d: string | null }>(db, sql`select max(date)::text as d from market_prices where date <= ${date}`);
  return row?.d ?? null;
}

/** The symbols among `symbols` that have at least one stored close. */
export async function countPricesOf(db: Executor, symbols: readonly string[]): Promise<Set<string>> {
  if (!symbols.length) return new Set();
  const rows = await queryRows<{ symbol: string }>(
    db,
    sql`select distinct symbol from market_prices where symbol in (select json_array_elements_text(${JSON.stringify(symbols)}::json)) and close > 0`,
  );
  return new Set(rows.map((r) => r.symbol));
}

/** The market-data version (bumped by every statement that writes closes or yields; migration 0006). */
export async function marketDataVersionOf(db: Executor): Promise<number> {
  const [row] = await queryRows<{ v: string | number }>(db, sql`select version as v from market_data_version where id = 1`);
  return Number(row?.v ?? 0);
}
