/** Treasury yields in a sync: the first HTTP provider that serves them; failures are logged, never fatal. */
import type { Db } from '../../db/client.ts';
import { upsertRates } from '../../db/queries/market-prices.ts';
import type { Logger } from '../logger.ts';
import type { MarketDataProvider } from './provider.ts';

/** Fetches and stores yields for from..to; returns the rows written (0 when no provider serves them). */
export async function syncRates(
  deps: { db: Db; log: Logger },
  providers: readonly MarketDataProvider[],
  from: string,
  to: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  for (const p of providers) {
    if (!p.treasuryRates || signal?.aborted) continue;
    try {
      const rows = await p.treasuryRates(from, to, signal);
      return await upsertRates(deps.db, rows, p.name);
    } catch (err) {
      deps.log.warn({ provider: p.name, err: (err as Error).message }, 'treasury yields not synced; stored yields are used');
    }
  }
  return 0;
}
