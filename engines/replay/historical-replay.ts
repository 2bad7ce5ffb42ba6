/**
 * Historical scenario replay: today's book shocked as if a past window happened now.
 */
import { EngineError } from '../errors.ts';
import { bookValue, revalueBook, type RiskBook } from '../risk/risk-book.ts';
import { checkReplayMarket, levelChange, sourcePaths, type ReplayMarket, type SourcePath } from './replay-market.ts';

export type { ReplayMarket, ReplayMethod } from './replay-market.ts';

export interface ReplayHolding {
  id: string;
  source: string;
  /** P&L of the holding at the end of the window, USD. */
  pnlUsd: number;
  /** Cumulative return of the source over the window, C_end / C_base − 1 (or its proxy). */
  sourceReturn: number;
  method: 'history' | 'factor_proxy' | 'unmoved';
}

export interface ReplayResult {
  start: string;
  end: string;
  /** Dates after the base (= path length). */
  tradingDays: number;
  totalPnlUsd: number;
  /** totalPnlUsd / navUsd, percent points; null when navUsd ≤ 0. */
  totalPct: number | null;
  /** VIX_end / VIX_base applied to option vols; null without a VIX base print (vols then unchanged). */
  volRatio: number | null;
  /** (TNX_end − TNX_base) × 100, basis points; null without a 10-year base print (rates then unchanged). */
  rateChangeBp: number | null;
  /** Book order: linear then options. */
  holdings: ReplayHolding[];
  /** One point per date after the base. */
  path: { date: string; cumulativePnlUsd: number; dayPnlUsd: number }[];
  /** Date of the lowest day P&L (a gain if no day lost). */
  worstDay: { date: string; pnlUsd: number } | null;
  /**
   * Largest fall in USD of the equity path E = navUsd + cumulative P&L (base date = navUsd first),
   * as positive sizes: drawdownUsd = E_peak − E_trough ≥ 0, drawdownPct = drawdownUsd / E_peak × 100
   * (null when E_peak ≤ 0). Without a fall both dates are the base date and the drawdown is 0.
   */
  peakToTrough: { peakDate: string; troughDate: string; drawdownUsd: number; drawdownPct: number | null };
  /** Sources moved through factor betas / not moved at all (no history, no betas); sorted. */
  proxied: string[];
  unmoved: string[];
  /** Notes on clamped returns (a proxied return ≤ −100 % is floored at −99 %). */
  warnings: string[];
}

/** Proxied returns below this are floored so that option spots stay positive. */
const MIN_RETURN = -0.99;

function peakToTrough(dates: readonly string[], navUsd: number, cumulative: Float64Array): ReplayResult['peakToTrough'] {
  let peak = navUsd;
  let peakAt = 0;
  let best = { peakAt: 0, troughAt: 0, dd: 0 };
  for (let t = 0; t < dates.length; t++) {
    const e = navUsd + cumulative[t]!;
    if (e > peak) {
      peak = e;
      peakAt = t;
    }
    if (peak - e > best.dd) best = { peakAt, troughAt: t, dd: peak - e };
  }
  const ePeak = navUsd + cumulative[best.peakAt]!;
  return {
    peakDate: dates[best.peakAt]!, troughDate: dates[best.troughAt]!, drawdownUsd: best.dd,
    drawdownPct: ePeak > 0 ? (best.dd / ePeak) * 100 : null,
  };
}

function clampPaths(paths: Map<string, SourcePath>, warnings: string[]): void {
  for (const [s, p] of paths) {
    let clamped = 0;
    for (let t = 0; t < p.returns.length; t++) {
      if (p.returns[t]! < MIN_RETURN) {
        p.returns[t] = MIN_RETURN;
        clamped++;
      }
    }
    if (clamped > 0) warnings.push(`${s}: proxied return below −99 % on ${clamped} date(s), floored at −99 %`);
  }
}

/** Cumulative P&L of the book on every date (index 0 = base = 0) and the per-holding P&L at the end. */
function revaluePath(book: RiskBook, paths: Map<string, SourcePath>, vol: Float64Array | null, tnx: Float64Array | null, n: number) {
  const cumulative = new Float64Array(n);
  let endHoldings: Float64Array = new Float64Array(book.linear.length + book.options.length);
  const returns = new Map<string, number>();
  for (let t = 1; t < n; t++) {
    for (const [s, p] of paths) returns.set(s, p.returns[t]!);
    const r = revalueBook(book, { returns, volRatio: vol ? vol[t]! : 1, rateShift: tnx ? tnx[t]! / 100 : 0 });
    cumulative[t] = r.totalUsd;
    if (t === n - 1) endHoldings = r.perHolding;
  }
  return { cumulative, endHoldings };
}

/**
 * Replays a historical window on today's book (an instantaneous shock: the window's moves are
 * applied to today's prices, tenors unchanged, no carry or time decay).
 * On each date t after the base, with R_t the source's cumulative return:
 * - history: R_t = C_t / C_base − 1 (closes carried forward over interior gaps; needs a close on
 *   the base and end dates); factor_proxy: R_t = Σ_etf β·(ETF_t / ETF_base − 1); unmoved: 0;
 * - linear holdings: P&L = valueUsd × R_t;
 * - options: BSM(S(1+R_t), σ × VIX_t / VIX_base, r + (TNX_t − TNX_base) / 100, T) − BSM(today), ×
 *   shares (through {@link revalueBook}); VIX and TNX carried forward over gaps;
 * - cumulative P&L_t = revalued book − today's value; day P&L_t = P&L_t − P&L_{t−1}.
 * @throws EngineError INSUFFICIENT_DATA for fewer than 2 dates; INVALID_INPUT for unsorted dates,
 *   series of the wrong length, a non-finite NAV or beta.
 * @example replayWindow({ linear: [{ id: 'a', source: 'SPY', valueUsd: 1000 }], options: [] }, 1000,
 *   { dates: ['d0', 'd1'], closes: new Map([['SPY', [100, 90]]]), vix: null, tenYearPct: null }).totalPnlUsd // -100
 */
export function replayWindow(book: RiskBook, navUsd: number, market: ReplayMarket): ReplayResult {
  const n = checkReplayMarket(market);
  if (!Number.isFinite(navUsd)) throw new EngineError('INVALID_INPUT', `navUsd must be finite, got ${navUsd}`);
  bookValue(book); // validates every option's inputs once
  const sources = [...new Set([...book.linear.map((h) => h.source), ...book.options.map((o) => o.source)])].sort();
  const paths = sourcePaths(sources, market);
  const warnings: string[] = [];
  clampPaths(paths, warnings);
  const vol = levelChange(market.vix, 'ratio');
  const tnx = levelChange(market.tenYearPct, 'difference');
  const { cumulative, endHoldings } = revaluePath(book, paths, vol, tnx, n);
  const { dates } = market;
  const path = [];
  let worst: ReplayResult['worstDay'] = null;
  for (let t = 1; t < n; t++) {
    const day = cumulative[t]! - cumulative[t - 1]!;
    path.push({ date: dates[t]!, cumulativePnlUsd: cumulative[t]!, dayPnlUsd: day });
    if (worst === null || day < worst.pnlUsd) worst = { date: dates[t]!, pnlUsd: day };
  }
  const all = [...book.linear, ...book.options];
  const holdings = all.map((h, i): ReplayHolding => {
    const p = paths.get(h.source)!;
    return { id: h.id, source: h.source, pnlUsd: endHoldings[i]!, sourceReturn: p.returns[n - 1]!, method: p.method };
  });
  const total = cumulative[n - 1]!;
  const by = (m: string) => sources.filter((s) => paths.get(s)!.method === m);
  return {
    start: dates[0]!, end: dates[n - 1]!, tradingDays: n - 1, totalPnlUsd: total, totalPct: navUsd > 0 ? (total / navUsd) * 100 : null,
    volRatio: vol ? vol[n - 1]! : null, rateChangeBp: tnx ? tnx[n - 1]! * 100 : null,
    holdings, path, worstDay: worst, peakToTrough: peakToTrough(dates, navUsd, cumulative),
    proxied: by('factor_proxy'), unmoved: by('unmoved'), warnings,
  };
}
