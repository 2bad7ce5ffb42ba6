import { EngineError } from '../errors.ts';

/** A dated series: `dates[i]` (ISO `YYYY-MM-DD`, strictly increasing) labels `values[i]`. */
export interface DatedSeries {
  readonly dates: readonly string[];
  readonly values: Float64Array;
}

/** Series restricted to the dates all of them share. */
export interface AlignedSeries {
  readonly dates: string[];
  /** One array per input series, in input order, each of length `dates.length`. */
  readonly values: Float64Array[];
}

/**
 * Aligns series on the **intersection** of their dates (engines.md §6.6: no forward or zero
 * fill). A date missing from any series is dropped for all; NaN values count as missing.
 * Align prices first, then take returns, so a return never spans a gap in one series only.
 * Dates compare as ISO strings; each series' dates must be strictly increasing.
 * Cost O(Σ n_i) with a counting map.
 * @throws EngineError INVALID_INPUT when dates and values differ in length or dates are not strictly increasing.
 * @example
 * alignOnCommonDates([
 *   { dates: ['2026-01-02', '2026-01-05'], values: new Float64Array([1, 2]) },
 *   { dates: ['2026-01-05', '2026-01-06'], values: new Float64Array([3, 4]) },
 * ]) // { dates: ['2026-01-05'], values: [Float64Array [2], Float64Array [3]] }
 */
export function alignOnCommonDates(series: readonly DatedSeries[]): AlignedSeries {
  if (series.length === 0) return { dates: [], values: [] };
  const counts = new Map<string, number>();
  series.forEach((s, k) => {
    if (s.dates.length !== s.values.length) {
      throw new EngineError('INVALID_INPUT', `series ${k}: ${s.dates.length} dates but ${s.values.length} values`);
    }
    for (let i = 0; i < s.dates.length; i++) {
      const d = s.dates[i]!;
      if (i > 0 && !(d > s.dates[i - 1]!)) throw new EngineError('INVALID_INPUT', `series ${k}: dates not strictly increasing at ${d}`);
      if (!Number.isNaN(s.values[i]!)) counts.set(d, (counts.get(d) ?? 0) + 1);
    }
  });
  const first = series[0]!;
  const dates = first.dates.filter((d, i) => !Number.isNaN(first.values[i]!) && counts.get(d) === series.length);
  const values = series.map((s) => {
    const index = new Map<string, number>();
    s.dates.forEach((d, i) => index.set(d, i));
    const out = new Float64Array(dates.length);
    dates.forEach((d, t) => (out[t] = s.values[index.get(d)!]!));
    return out;
  });
  return { dates, values };
}
