/** Terminal output of the market-data command: progress bars, the sync summary and the holdings report. */
import cliProgress from 'cli-progress';
import type { DataQuality } from '../../core/contracts/market-data.ts';
import type { SyncProgress, SyncSummary } from '../../core/market-data/sync.ts';
import type { PortfolioListing } from '../../db/queries/portfolios.ts';
import { table } from './cli.ts';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One bar per provider on a terminal; a no-op elsewhere (pipes, CI, tests). */
export function progressBars(enabled: boolean): { onProgress?: (e: SyncProgress) => void; stop: () => void } {
  if (!enabled) return { stop: () => {} };
  const multi = new cliProgress.MultiBar({ format: '{provider} [{bar}] {value}/{total} {symbol}', hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic);
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    onProgress: (e) => {
      if (e.phase === 'start') bars.set(e.provider, multi.create(e.total, 0, { provider: e.provider.padEnd(8), symbol: '' }));
      else bars.get(e.provider)?.update(e.done, { symbol: e.symbol ?? '' });
    },
    stop: () => multi.stop(),
  };
}

/** Per-provider table, totals, stale symbols and unrecovered failures. */
export function summaryReport(s: SyncSummary): string {
  const rows = Object.entries(s.perProvider).map(([name, p]) => [name, p!.requested, p!.ok, p!.empty, p!.failed, p!.rowsWritten, secs(p!.ms)]);
  const unrecovered = s.failed.filter((f) => !f.recovered);
  const lines = [
    `market data ${s.mode}: expected close ${s.expectedDate}, window ${s.window.from}..${s.window.to} (${s.window.tradingDays} trading days), providers ${s.providers.join(' > ')}`,
    '',
    table(['provider', 'requested', 'ok', 'empty', 'failed', 'rows written', 'time'], rows),
    '',
    `symbols: ${s.symbolsOk} ok, ${s.stale.length} stale, ${new Set(unrecovered.map((f) => f.symbol)).size} failed, ${s.skipped.length} skipped; ` +
      `rows written: ${s.rowsWritten} prices, ${s.rateRowsWritten} yields; time ${secs(s.ms)}; newest stored close ${s.dataAsOf ?? 'none'}`,
  ];
  if (s.stale.length) lines.push(`stale (newest close before ${s.expectedDate}): ${s.stale.join(', ')}`);
  if (s.stale.length && s.providers.length === 1) lines.push('offline: only the bundled closes are available; set FMP_API_KEY or POLYGON_API_KEY to fetch newer ones');
  if (s.unresolvableMarked.length) lines.push(`marked unresolvable: ${s.unresolvableMarked.join(', ')}`);
  if (s.failed.length) lines.push('', table(['symbol', 'provider', 'failure', 'served later'], s.failed.map((f) => [f.symbol, f.provider, f.reason, f.recovered ? 'yes' : 'no'])));
  return lines.join('\n');
}

/** Each portfolio's holdings with their history status; `missing` lists holdings without usable history. */
export function holdingsReport(asOf: string, reports: { portfolio: PortfolioListing; quality: DataQuality }[]): { text: string; missing: string[] } {
  const lines = ['', `history of every holding as of ${asOf} (252 trading days needed):`];
  const missing: string[] = [];
  const counts = { full: 0, proxied: 0, limited: 0, missing: 0 };
  for (const { portfolio, quality } of reports) {
    lines.push('', `${portfolio.name} (${portfolio.id})`);
    lines.push(table(['symbol', 'status', 'days', 'history from', 'last close', 'source'], quality.symbols.map((q) => [q.symbol, q.status, `${q.days_available}/${q.days_needed}`, q.history_symbol, q.last_date ?? '—', q.source ?? '—'])));
    for (const q of quality.symbols) {
      counts[q.status]++;
      if (q.status === 'missing') missing.push(`${q.symbol} (${portfolio.name})`);
    }
  }
  lines.push('', `holdings: ${counts.full} full, ${counts.proxied} proxied, ${counts.limited} limited, ${counts.missing} missing`);
  return { text: lines.join('\n'), missing };
}
