/**
 * The batch's market-data phase with HTTP providers: when FMP or Polygon keys are configured,
 * phase 1 runs the provider sync (latest closes, rate-limit safe, provider failures reported, never
 * fatal; a change run first fetches the history its symbols lack) instead of the offline coverage
 * check. Without keys it is undefined and the batch keeps the offline check, so a fresh install
 * never touches the network.
 */
import { createProviders, marketDataConfigFromEnv } from '../market-data/config.ts';
import { syncMarketData } from '../market-data/sync.ts';
import type { Env } from '../env.ts';
import type { Logger } from '../logger.ts';
import type { SyncMarketData } from './types.ts';

export function providerSyncFromEnv(env: Env, log: Logger, opts: { fetch?: typeof fetch } = {}): SyncMarketData | undefined {
  const config = marketDataConfigFromEnv(env);
  if (!config.fmp && !config.polygon) return undefined;
  const providers = createProviders(config, { log, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  return async (deps, o) => {
    const s = await syncMarketData({ ...deps, providers }, { mode: o.mode, ...(o.asOf ? { asOf: o.asOf } : {}), ...(o.days ? { days: o.days } : {}), ...(o.symbols ? { symbols: o.symbols } : {}) });
    return {
      stale: s.stale,
      failed: s.failed.filter((f) => !f.recovered).map((f) => ({ symbol: f.symbol, provider: f.provider, reason: f.reason })),
      rowsWritten: s.rowsWritten + s.rateRowsWritten,
      ms: s.ms,
      skipped: s.skipped,
    };
  };
}
