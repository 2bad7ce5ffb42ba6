/**
 * One provider's pass over the symbols that still need bars: requests go out together (the
 * provider's client paces them), each answer is written as soon as it arrives, and every failure
 * is recorded — a failure never stops the pass. Bars from the pages that parsed before a page
 * failed are written; the failed page is reported, not written.
 */
import type { Db } from '../../db/client.ts';
import { upsertPrices } from '../../db/queries/market-prices.ts';
import { ProviderError, type DailyBar, type MarketDataProvider, type ProviderErrorKind, type ProviderName } from './provider.ts';
import type { SyncTarget } from './universe.ts';

export interface FetchRequest {
  target: SyncTarget;
  from: string;
  to: string;
}

export interface SyncProgress {
  provider: ProviderName;
  phase: 'start' | 'symbol' | 'done';
  total: number;
  done: number;
  symbol?: string;
  ok?: boolean;
}

export interface ProviderStats {
  requested: number;
  ok: number;
  empty: number;
  failed: number;
  rowsWritten: number;
  ms: number;
}

export interface FetchOutcome {
  symbol: string;
  ok: boolean;
  rowsWritten: number;
  kind?: ProviderErrorKind | 'empty';
  reason?: string;
}

function describe(err: unknown): { kind: ProviderErrorKind; reason: string; partial: DailyBar[] } {
  if (err instanceof ProviderError) return { kind: err.kind, reason: err.message, partial: err.opts.partial ?? [] };
  return { kind: 'rejected', reason: (err as Error)?.message ?? String(err), partial: [] };
}

/** Requests `requests` from `provider`, writes what arrives, and reports per symbol. */
export async function fetchFromProvider(
  db: Db,
  provider: MarketDataProvider,
  requests: readonly FetchRequest[],
  opts: { onProgress?: ((e: SyncProgress) => void) | undefined; signal?: AbortSignal | undefined },
): Promise<{ stats: ProviderStats; outcomes: FetchOutcome[] }> {
  const t0 = performance.now();
  const stats: ProviderStats = { requested: requests.length, ok: 0, empty: 0, failed: 0, rowsWritten: 0, ms: 0 };
  let done = 0;
  opts.onProgress?.({ provider: provider.name, phase: 'start', total: requests.length, done });
  const write = async (symbol: string, bars: DailyBar[]) => (bars.length ? upsertPrices(db, bars.map((b) => ({ symbol, ...b })), provider.name) : 0);

  const one = async ({ target, from, to }: FetchRequest): Promise<FetchOutcome> => {
    if (opts.signal?.aborted) return { symbol: target.symbol, ok: false, rowsWritten: 0, kind: 'aborted', reason: 'sync aborted' };
    try {
      const bars = await provider.dailyBars({ symbol: target.symbol, kind: target.kind, from, to, ...(opts.signal ? { signal: opts.signal } : {}) });
      const rowsWritten = await write(target.symbol, bars);
      if (!bars.length) return { symbol: target.symbol, ok: false, rowsWritten, kind: 'empty', reason: `${provider.name}: no bars for ${from}..${to}` };
      return { symbol: target.symbol, ok: true, rowsWritten };
    } catch (err) {
      const d = describe(err);
      return { symbol: target.symbol, ok: false, rowsWritten: await write(target.symbol, d.partial), kind: d.kind, reason: d.reason };
    }
  };

  const outcomes = await Promise.all(
    requests.map(async (r) => {
      const o = await one(r);
      stats.rowsWritten += o.rowsWritten;
      if (o.ok) stats.ok++;
      else if (o.kind === 'empty') stats.empty++;
      else stats.failed++;
      opts.onProgress?.({ provider: provider.name, phase: 'symbol', total: requests.length, done: ++done, symbol: o.symbol, ok: o.ok });
      return o;
    }),
  );
  stats.ms = performance.now() - t0;
  opts.onProgress?.({ provider: provider.name, phase: 'done', total: requests.length, done });
  return { stats, outcomes };
}
