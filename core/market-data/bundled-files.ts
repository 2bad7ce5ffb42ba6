/**
 * Reader for the bundled demo market data in `data/market/` (real adjusted daily closes,
 * 2020-01-02..2026-07-13; see data/market/NOTICE.md). Works offline; nothing is fetched.
 *
 * Symbols are stored as SigmaSight names them: the VIX index (`^VIX` in the files) is `VIX`,
 * the symbol the demo book's VIX option names as its underlying. Treasury series keep their
 * file names (`^IRX` 13-week bill, `^TNX` 10-year), in percent.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BUNDLED_DIR = fileURLToPath(new URL('../../data/market/', import.meta.url));
export const BUNDLED_LAST_DATE = '2026-07-13';

export interface PriceRow {
  symbol: string;
  date: string;
  close: number;
  open?: number;
  high?: number;
  low?: number;
}

export interface RateRow {
  series: string;
  date: string;
  yieldPct: number;
}

/** A symbol's history in date order. */
export interface Series {
  dates: string[];
  closes: Float64Array;
}

const INDEX_ALIASES: Record<string, string> = { '^VIX': 'VIX' };

function readCsv(file: string): string[][] {
  const text = readFileSync(BUNDLED_DIR + file, 'utf8');
  const lines = text.split('\n');
  const out: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line) out.push(line.split(','));
  }
  return out;
}

function num(v: string | undefined, where: string): number {
  const n = Number(v);
  if (v === undefined || v === '' || !Number.isFinite(n)) throw new Error(`bundled data: bad number "${v}" at ${where}`);
  return n;
}

/** Every bundled close: the 75 stocks and ETFs plus the VIX index (with its OHLC). */
export function readBundledPrices(): PriceRow[] {
  const rows: PriceRow[] = readCsv('prices_daily.csv').map(([date, symbol, close], i) => ({
    symbol: symbol!,
    date: date!,
    close: num(close, `prices_daily.csv row ${i + 2}`),
  }));
  for (const [i, [date, symbol, open, high, low, close]] of readCsv('vix_daily.csv').entries()) {
    const where = `vix_daily.csv row ${i + 2}`;
    rows.push({ symbol: INDEX_ALIASES[symbol!] ?? symbol!, date: date!, close: num(close, where), open: num(open, where), high: num(high, where), low: num(low, where) });
  }
  return rows;
}

export function readBundledRates(): RateRow[] {
  return readCsv('treasury_yields_daily.csv').map(([date, series, y], i) => ({ series: series!, date: date!, yieldPct: num(y, `treasury_yields_daily.csv row ${i + 2}`) }));
}

/** data/market/symbols.csv: every bundled series and its role (quoted notes are not needed here). */
export function readBundledSymbols(): { symbol: string; category: string }[] {
  return readCsv('symbols.csv').map(([symbol, , category]) => ({ symbol: symbol!, category: category! }));
}

/** Groups rows into per-symbol series sorted by date. */
export function toSeries(rows: readonly { symbol: string; date: string; close: number }[]): Map<string, Series> {
  const grouped = new Map<string, { date: string; close: number }[]>();
  for (const r of rows) {
    let list = grouped.get(r.symbol);
    if (!list) grouped.set(r.symbol, (list = []));
    list.push(r);
  }
  const out = new Map<string, Series>();
  for (const [symbol, list] of grouped) {
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    out.set(symbol, { dates: list.map((r) => r.date), closes: Float64Array.from(list, (r) => r.close) });
  }
  return out;
}

