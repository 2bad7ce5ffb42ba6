/**
 * Offline market-data phase: checks, without fetching anything, that every symbol the run needs
 * has a stored close at most 3 trading days (SPY dates) before as_of, and reports the others as
 * stale or missing (`symbolsWithoutStoredCloses` tells the two apart). A provider sync (`syncMarketData`) can replace it through `BatchDeps`.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/exec.ts';
import { STALE_AFTER_TRADING_DAYS } from '../services/pricing.ts';
import { CALENDAR_SYMBOL } from './as-of.ts';
import type { SyncMarketData } from './types.ts';

export const checkStoredCoverage: SyncMarketData = async (deps, opts) => {
  const t0 = performance.now();
  const symbols = opts.symbols ?? [];
  const asOf = opts.asOf!;
  const [cut] = await queryRows<{ d: string | null }>(deps.db, sql`
    select min(date)::text as d from (select date from market_prices where symbol = ${CALENDAR_SYMBOL} and date <= ${asOf} order by date desc limit ${STALE_AFTER_TRADING_DAYS + 1}) t`);
  // One index probe per symbol on the (symbol, date) primary key.
  const last = await queryRows<{ symbol: string; d: string | null }>(deps.db, sql`
    select s.symbol, (select max(m.date)::text from market_prices m where m.symbol = s.symbol and m.date <= ${asOf}) as d
    from json_array_elements_text(${JSON.stringify(symbols)}::json) as s(symbol)`);
  const seen = new Map(last.flatMap((r) => (r.d ? [[r.symbol, r.d] as const] : [])));
  const stale = symbols.filter((s) => !seen.has(s) || (cut?.d != null && seen.get(s)! < cut.d));
  return { stale, failed: [], rowsWritten: 0, ms: performance.now() - t0 };
};

/** Those of `symbols` without any stored close on or before `asOf` (as opposed to an old one). */
export async function symbolsWithoutStoredCloses(db: Db, symbols: readonly string[], asOf: string): Promise<Set<string>> {
  if (!symbols.length) return new Set();
  const rows = await queryRows<{ symbol: string }>(db, sql`
    select s.symbol from json_array_elements_text(${JSON.stringify(symbols)}::json) as s(symbol)
    where not exists (select 1 from market_prices m where m.symbol = s.symbol and m.date <= ${asOf})`);
  return new Set(rows.map((r) => r.symbol));
}
