/**
 * Whether the batch results for the current as_of are in place (for /health and the first-start
 * run): ready when every live portfolio has stored exposures for the latest trading day with data.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/exec.ts';
import { latestResultsAsOf } from '../../db/queries/results-read.ts';
import { marketDate, tradingDayOnOrBefore } from './as-of.ts';

export interface ResultsReadiness {
  /** True when every live portfolio has results for `asOf`. */
  ready: boolean;
  /** Latest trading day with market data (what a run would compute), or null without data. */
  asOf: string | null;
  /** Latest as_of with any stored results, or null. */
  latestResultsAsOf: string | null;
  /** True while a batch run is queued or running. */
  running: boolean;
}

export async function resultsReadiness(db: Db, now: Date): Promise<ResultsReadiness> {
  const asOf = await tradingDayOnOrBefore(db, marketDate(now));
  const [row] = await queryRows<{ portfolios: number; with_results: number; running: number }>(db, sql`select
    (select count(*)::int from portfolios where deleted_at is null) as portfolios,
    (select count(*)::int from portfolio_exposures e join portfolios p on p.id = e.portfolio_id where p.deleted_at is null and e.as_of = ${asOf ?? '1900-01-01'}) as with_results,
    (select count(*)::int from batch_runs where status in ('queued', 'running')) as running`);
  const ready = asOf !== null && row!.portfolios > 0 && row!.with_results >= row!.portfolios;
  return { ready, asOf, latestResultsAsOf: await latestResultsAsOf(db), running: row!.running > 0 };
}
