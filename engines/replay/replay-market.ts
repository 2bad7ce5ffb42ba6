/**
 * The market side of a historical replay: per-source cumulative returns over a window (from the
 * source's own closes or, failing that, through factor-ETF betas) and the VIX ratio and 10-year
 * rate change on each date. Used by {@link replayWindow}; one concept: "what the window did".
 */
import { EngineError } from '../errors.ts';

export interface ReplayMarket {
  /** Trading dates of the window, ascending; first = base (start close), last = end. */
  dates: readonly string[];
  /** Symbol → closes on `dates` (NaN where missing). */
  closes: ReadonlyMap<string, ArrayLike<number>>;
  /** VIX close on `dates` (NaN where missing; the last print is carried forward). */
  vix: ArrayLike<number> | null;
  /** 10-year Treasury yield in percent on `dates` (NaN where missing; carried forward). */
  tenYearPct: ArrayLike<number> | null;
  /** Fallback for sources without full history in the window: betas to factor ETFs whose closes are in `closes`. */
  factorBetas?: ReadonlyMap<string, Readonly<Record<string, number>>>;
}

export type ReplayMethod = 'history' | 'factor_proxy' | 'unmoved';

/** A source's cumulative simple return R_t on every date of the window (R_base = 0). */
export interface SourcePath {
  method: ReplayMethod;
  returns: Float64Array;
}

/** Copy of `x` with every NaN replaced by the last finite value before it (NaN until the first print). */
export function carryForward(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  let last = Number.NaN;
  for (let t = 0; t < x.length; t++) {
    const v = x[t]!;
    if (Number.isFinite(v)) last = v;
    out[t] = last;
  }
  return out;
}

/**
 * C_t / C_base − 1 on every date, with interior gaps carried forward; null unless the series has a
 * positive close on the base date and on the last date (a source listed or delisted inside the
 * window has no full history).
 */
export function cumulativeReturns(closes: ArrayLike<number>): Float64Array | null {
  const c = carryForward(closes);
  const n = c.length;
  const base = closes[0]!;
  const end = closes[n - 1]!;
  if (!(base > 0 && end > 0 && Number.isFinite(base) && Number.isFinite(end))) return null;
  for (let t = 0; t < n; t++) c[t] = c[t]! / base - 1;
  return c;
}

/** Checks the shape of a replay market: ≥ 2 ascending dates and every series as long as `dates`. */
export function checkReplayMarket(m: ReplayMarket): number {
  const n = m.dates.length;
  if (n < 2) throw new EngineError('INSUFFICIENT_DATA', `a replay needs at least 2 dates (base and end), got ${n}`);
  for (let t = 1; t < n; t++) {
    if (!(m.dates[t]! > m.dates[t - 1]!)) throw new EngineError('INVALID_INPUT', `dates must be strictly ascending: ${m.dates[t - 1]} then ${m.dates[t]}`);
  }
  const series: [string, ArrayLike<number> | null][] = [['vix', m.vix], ['tenYearPct', m.tenYearPct], ...[...m.closes].map(([s, c]) => [`closes of ${s}`, c] as [string, ArrayLike<number>])];
  for (const [name, s] of series) {
    if (s !== null && s.length !== n) throw new EngineError('INVALID_INPUT', `${name} has ${s.length} values for ${n} dates`);
  }
  return n;
}

/** Σ_etf β·R_etf(t), or null when there are no betas or an ETF lacks full history. */
function proxyReturns(betas: Readonly<Record<string, number>> | undefined, m: ReplayMarket, n: number): Float64Array | null {
  const entries = betas ? Object.entries(betas) : [];
  if (entries.length === 0) return null;
  const out = new Float64Array(n);
  for (const [etf, beta] of entries) {
    if (!Number.isFinite(beta)) throw new EngineError('INVALID_INPUT', `beta to ${etf} is ${beta}`);
    const closes = m.closes.get(etf);
    const r = closes ? cumulativeReturns(closes) : null;
    if (!r) return null;
    for (let t = 0; t < n; t++) out[t] = out[t]! + beta * r[t]!;
  }
  return out;
}

/**
 * Path of every source: its own closes when they cover the window ('history'), else the
 * factor-ETF proxy ('factor_proxy'), else zero ('unmoved').
 */
export function sourcePaths(sources: readonly string[], m: ReplayMarket): Map<string, SourcePath> {
  const n = m.dates.length;
  const out = new Map<string, SourcePath>();
  for (const s of sources) {
    const closes = m.closes.get(s);
    const own = closes ? cumulativeReturns(closes) : null;
    if (own) {
      out.set(s, { method: 'history', returns: own });
      continue;
    }
    const proxy = proxyReturns(m.factorBetas?.get(s), m, n);
    out.set(s, proxy ? { method: 'factor_proxy', returns: proxy } : { method: 'unmoved', returns: new Float64Array(n) });
  }
  return out;
}

/**
 * x_t / x_base (ratio) or x_t − x_base (difference) of a carried-forward level series; null
 * when the series is absent or has no print on or before the base date.
 */
export function levelChange(x: ArrayLike<number> | null, kind: 'ratio' | 'difference'): Float64Array | null {
  if (x === null) return null;
  const c = carryForward(x);
  const base = c[0]!;
  if (!Number.isFinite(base) || (kind === 'ratio' && !(base > 0))) return null;
  for (let t = 0; t < c.length; t++) {
    const v = Number.isFinite(c[t]!) ? c[t]! : base;
    c[t] = kind === 'ratio' ? v / base : v - base;
  }
  return c;
}
