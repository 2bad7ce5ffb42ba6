/**
 * The market window a run shares across portfolios: closes of every symbol in scope, the last
 * 252 daily returns on the factor ETFs' common trading dates (no filling: a symbol missing any
 * of those dates gets no full-window returns), the 10-year yield and the 13-week bill on the
 * same dates. Loaded with three queries per run.
 */
import { asc, eq, and, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { loadCloses, loadRateSeries, type ClosesSeries } from '../../db/queries/market-prices.ts';
import { factorDefinitions } from '../../db/schema/index.ts';
import { simpleReturns } from '../../engines/common/returns.ts';
import { addDays } from '../seed/calendar-dates.ts';
import type { PricingData } from '../services/pricing.ts';

/** Daily returns in the factor window (engines.md §6.6: the last 252 returns ending on as_of). */
export const WINDOW_RETURNS = 252;
const LOOKBACK_CALENDAR_DAYS = 400;

export interface FactorDef {
  id: string;
  name: string;
  /** Engine key (Market, Value, …), also the stress-shock key. */
  key: string;
  etf: string;
}

export interface RunMarket {
  asOf: string;
  factors: FactorDef[];
  /** WINDOW_RETURNS + 1 dates (closes); returns are into dates[1..]. */
  dates: string[];
  /** Full-window simple returns per symbol (length = dates.length − 1); absent when a date is missing. */
  returns: Map<string, Float64Array>;
  /** Closes on `dates` for the symbols that have every one of them. */
  windowCloses: Map<string, Float64Array>;
  closes: Map<string, ClosesSeries>;
  /** The first date `closes` covers (every close from it to as_of is loaded). */
  closesFrom: string;
  /** 10-year yield (percent) on `dates`, or null where missing. */
  tnx: (number | null)[];
  /** 13-week bill yield (percent) on `dates`, carried from the latest earlier print. */
  irx: number[];
  /** The closes and bill prints in the form position pricing takes them (`pricePositions`). */
  pricing: PricingData;
  warnings: string[];
}

/** Active factors with an engine key and an ETF proxy, in display order. */
export async function loadFactorDefs(db: Db): Promise<FactorDef[]> {
  const rows = await db
    .select({ id: factorDefinitions.id, name: factorDefinitions.name, key: factorDefinitions.engineKey, etf: factorDefinitions.etfProxy })
    .from(factorDefinitions)
    .where(and(eq(factorDefinitions.isActive, true), isNotNull(factorDefinitions.engineKey), isNotNull(factorDefinitions.etfProxy)))
    .orderBy(asc(factorDefinitions.displayOrder));
  return rows.map((r) => ({ id: r.id, name: r.name, key: r.key!, etf: r.etf! }));
}

function onDates(series: ClosesSeries | undefined, dates: readonly string[]): Float64Array | null {
  if (!series) return null;
  const out = new Float64Array(dates.length);
  let j = 0;
  for (let i = 0; i < dates.length; i++) {
    while (j < series.dates.length && series.dates[j]! < dates[i]!) j++;
    if (series.dates[j] !== dates[i]) return null;
    out[i] = series.closes[j]!;
  }
  return out;
}

/** Window dates: the last WINDOW_RETURNS + 1 dates on which every factor ETF has a close. */
function windowDates(closes: Map<string, ClosesSeries>, etfs: readonly string[]): string[] {
  const sets = etfs.map((s) => new Set(closes.get(s)?.dates ?? []));
  const base = closes.get(etfs[0]!)?.dates ?? [];
  return base.filter((d) => sets.every((s) => s.has(d))).slice(-(WINDOW_RETURNS + 1));
}

function yieldsOn(series: ClosesSeries, dates: readonly string[], carry: boolean): (number | null)[] {
  const map = new Map(series.dates.map((d, i) => [d, series.closes[i]!] as const));
  let last: number | null = null;
  return dates.map((d) => {
    const v = map.get(d) ?? null;
    if (v !== null) last = v;
    return carry ? last : v;
  });
}

/**
 * Loads the run's market window for `symbols` (position, underlying and proxy symbols) plus the
 * factor ETFs; closes start early enough for pricing lookups back to `earliest`. Symbols without every window date are listed in `warnings` and have no returns.
 */
export async function loadRunMarket(db: Db, asOf: string, symbols: readonly string[], earliest: string | null = null): Promise<RunMarket> {
  const factors = await loadFactorDefs(db);
  const etfs = factors.map((f) => f.etf);
  const all = [...new Set([...etfs, ...symbols])].sort();
  const window = addDays(asOf, -LOOKBACK_CALENDAR_DAYS);
  // Closes reach back to the earliest date position pricing looks up (10 days of slack, as pricing asks).
  const from = earliest && addDays(earliest, -10) < window ? addDays(earliest, -10) : window;
  const [closes, rates] = await Promise.all([loadCloses(db, all, from, asOf), loadRateSeries(db, ['^TNX', '^IRX'], from, asOf)]);
  const tnxSeries = rates.get('^TNX')!;
  const irxSeries = rates.get('^IRX')!;
  const dates = windowDates(closes, etfs.length ? etfs : ['SPY']);
  const warnings: string[] = [];
  const returns = new Map<string, Float64Array>();
  const windowCloses = new Map<string, Float64Array>();
  for (const s of all) {
    const c = dates.length > 1 ? onDates(closes.get(s), dates) : null;
    if (c) {
      windowCloses.set(s, c);
      returns.set(s, simpleReturns(c));
    }
    else if (!etfs.includes(s)) warnings.push(`${s}: no close on every date of the ${WINDOW_RETURNS}-day window`);
  }
  if (dates.length < WINDOW_RETURNS + 1) warnings.push(`factor window has ${Math.max(dates.length - 1, 0)} returns, ${WINDOW_RETURNS} wanted`);
  const irx = yieldsOn(irxSeries, dates, true).map((v) => v ?? 0);
  const pricing: PricingData = { closes, symbols: new Set(all), from, bill: irxSeries };
  return { asOf, factors, dates, returns, windowCloses, closes, closesFrom: from, tnx: yieldsOn(tnxSeries, dates, false), irx, pricing, warnings };
}
