/**
 * `npm run market-data -- sync | backfill [--days 90] | ensure-history [--days 252]`
 * Options: `--date YYYY-MM-DD` (sync as of that trading day), `--symbols A,B` (only those).
 * Providers come from the environment (FMP_API_KEY, POLYGON_API_KEY, MARKET_DATA_PROVIDERS);
 * without keys the bundled data alone is validated, offline. Shows a progress bar per provider
 * when stdout is a terminal, then a summary table; ensure-history also reports each portfolio's
 * holdings as full / proxied / limited / missing and exits 1 when any holding is missing.
 */
import { parseArgs } from 'node:util';
import type { SyncMode } from '../core/market-data/sync.ts';

const USAGE = 'usage: npm run market-data -- sync | backfill [--days N] | ensure-history [--days N]  [--date YYYY-MM-DD] [--symbols A,B]';
const COMMANDS: Record<string, SyncMode> = { sync: 'latest', backfill: 'backfill', 'ensure-history': 'ensure-history' };

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(1);
}

function parse(): { mode: SyncMode; command: string; days?: number; date?: string; symbols?: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { days: { type: 'string' }, date: { type: 'string' }, symbols: { type: 'string' } } });
  } catch (err) {
    fail((err as Error).message);
  }
  const [command, ...extra] = parsed.positionals;
  if (!command || !(command in COMMANDS)) fail(command ? `unknown command "${command}"` : 'missing command');
  if (extra.length) fail(`unexpected argument "${extra[0]}"`);
  const { days, date, symbols } = parsed.values;
  if (days !== undefined && (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 5000)) fail(`--days must be a whole number of trading days between 1 and 5000, got "${days}"`);
  if (days !== undefined && command === 'sync') fail('--days applies to backfill and ensure-history; sync always covers the last 5 trading days');
  if (date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))) fail(`--date must be a date YYYY-MM-DD, got "${date}"`);
  const list = symbols?.split(',').map((s) => s.trim()).filter(Boolean);
  if (symbols !== undefined && !list?.length) fail('--symbols needs at least one ticker, e.g. --symbols AAPL,MSFT');
  const bad = list?.find((s) => !/^[A-Za-z0-9.^_-]{1,15}$/.test(s));
  if (bad !== undefined) fail(`--symbols: ${JSON.stringify(bad)} is not a ticker (1–15 characters of A–Z, 0–9, . ^ _ -)`);
  return { mode: COMMANDS[command]!, command, ...(days ? { days: Number(days) } : {}), ...(date ? { date } : {}), ...(list ? { symbols: list } : {}) };
}

const args = parse();
// Loaded after the arguments are checked, so a typo is answered at once.
const [{ prepareDatabase }, { createLogger }, { resolveAsOf }, { createProviders, marketDataConfigFromEnv }, { syncMarketData }, { assessPortfolioDataQuality }, { listAllPortfolios }, { runWithDatabase }, report] =
  await Promise.all([
    import('../core/bootstrap.ts'), import('../core/logger.ts'), import('../core/market-data/as-of.ts'), import('../core/market-data/config.ts'), import('../core/market-data/sync.ts'),
    import('../core/services/data-quality.ts'), import('../db/queries/portfolios.ts'), import('./lib/cli.ts'), import('./lib/market-data-report.ts'),
  ]);
const { holdingsReport, progressBars, summaryReport } = report;

await runWithDatabase(async ({ env, dbh }) => {
  await prepareDatabase(dbh, { seed: false });
  const log = createLogger({ level: env.LOG_LEVEL, destination: 2 });
  const config = marketDataConfigFromEnv(env);
  const bars = progressBars(process.stdout.isTTY === true);
  const summary = await syncMarketData(
    { db: dbh.db, log, clock: () => new Date(), providers: createProviders(config, { log }) },
    { mode: args.mode, ...(args.days ? { days: args.days } : {}), ...(args.date ? { asOf: args.date } : {}), ...(args.symbols ? { symbols: args.symbols } : {}), onProgress: bars.onProgress },
  );
  bars.stop();
  console.log(summaryReport(summary));
  if (args.mode !== 'ensure-history' || args.symbols) return 0;
  const asOf = await resolveAsOf(dbh.db, new Date(), args.date);
  const reports = [];
  for (const p of await listAllPortfolios(dbh.db)) reports.push({ portfolio: p, quality: await assessPortfolioDataQuality(dbh.db, p.id, { asOf, checkFactors: true }) });
  const { text, missing } = holdingsReport(asOf, reports);
  console.log(text);
  if (missing.length) process.stderr.write(`error: no usable history for ${missing.join(', ')}\n`);
  return missing.length ? 1 : 0;
});
