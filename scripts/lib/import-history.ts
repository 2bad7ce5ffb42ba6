/**
 * Price history for the positions an import committed without any: with an HTTP provider
 * configured, their history is fetched at once (ensure-history for those symbols alone) and the
 * outcome says which symbols now have stored prices and which still do not, and why; without one,
 * it says that they stay out of the analytics until their prices are loaded, and how.
 */
import type { Db } from '../../db/client.ts';
import { bookPositions, symbolsWithHistory } from '../../db/queries/book.ts';
import type { Logger } from '../../core/logger.ts';
import type { MarketDataProvider } from '../../core/market-data/provider.ts';
import { syncMarketData, type SyncProgress } from '../../core/market-data/sync.ts';
import { historySymbolOf } from '../../core/services/book.ts';

export interface ImportHistoryDeps {
  db: Db;
  log: Logger;
  clock: () => Date;
  /** The configured providers (createProviders); none with an HTTP provider means offline. */
  providers: MarketDataProvider[];
}

export interface ImportHistory {
  /** Symbols whose history the committed rows need and that had no stored price (position symbol, or its underlying or proxy). */
  needed: string[];
  /** false when no HTTP provider is configured: nothing was fetched. */
  online: boolean;
  /** Of `needed`: now with stored prices. */
  loaded: string[];
  /** Of `needed`: still without any stored price, with the reason. */
  missing: { symbol: string; reason: string }[];
}

/**
 * Loads the history of the open positions of `portfolioId` among `symbols` (the committed rows
 * flagged missing_history) that still have none. Provider failures never throw: they are in `missing`.
 */
export async function loadImportedHistory(
  deps: ImportHistoryDeps,
  o: { portfolioId: string; symbols: readonly string[]; onProgress?: ((e: SyncProgress) => void) | undefined },
): Promise<ImportHistory> {
  const wanted = new Set(o.symbols);
  const rows = (await bookPositions(deps.db, o.portfolioId, false)).filter((r) => wanted.has(r.symbol));
  const history = [...new Set(rows.map(historySymbolOf))].sort();
  const have = await symbolsWithHistory(deps.db, history);
  const needed = history.filter((s) => !have.has(s));
  const online = deps.providers.some((p) => p.name !== 'bundled');
  if (!needed.length || !online) {
    return { needed, online, loaded: [], missing: needed.map((symbol) => ({ symbol, reason: online ? '' : 'no market-data provider configured' })) };
  }
  const summary = await syncMarketData(deps, { mode: 'ensure-history', symbols: needed, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  const now = await symbolsWithHistory(deps.db, needed);
  const why = (symbol: string): string => {
    const skipped = summary.skipped.find((k) => k.symbol === symbol);
    if (skipped) return skipped.reason;
    const failures = summary.failed.filter((f) => f.symbol === symbol && !f.recovered).map((f) => (f.reason.startsWith(f.provider) ? f.reason : `${f.provider}: ${f.reason}`));
    return failures.length ? failures.join('; ') : `no provider returned prices (${summary.providers.join(', ')})`;
  };
  return { needed, online, loaded: needed.filter((s) => now.has(s)), missing: needed.filter((s) => !now.has(s)).map((symbol) => ({ symbol, reason: why(symbol) })) };
}

/** The consequence, for one symbol or several. */
const stayOut = (n: number): string => (n === 1 ? 'it stays out of the analytics that need prices until its prices are loaded' : 'they stay out of the analytics that need prices until their prices are loaded');

/** What the import command prints about the outcome (empty when every committed row had history). */
export function importHistoryReport(h: ImportHistory): string {
  if (!h.needed.length) return '';
  if (!h.online) {
    return [
      `no stored price history for ${h.needed.join(', ')}: ${stayOut(h.needed.length)}.`,
      `to load ${h.needed.length === 1 ? 'it' : 'them'}, configure FMP_API_KEY or POLYGON_API_KEY and run \`npm run market-data -- ensure-history\``,
    ].join('\n');
  }
  const lines: string[] = [];
  if (h.loaded.length) lines.push(`price history now stored for ${h.loaded.join(', ')}`);
  if (h.missing.length) {
    lines.push(`still no price history for ${h.missing.map((m) => m.symbol).join(', ')}: ${stayOut(h.missing.length)}:`);
    for (const m of h.missing) lines.push(`  ${m.symbol}: ${m.reason}`);
  }
  return lines.join('\n');
}
