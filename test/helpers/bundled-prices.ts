/**
 * Test helper: reads the bundled demo market data (data/market/*.csv, real adjusted closes
 * 2020-01-02 … 2026-07-13, see data/market/SOURCE.md) into per-symbol date/close arrays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PriceSeries {
  dates: string[];
  closes: Float64Array;
}

const ROOT = join(import.meta.dirname, '..', '..', 'data', 'market');
const cache = new Map<string, Map<string, PriceSeries>>();

function readLongCsv(file: string): Map<string, PriceSeries> {
  const hit = cache.get(file);
  if (hit) return hit;
  const rows = readFileSync(join(ROOT, file), 'utf8').trim().split('\n').slice(1);
  const tmp = new Map<string, { dates: string[]; values: number[] }>();
  for (const line of rows) {
    const [date, symbol, value] = line.split(',');
    if (!date || !symbol || value === undefined) throw new Error(`malformed line in ${file}: ${line}`);
    let s = tmp.get(symbol);
    if (!s) tmp.set(symbol, (s = { dates: [], values: [] }));
    s.dates.push(date);
    s.values.push(Number(value));
  }
  const out = new Map<string, PriceSeries>();
  for (const [symbol, s] of tmp) {
    const order = s.dates.map((_, i) => i).sort((a, b) => (s.dates[a]! < s.dates[b]! ? -1 : 1));
    out.set(symbol, { dates: order.map((i) => s.dates[i]!), closes: Float64Array.from(order, (i) => s.values[i]!) });
  }
  cache.set(file, out);
  return out;
}

/** Adjusted closes by symbol from data/market/prices_daily.csv (date,symbol,adj_close). */
export function bundledPrices(): Map<string, PriceSeries> {
  return readLongCsv('prices_daily.csv');
}

/** One symbol's closes; throws if the symbol is not bundled. */
export function bundledSeries(symbol: string): PriceSeries {
  const s = bundledPrices().get(symbol);
  if (!s) throw new Error(`symbol ${symbol} not in bundled prices`);
  return s;
}

/** Treasury yields in percent by symbol (^IRX 13-week bill, ^TNX 10-year) from treasury_yields_daily.csv. */
export function bundledYields(): Map<string, PriceSeries> {
  return readLongCsv('treasury_yields_daily.csv');
}

/**
 * Closes of `symbols` (and optional yield series) on the intersection of their dates, keeping
 * the last `closes` dates on or before `end` — the same window rule as
 * test/fixtures/gen_stats_numpy.py (`aligned_closes`).
 */
export function windowCloses(
  symbols: readonly string[],
  closes: number,
  end = '2026-07-13',
  extra: readonly PriceSeries[] = [],
): { dates: string[]; closes: Float64Array[] } {
  const series = [...symbols.map(bundledSeries), ...extra];
  const maps = series.map((s) => new Map(s.dates.map((d, i) => [d, s.closes[i]!] as const)));
  const common = series[0]!.dates.filter((d) => d <= end && maps.every((m) => m.has(d)));
  const dates = common.slice(-closes);
  return { dates, closes: maps.map((m) => Float64Array.from(dates, (d) => m.get(d)!)) };
}
