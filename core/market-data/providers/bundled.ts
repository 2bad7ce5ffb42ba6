/**
 * The bundled provider: the shipped real closes in `data/market/` (2020-01-02 … 2026-07-13).
 * Works offline and never fails; symbols it does not ship (mutual funds, options) return [].
 * It serves daily bars only (quotes are the stored closes; yields load with the files). The sync
 * does not request it per symbol: it loads the files once (checksum-gated, see
 * load-bundled.ts), so a sync on bundled data alone is a validation over stored rows.
 */
import { readBundledPrices, type PriceRow } from '../bundled-files.ts';
import type { DailyBar, MarketDataProvider } from '../provider.ts';

let cache: Map<string, PriceRow[]> | undefined;

function bySymbol(): Map<string, PriceRow[]> {
  if (cache) return cache;
  cache = new Map();
  for (const r of readBundledPrices()) {
    let list = cache.get(r.symbol);
    if (!list) cache.set(r.symbol, (list = []));
    list.push(r);
  }
  for (const list of cache.values()) list.sort((a, b) => (a.date < b.date ? -1 : 1));
  return cache;
}

const toBar = (r: PriceRow): DailyBar => ({ date: r.date, close: r.close, open: r.open ?? null, high: r.high ?? null, low: r.low ?? null, volume: null });

/** Creates the offline provider over the bundled files. */
export function createBundledProvider(): MarketDataProvider {
  return {
    name: 'bundled',
    supports: (kind) => kind !== 'option',
    async dailyBars({ symbol, from, to }) {
      return (bySymbol().get(symbol) ?? []).filter((r) => r.date >= from && r.date <= to).map(toBar);
    },
  };
}
