/** Pure shaping of stored bars into the api.md §7.1 column arrays. */
import type { StoredBar } from '../../db/queries/market-coverage.ts';

export interface ColumnHistory {
  dates: (string | number)[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  adjusted_close: number[];
  data_points: number;
  source: string;
}

/** Epoch seconds at 00:00 UTC of an ISO date. @example unixDate('2026-07-13') // 1783900800 */
export const unixDate = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 1000;

/** Columns of `bars` (date order kept); open/high/low fall back to the close, volume to 0. */
export function toColumns(bars: readonly StoredBar[], dateFormat: 'iso' | 'unix'): ColumnHistory {
  return {
    dates: bars.map((b) => (dateFormat === 'unix' ? unixDate(b.date) : b.date)),
    open: bars.map((b) => b.open ?? b.close),
    high: bars.map((b) => b.high ?? b.close),
    low: bars.map((b) => b.low ?? b.close),
    close: bars.map((b) => b.close),
    volume: bars.map((b) => b.volume ?? 0),
    adjusted_close: bars.map((b) => b.close),
    data_points: bars.length,
    source: bars[bars.length - 1]?.source ?? 'none',
  };
}

/** Upper-cased, de-duplicated, non-empty entries of a comma-separated list, in order. */
export function parseSymbolList(csv: string | null | undefined): string[] {
  if (!csv) return [];
  return [...new Set(csv.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean))];
}
