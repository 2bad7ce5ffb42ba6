/**
 * Market-data sync: `latest` (the last 5 trading days), `backfill` (the last N trading days) and
 * `ensure-history` (≥ 252 trading days for every symbol the engines need; only gaps are fetched).
 * The bundled files are loaded first (checksum-gated, so usually a no-op); then each HTTP
 * provider in precedence order gets the symbols still unserved. A provider failure never aborts
 * the run: it continues on stored data and reports stale symbols. Writes are idempotent upserts
 * with source precedence, so a rerun writes nothing when nothing changed.
 */
import type { Db } from '../../db/client.ts';
import { latestCloses, markUnresolvable, storedCloseDates } from '../../db/queries/market-coverage.ts';
import type { Logger } from '../logger.ts';
import { lastClosedTradingDay, latestTradingDayOnOrBefore, tradingDaysBetween } from './calendar.ts';
import { HISTORY_TRADING_DAYS, historyStatus, tradingWindow, windowCoverage, type HistoryStatus } from './coverage.ts';
import { loadBundledMarketData } from './load-bundled.ts';
import type { MarketDataProvider, ProviderErrorKind, ProviderName } from './provider.ts';
import { createBundledProvider } from './providers/bundled.ts';
import { fetchFromProvider, type FetchRequest, type ProviderStats, type SyncProgress } from './sync-fetch.ts';
import { syncRates } from './sync-rates.ts';
import { buildTargets, type SyncTarget } from './universe.ts';

export type { ProviderStats, SyncProgress };

export interface SyncDeps {
  db: Db;
  log: Logger;
  clock: () => Date;
  /** Providers in precedence order (build them with createProviders(config)); default: bundled only. */
  providers?: MarketDataProvider[];
}

export type SyncMode = 'latest' | 'backfill' | 'ensure-history';

export interface SyncOptions {
  mode: SyncMode;
  /** Sync as of this date (moved back to a trading day); default: the last closed trading day. */
  asOf?: string;
  /** backfill: trading days (default 90); ensure-history: trading days needed (default and minimum 252). */
  days?: number;
  /** Only these symbols (default: every symbol the engines need). */
  symbols?: string[];
  onProgress?: (e: SyncProgress) => void;
  signal?: AbortSignal;
}

export interface SyncFailure {
  symbol: string;
  provider: ProviderName;
  kind: ProviderErrorKind | 'empty';
  reason: string;
  /** A later provider served the symbol after this failure. */
  recovered: boolean;
}

export interface SymbolOutcome {
  symbol: string;
  kind: SyncTarget['kind'];
  status: 'ok' | 'stale' | 'skipped';
  lastDate: string | null;
  servedBy: ProviderName | null;
  /** ensure-history: trading days with a close in the window ending at dataAsOf. */
  history?: { available: number; needed: number; status: HistoryStatus };
  note?: string;
}

export interface SyncSummary {
  mode: SyncMode;
  /** Trading day whose close every symbol should have. */
  expectedDate: string;
  /** Latest trading day with any stored close of the synced symbols (≤ expectedDate). */
  dataAsOf: string | null;
  window: { from: string; to: string; tradingDays: number };
  providers: ProviderName[];
  perProvider: Partial<Record<ProviderName, ProviderStats>>;
  /** Distinct symbols sent to at least one HTTP provider. */
  symbolsRequested: number;
  /** Symbols whose newest close is on the expected trading day. */
  symbolsOk: number;
  /** Symbols whose newest close is older than the expected trading day (or absent). */
  stale: string[];
  failed: SyncFailure[];
  skipped: { symbol: string; reason: string }[];
  unresolvableMarked: string[];
  rowsWritten: number;
  rateRowsWritten: number;
  symbols: SymbolOutcome[];
  aborted: boolean;
  ms: number;
}

function windowDays(opts: SyncOptions): number {
  const days = opts.days;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 5000)) throw new RangeError(`days must be a whole number of trading days between 1 and 5000, got ${days}`);
  if (opts.mode === 'latest') return 5;
  if (opts.mode === 'backfill') return days ?? 90;
  return Math.max(days ?? HISTORY_TRADING_DAYS, HISTORY_TRADING_DAYS);
}

/** What to ask the providers for: the whole window, or (ensure-history) from the first missing day. */
async function plan(db: Db, mode: SyncMode, targets: SyncTarget[], window: string[]): Promise<FetchRequest[]> {
  const from = window[0]!;
  const to = window[window.length - 1]!;
  if (mode !== 'ensure-history') return targets.map((target) => ({ target, from, to }));
  const equities = targets.filter((t) => t.kind !== 'option');
  const stored = await storedCloseDates(db, equities.map((t) => t.symbol), from, to);
  return equities.flatMap((target) => {
    const have = new Set(stored.get(target.symbol));
    const firstMissing = window.find((d) => !have.has(d));
    return firstMissing ? [{ target, from: firstMissing, to }] : [];
  });
}

/** The bundled files, loaded once per checksum (usually a no-op); returns its stats and yield rows. */
async function loadBundled(db: Db): Promise<{ stats: ProviderStats; rateRows: number }> {
  const t0 = performance.now();
  const load = await loadBundledMarketData(db);
  return { stats: { requested: 0, ok: 0, empty: 0, failed: 0, rowsWritten: load.priceRows, ms: performance.now() - t0 }, rateRows: load.rateRows };
}

/** Each HTTP provider in turn gets the requests no earlier provider served. */
async function runProviders(deps: SyncDeps, http: MarketDataProvider[], requests: FetchRequest[], opts: SyncOptions) {
  const perProvider: SyncSummary['perProvider'] = {};
  const failed: SyncFailure[] = [];
  const servedBy = new Map<string, ProviderName>();
  const requested = new Set<string>();
  let pending = requests;
  for (const provider of http) {
    if (opts.signal?.aborted) break;
    const eligible = pending.filter((r) => provider.supports(r.target.kind));
    if (!eligible.length) continue;
    for (const r of eligible) requested.add(r.target.symbol);
    const { stats, outcomes } = await fetchFromProvider(deps.db, provider, eligible, { onProgress: opts.onProgress, signal: opts.signal });
    perProvider[provider.name] = stats;
    for (const o of outcomes) {
      if (o.ok) servedBy.set(o.symbol, provider.name);
      else failed.push({ symbol: o.symbol, provider: provider.name, kind: o.kind!, reason: o.reason!, recovered: false });
    }
    pending = pending.filter((r) => !servedBy.has(r.target.symbol));
    deps.log.info({ provider: provider.name, ...stats, ms: Math.round(stats.ms) }, 'market data provider pass');
  }
  for (const f of failed) f.recovered = servedBy.has(f.symbol);
  return { perProvider, failed, servedBy, requested: requested.size, unserved: pending.map((r) => r.target) };
}

/** Runs one sync; never throws for provider failures (they are in the summary). */
export async function syncMarketData(deps: SyncDeps, opts: SyncOptions): Promise<SyncSummary> {
  const t0 = performance.now();
  const providers = deps.providers ?? [createBundledProvider()];
  const expectedDate = opts.asOf ? latestTradingDayOnOrBefore(opts.asOf) : lastClosedTradingDay(deps.clock());
  const window = tradingWindow(expectedDate, windowDays(opts));
  const targets = await buildTargets(deps.db, opts.symbols);
  const http = providers.filter((p) => p.name !== 'bundled');
  const optionsServed = http.some((p) => p.supports('option'));
  const skipped = targets.filter((t) => t.skip).map((t) => ({ symbol: t.symbol, reason: t.skip! }));
  for (const t of targets) if (!t.skip && t.kind === 'option' && !optionsServed) skipped.push({ symbol: t.symbol, reason: 'option: no configured provider serves option bars' });
  const active = targets.filter((t) => !skipped.some((k) => k.symbol === t.symbol));
  const bundled = providers.some((p) => p.name === 'bundled') ? await loadBundled(deps.db) : null;
  const requests = await plan(deps.db, opts.mode, active, window);
  const run = await runProviders(deps, http, requests, opts);
  const perProvider = bundled ? { bundled: bundled.stats, ...run.perProvider } : run.perProvider;
  const rateRowsWritten = (bundled?.rateRows ?? 0) + (await syncRates(deps, http, window[0]!, expectedDate, opts.signal));
  const unresolvableMarked = await markUnknown(deps.db, run.unserved, run.failed);
  const symbols = await outcomes(deps.db, opts.mode, active, { expectedDate, servedBy: run.servedBy });
  const rowsWritten = Object.values(perProvider).reduce((n, st) => n + (st?.rowsWritten ?? 0), 0);
  const summary: SyncSummary = {
    mode: opts.mode, expectedDate, dataAsOf: symbols.reduce<string | null>((d, o) => (o.lastDate && (!d || o.lastDate > d) ? o.lastDate : d), null),
    window: { from: window[0]!, to: expectedDate, tradingDays: window.length }, providers: providers.map((p) => p.name), perProvider, symbolsRequested: run.requested,
    symbolsOk: symbols.filter((o) => o.status === 'ok').length, stale: symbols.filter((o) => o.status === 'stale').map((o) => o.symbol), failed: run.failed, skipped, unresolvableMarked,
    rowsWritten, rateRowsWritten, symbols, aborted: opts.signal?.aborted ?? false, ms: performance.now() - t0,
  };
  deps.log.info({ mode: opts.mode, expectedDate, ok: summary.symbolsOk, stale: summary.stale.length, failed: run.failed.length, rowsWritten, ms: Math.round(summary.ms) }, 'market data sync finished');
  return summary;
}

/**
 * A symbol that no provider knows (every answer 404 or empty) and that has no stored close at
 * all is flagged unresolvable, so later runs stop requesting it (engines.md §2.4).
 */
async function markUnknown(db: Db, unserved: SyncTarget[], failed: SyncFailure[]): Promise<string[]> {
  const candidates = unserved.filter((t) => {
    const mine = failed.filter((f) => f.symbol === t.symbol);
    return mine.length > 0 && mine.every((f) => f.kind === 'not_found' || f.kind === 'empty');
  });
  if (!candidates.length) return [];
  const anyStored = await latestCloses(db, candidates.map((t) => t.symbol), '9999-12-31');
  const marked: string[] = [];
  for (const t of candidates) if (!anyStored.has(t.symbol) && (await markUnresolvable(db, t.symbol, 'no provider knows this ticker')) > 0) marked.push(t.symbol);
  return marked;
}

async function outcomes(db: Db, mode: SyncMode, list: SyncTarget[], ctx: { expectedDate: string; servedBy: Map<string, ProviderName> }): Promise<SymbolOutcome[]> {
  const latest = await latestCloses(db, list.map((t) => t.symbol), ctx.expectedDate);
  const newest = [...latest.values()].reduce<string | null>((d, l) => (!d || l.date > d ? l.date : d), null);
  const histWindow = mode === 'ensure-history' && newest ? tradingWindow(latestTradingDayOnOrBefore(newest), HISTORY_TRADING_DAYS) : null;
  const dates = histWindow ? await storedCloseDates(db, list.map((t) => t.symbol), histWindow[0]!, histWindow[histWindow.length - 1]!) : null;
  return list.map((t) => {
    const last = latest.get(t.symbol)?.date ?? null;
    const out: SymbolOutcome = { symbol: t.symbol, kind: t.kind, status: last !== null && tradingDaysBetween(last, ctx.expectedDate) <= 0 ? 'ok' : 'stale', lastDate: last, servedBy: ctx.servedBy.get(t.symbol) ?? null };
    if (histWindow && dates) {
      const available = windowCoverage(histWindow, dates.get(t.symbol) ?? []).available;
      out.history = { available, needed: histWindow.length, status: historyStatus(available, histWindow.length, null) };
    }
    return out;
  });
}
