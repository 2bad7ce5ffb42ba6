/**
 * VaR backtest of one portfolio over the last `windowDays` trading days. For every day t of the
 * window the book as it stood at the close of t (positions entered by t and not yet exited,
 * valued from t's closes) gets three 1-day VaR forecasts at 95 % and 99 %, each from the
 * `estimationDays` returns ending at t — data strictly before the day it forecasts:
 * - historical: the delta-adjusted exposures per symbol applied to those returns (as the nightly
 *   risk phase does);
 * - parametric: delta-normal z·√(xᵀΣx) from their sample covariance;
 * - Monte Carlo: multivariate normal draws of the symbols' returns from the same covariance,
 *   options fully repriced on every path (one day less to expiry), seeded per day.
 * The forecast is compared with the realised P&L of that same book over t → t + 1 (hypothetical
 * P&L: no trading inside the day; options by the change of their mark).
 */
import { fromColumns } from '../../../engines/common/dense-matrix.ts';
import { sampleCovariance } from '../../../engines/covariance/sample-covariance.ts';
import { backtestVar, type BacktestReport } from '../../../engines/backtest/var-backtest.ts';
import { historicalVarLevels } from '../../../engines/risk/historical-var.ts';
import { parametricVar } from '../../../engines/risk/parametric-var.ts';
import { drawNormals, sourceMonteCarloVar, type NormalDraws } from '../../../engines/montecarlo/source-monte-carlo.ts';
import type { RiskBook } from '../../../engines/risk/risk-book.ts';
import type { VarBacktestPayload } from '../../contracts/risk-analyses.ts';
import type { PositionRow } from '../types.ts';
import type { MarketHistory } from '../market-history.ts';
import { bookAt, heldOn, type EntryCloses } from './book-at.ts';
import { AnalysisMemo, digest, WindowFingerprints } from './memo.ts';

export const BACKTEST_DAYS = 250;
export const ESTIMATION_DAYS = 252;
export const BACKTEST_MC_PATHS = 1_000;
const LEVELS = [0.95, 0.99] as const;
const METHODS = ['historical', 'parametric', 'monte_carlo'] as const;
type Method = (typeof METHODS)[number];

export interface BacktestOptions {
  windowDays?: number;
  estimationDays?: number;
  mcPaths?: number;
  seed?: number;
  /** Proxy closes at entry of the holdings priced through a proxy (see `proxyEntryCloses`). */
  entryCloses?: EntryCloses;
  /** Reuse forecasts computed earlier in this process for identical inputs (default true; benchmarks turn it off). */
  memo?: boolean;
  /** Forecasts stored by earlier runs (any process), read by digest; receives the ones this call computed. */
  store?: DayStore;
}

/** One day's result as memoised and stored: the forecast (null when the day has no next-day P&L) and the symbols left out. */
export interface DayResult {
  day: DayForecast | null;
  missing: string[];
}

/** Stored forecasts by digest, and what a backtest adds to them: the digests it read and the days it computed. */
export interface DayStore {
  known: ReadonlyMap<string, unknown>;
  used: string[];
  fresh: { key: string; day: string; forecast: Record<string, unknown> }[];
}

/** Width of the shared normal draws (sources per day's book); wider books get their own draws. */
const DRAW_WIDTH = 64;

const FINGERPRINTS = new WeakMap<MarketHistory, WindowFingerprints>();
const fingerprintsOf = (h: MarketHistory) => FINGERPRINTS.get(h) ?? (FINGERPRINTS.set(h, new WindowFingerprints(h.dates)), FINGERPRINTS.get(h)!);
/** The shared normal draws by paths, width and seed (read only; 0.5 MB each at the defaults). */
const DRAWS = new AnalysisMemo<NormalDraws>(4);
/** Forecasts by the digest of their inputs (about 250 a portfolio; room for a few thousand portfolios' backtests over a few days). */
const DAY_MEMO = new AnalysisMemo<DayResult>(200_000);

/** What a day's digest reads of the positions held that day, shared by the days with the same holdings. */
interface HeldSet {
  held: PositionRow[];
  /** Digest of their rows as JSON. */
  json: string;
  /** Every symbol they read (own, underlying, proxy), sorted. */
  symbols: string[];
  /** The day digest's JSON after the dates, the same for every day with this set (a set lives for one backtest call, whose settings and entry closes are fixed). */
  tail?: string;
}

/** Builds the held sets of one backtest: each position's JSON once, each distinct holding set once. */
function heldSets(positions: readonly PositionRow[]): (date: string) => HeldSet {
  const json = positions.map((p) => JSON.stringify(p));
  const sets = new Map<string, HeldSet>();
  return (date) => {
    const idx: number[] = [];
    positions.forEach((p, i) => heldOn(p, date) && idx.push(i));
    const sig = idx.join(',');
    let set = sets.get(sig);
    if (!set) {
      const held = idx.map((i) => positions[i]!);
      const symbols = [...new Set(held.flatMap((p) => [p.symbol, p.underlyingSymbol, p.proxySymbol].filter((x): x is string => !!x)))].sort();
      const d = digest();
      d.hash.update(idx.map((i) => json[i]!).join('\u0001'));
      sets.set(sig, (set = { held, json: d.done(), symbols }));
    }
    return set;
  };
}

/**
 * Digest of everything one day's forecast and realised P&L read: the positions held at t (all
 * their fields, and a proxy's entry close), the fingerprints of each of their symbols' closes over
 * t − E … t + 1 and of the bill on t and t + 1, and the settings.
 */
function dayKey(h: MarketHistory, fp: WindowFingerprints, set: HeldSet, t: number, E: number, paths: number, seed: number, entry?: EntryCloses): string {
  const lo = Math.max(0, t - E);
  const hi = Math.min(h.dates.length, t + 2);
  const d = digest();
  // The JSON of { v, held, first, date, next, E, paths, seed, width, entry, symbols }, its parts that do not change from day to day built once per holding set.
  const tail = (set.tail ??= JSON.stringify({ E, paths, seed, width: DRAW_WIDTH, entry: set.held.map((p) => entry?.get(p.id) ?? null), symbols: set.symbols }).slice(1));
  d.hash.update(`{"v":1,"held":${JSON.stringify(set.json)},"first":${JSON.stringify(h.dates[lo])},"date":${JSON.stringify(h.dates[t])},"next":${JSON.stringify(h.dates[hi - 1])},${tail}\u0000`);
  // Two fingerprint integers per symbol (NaN for a symbol without closes) and the bill's.
  const f = new Float64Array(2 * set.symbols.length + 2);
  set.symbols.forEach((s, i) => {
    const c = h.closes.get(s);
    const [a, b] = c ? fp.window(c, lo, hi) : [NaN, NaN];
    f[2 * i] = a;
    f[2 * i + 1] = b;
  });
  [f[f.length - 2], f[f.length - 1]] = fp.window(h.irx, t, hi);
  d.floats(f);
  return d.done();
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** Returns of `symbol` into history indices t−E+1..t, or null when a close is missing. */
function windowReturns(h: MarketHistory, symbol: string, t: number, E: number): Float64Array | null {
  const c = h.closes.get(symbol);
  if (!c || t - E < 0) return null;
  const out = new Float64Array(E);
  for (let i = 0; i < E; i++) {
    const a = c[t - E + i]!;
    const b = c[t - E + i + 1]!;
    if (!(a > 0 && b > 0)) return null;
    out[i] = b / a - 1;
  }
  return out;
}

export interface DayForecast {
  date: string;
  pnl: number;
  var: Record<Method, [number, number] | null>;
}

function forecastDay(h: MarketHistory, positions: readonly PositionRow[], t: number, E: number, draws: (width: number) => NormalDraws, missing: Set<string>, entry?: EntryCloses): DayForecast | null {
  const at = bookAt(h, positions, t, entry);
  if (at.nextDayPnl === null) return null;
  for (const x of at.excluded) missing.add(x.symbol);
  const sources = [...new Set(at.labels.map((l) => l.source))].sort();
  const returns = new Map<string, Float64Array>();
  for (const s of sources) {
    const r = windowReturns(h, s, t, E);
    if (r) returns.set(s, r);
    else missing.add(s);
  }
  const used = sources.filter((s) => returns.has(s));
  const empty: DayForecast = { date: h.dates[t + 1]!, pnl: at.nextDayPnl, var: { historical: null, parametric: null, monte_carlo: null } };
  if (!used.length) return empty;
  const index = new Map(used.map((s, i) => [s, i] as const));
  const x = new Float64Array(used.length);
  at.labels.forEach((l, i) => {
    const j = index.get(l.source);
    if (j !== undefined) x[j]! += at.exposures[i]!;
  });
  const panel = fromColumns(used.map((s) => returns.get(s)!));
  // Historical: scenario P&L = Σ_s x_s r_s,j.
  const scen = new Float64Array(E);
  for (let j = 0; j < E; j++) {
    let v = 0;
    for (let s = 0; s < used.length; s++) v += x[s]! * panel.data[j * used.length + s]!;
    scen[j] = v;
  }
  const hv = historicalVarLevels(scen, LEVELS);
  const cov = sampleCovariance(panel, used).matrix;
  const pv = LEVELS.map((c) => parametricVar({ covariance: cov, exposuresUsd: x, confidence: c }).var1d);
  // Monte Carlo: the symbols' returns drawn jointly normal from the same covariance (common random numbers across days), options repriced.
  const book: RiskBook = { linear: at.book.linear.filter((l) => index.has(l.source)), options: at.book.options.filter((o) => index.has(o.source)) };
  const mc = sourceMonteCarloVar({ book, sources: used, covariance: cov, draws: draws(used.length), confidences: LEVELS });
  return {
    date: h.dates[t + 1]!, pnl: at.nextDayPnl,
    var: { historical: [hv[0]!.var1d, hv[1]!.var1d], parametric: [pv[0]!, pv[1]!], monte_carlo: [mc[0]!, mc[1]!] },
  };
}

const lr = (t: { statistic: number; df: number; pValue: number; reject: boolean }) => ({ statistic: t.statistic, df: t.df, p_value: t.pValue, verdict: t.reject ? ('reject' as const) : ('pass' as const) });

function level(method: Method, r: BacktestReport): VarBacktestPayload['levels'][number] {
  return {
    method, confidence: r.coverage, days: r.days, exceptions: r.exceptions, expected: r.expected, exception_dates: r.exceptionDates,
    kupiec_pof: lr(r.kupiec), christoffersen_independence: lr(r.independence), christoffersen_conditional_coverage: lr(r.conditionalCoverage),
    traffic_light: r.basel ? { zone: r.basel.zone, plus_factor: r.basel.plusFactor, cumulative_probability: r.basel.cumulativeProbability } : null,
  };
}

/** The backtest over the history (which must end on the as-of date); null when too short. */
export function varBacktest(h: MarketHistory, positions: readonly PositionRow[], opts: BacktestOptions = {}): VarBacktestPayload | null {
  const E = opts.estimationDays ?? ESTIMATION_DAYS;
  const paths = opts.mcPaths ?? BACKTEST_MC_PATHS;
  const seed = opts.seed ?? 20_260_713;
  const T = h.dates.length;
  const want = opts.windowDays ?? BACKTEST_DAYS;
  // The estimation window must lie inside the history's last contiguous segment.
  const first = Math.max(h.tailStart + E, T - 1 - want);
  const warnings: string[] = [];
  if (T - 1 - first < want) warnings.push(`history allows ${Math.max(T - 1 - first, 0)} backtest days, ${want} wanted`);
  const missing = new Set<string>();
  const days: DayForecast[] = [];
  const fp = fingerprintsOf(h);
  const heldOnDay = heldSets(positions);
  const store = opts.store;
  // One set of normals for every day (and every portfolio: they depend on the settings only), a fixed width so that each day's forecast depends on its own inputs only.
  const draws = (width: number) => {
    const w = Math.max(DRAW_WIDTH, width);
    return DRAWS.get(`${paths}:${w}:${seed}`, () => drawNormals(paths, w, seed));
  };
  for (let t = first; t < T - 1; t++) {
    const key = dayKey(h, fp, heldOnDay(h.dates[t]!), t, E, paths, seed, opts.entryCloses);
    const compute = (): DayResult => {
      const dayMissing = new Set<string>();
      return { day: forecastDay(h, positions, t, E, draws, dayMissing, opts.entryCloses), missing: [...dayMissing] };
    };
    const known = store?.known.get(key) as DayResult | undefined;
    const d = known ?? (opts.memo === false ? compute() : DAY_MEMO.get(key, compute));
    if (store) {
      store.used.push(key);
      if (!known) store.fresh.push({ key, day: h.dates[t + 1]!, forecast: d as unknown as Record<string, unknown> });
    }
    for (const s of d.missing) missing.add(s);
    if (d.day) days.push(d.day);
  }
  if (missing.size) warnings.push(`left out on some days for want of ${E} returns or a close: ${[...missing].sort().join(', ')}`);
  const levels: VarBacktestPayload['levels'] = [];
  for (const method of METHODS) {
    const rows = days.filter((d) => d.var[method] !== null);
    if (rows.length < 2) continue;
    LEVELS.forEach((c, i) => {
      levels.push(level(method, backtestVar({ dates: rows.map((d) => d.date), pnl: rows.map((d) => d.pnl), varUsd: rows.map((d) => d.var[method]![i]!) }, c)));
    });
  }
  if (!days.length) return null;
  const v = (d: DayForecast, m: Method, i: number) => (d.var[m] ? r2(d.var[m]![i]!) : null);
  return {
    window_days: days.length, estimation_days: E, start_date: days[0]!.date, end_date: days.at(-1)!.date, monte_carlo_paths: paths, levels,
    days: days.map((d) => ({
      date: d.date, pnl: r2(d.pnl), historical_95: v(d, 'historical', 0), historical_99: v(d, 'historical', 1), parametric_95: v(d, 'parametric', 0),
      parametric_99: v(d, 'parametric', 1), monte_carlo_95: v(d, 'monte_carlo', 0), monte_carlo_99: v(d, 'monte_carlo', 1),
    })),
    conventions:
      `Each day's 1-day VaR is forecast at the previous close from the ${E} returns ending that close, on the book held then; ` +
      'historical and parametric use delta-adjusted exposures, Monte Carlo reprices options on every path; realised P&L is that book\'s change of value over the day ' +
      '(no intraday trading). An exception is a loss larger than the VaR. Kupiec POF and Christoffersen tests reject at 5 %; the Basel traffic light applies to 99 % over 250 days.',
    warnings,
  };
}
