/**
 * Historical replays of today's book: each named window of engines/replay/windows.ts (or a
 * user's window) replayed from the bundled history, options repriced with the window's VIX ratio
 * and 10-year change; symbols without closes over the window move through their style-model
 * loadings read as factor-ETF weights, and are flagged.
 */
import { replayWindow } from '../../../engines/replay/historical-replay.ts';
import { NAMED_REPLAY_WINDOWS } from '../../../engines/replay/windows.ts';
import { bookSources } from '../../../engines/risk/risk-book.ts';
import { AppError } from '../../errors.ts';
import type { HistoricalReplaysPayload } from '../../contracts/risk-analyses.ts';
import type { MarketHistory } from '../market-history.ts';
import { indexOnOrBefore } from '../../seed/calendar-dates.ts';
import type { LabelledBook } from './book-at.ts';
import { digest, PerHistoryMemo } from './memo.ts';

type WindowResult = HistoricalReplaysPayload['windows'][number];
const r2 = (x: number) => Math.round(x * 100) / 100;

export const REPLAY_CONVENTIONS =
  'Today\'s book shocked as if the window happened now: each symbol moves by its close change from the window\'s first close (the base), ' +
  'options are repriced in full with the underlying\'s move, implied vol × VIX(t)/VIX(base) and the rate + the 10-year change, expiry unchanged. ' +
  'Symbols without closes over the window move through their factor loadings (flagged). Worst day and peak-to-trough are read off the daily path.';

export interface WindowSpec {
  key: string;
  name: string;
  start: string;
  end: string;
}

/** The window's history indices [base, end]; throws VALIDATION outside the stored history. */
export function windowIndices(h: MarketHistory, w: WindowSpec): [number, number] {
  const first = h.dates[0];
  const last = h.dates.at(-1);
  if (!first || !last || w.start < first || w.end > last) throw new AppError('VALIDATION', `window ${w.start}→${w.end} is outside the stored history ${first ?? '—'}→${last ?? '—'}`, { details: { errors: [{ path: 'start_date', message: `stored history covers ${first}→${last}` }] } });
  const a = indexOnOrBefore(h.dates, w.start);
  const b = indexOnOrBefore(h.dates, w.end);
  if (a < 0 || b - a < 1) throw new AppError('VALIDATION', `window ${w.start}→${w.end} holds fewer than two trading days`, { details: { errors: [{ path: 'end_date', message: 'must be at least one trading day after start_date' }] } });
  return [a, b];
}

export function replayOne(lb: LabelledBook, navUsd: number, h: MarketHistory, w: WindowSpec, etfWeights: ReadonlyMap<string, Record<string, number>>): WindowResult {
  const [a, b] = windowIndices(h, w);
  const sources = bookSources(lb.book);
  const etfs = new Set(sources.flatMap((s) => Object.keys(etfWeights.get(s) ?? {})));
  const closes = new Map<string, Float64Array>();
  for (const s of new Set([...sources, ...etfs])) {
    const c = h.closes.get(s);
    if (c) closes.set(s, c.subarray(a, b + 1));
  }
  const betas = new Map(sources.flatMap((s) => (etfWeights.has(s) ? [[s, etfWeights.get(s)!] as const] : [])));
  const r = replayWindow(lb.book, navUsd, { dates: h.dates.slice(a, b + 1), closes, vix: h.vix.subarray(a, b + 1), tenYearPct: h.tnx.subarray(a, b + 1), factorBetas: betas });
  const byId = new Map(lb.labels.map((l) => [l.positionId, l] as const));
  return {
    key: w.key, name: w.name, start_date: r.start, end_date: r.end, trading_days: r.tradingDays, total_pnl: r2(r.totalPnlUsd),
    total_pct: r.totalPct === null ? null : Math.round(r.totalPct * 100) / 100, vol_ratio: r.volRatio, rate_change_bp: r.rateChangeBp === null ? null : Math.round(r.rateChangeBp * 10) / 10,
    worst_day: r.worstDay ? { date: r.worstDay.date, pnl: r2(r.worstDay.pnlUsd) } : null,
    peak_to_trough: { peak_date: r.peakToTrough.peakDate, trough_date: r.peakToTrough.troughDate, drawdown_usd: r2(r.peakToTrough.drawdownUsd), drawdown_pct: r.peakToTrough.drawdownPct === null ? null : Math.round(r.peakToTrough.drawdownPct * 100) / 100 },
    positions: r.holdings.map((x) => ({ position_id: x.id, symbol: byId.get(x.id)?.symbol ?? x.source, pnl: r2(x.pnlUsd), source_return_pct: Math.round(x.sourceReturn * 1e4) / 100, method: x.method })),
    path: r.path.map((p) => ({ date: p.date, cumulative_pnl: r2(p.cumulativePnlUsd) })),
    flagged_symbols: [...r.proxied, ...r.unmoved].sort(),
  };
}

const MEMO = new PerHistoryMemo<HistoricalReplaysPayload>();

/** Every named window that the history covers (memoised per history and book). */
export function namedReplays(lb: LabelledBook, navUsd: number, h: MarketHistory, etfWeights: ReadonlyMap<string, Record<string, number>>): HistoricalReplaysPayload {
  const d = digest();
  d.json({ v: 1, book: lb.book, labels: lb.labels, excluded: lb.excluded, navUsd, weights: [...etfWeights].sort(([a], [b]) => (a < b ? -1 : 1)) });
  return MEMO.get(h, d.done(), () => computeReplays(lb, navUsd, h, etfWeights));
}

function computeReplays(lb: LabelledBook, navUsd: number, h: MarketHistory, etfWeights: ReadonlyMap<string, Record<string, number>>): HistoricalReplaysPayload {
  const warnings = lb.excluded.map((x) => `left out: ${x.symbol} (${x.reason})`);
  const windows: WindowResult[] = [];
  for (const w of NAMED_REPLAY_WINDOWS) {
    try {
      windows.push(replayOne(lb, navUsd, h, w, etfWeights));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      warnings.push(`${w.name}: ${e.message}`);
    }
  }
  return { nav: r2(navUsd), windows, conventions: REPLAY_CONVENTIONS, warnings };
}
