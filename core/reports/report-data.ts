/**
 * The one consistent set of persisted results a report renders (reports.md §2, §6): every
 * figure is read from what the batch stored for a single (portfolio, as_of); nothing is
 * recomputed at report time.
 */
import type { Db } from '../../db/client.ts';
import { readPortfolioResults, readPositionResults } from '../../db/queries/results-read.ts';
import { AppError } from '../errors.ts';
import { riskAnalyses } from '../../db/schema/index.ts';
import { and, eq } from 'drizzle-orm';
import type { ReportAnalyses } from './markdown-analyses.ts';

export type PortfolioResults = Awaited<ReturnType<typeof readPortfolioResults>>;
export type PositionResult = Awaited<ReturnType<typeof readPositionResults>>[number];

export interface ReportData extends Omit<PortfolioResults, 'portfolio'> {
  portfolio: NonNullable<PortfolioResults['portfolio']>;
  asOf: string;
  /** ISO timestamp of generation (the only wall-clock value in a report). */
  generatedAt: string;
  positions: PositionResult[];
  /** The second-wave analyses stored for the same date. */
  analyses: ReportAnalyses;
}

/** Lower-case name with every run of non-alphanumerics replaced by `-`, trimmed (reports.md §1). */
export function portfolioSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'portfolio';
}

/**
 * The directory of a portfolio's reports: its slug and the first 8 hex digits of its id. Names are
 * the users' own, so two portfolios (of one user or of two) may share a slug; the id keeps each
 * portfolio's files its own, whatever another portfolio is called.
 */
export function reportDirName(name: string, portfolioId: string): string {
  return `${portfolioSlug(name)}-${portfolioId.replace(/-/g, '').slice(0, 8).toLowerCase()}`;
}

/** Loads the report data of a portfolio as of a date. @throws AppError NOT_FOUND for an unknown portfolio. */
export async function loadReportData(db: Db, portfolioId: string, asOf: string, now: Date): Promise<ReportData> {
  const results = await readPortfolioResults(db, portfolioId, asOf);
  if (!results.portfolio) throw new AppError('NOT_FOUND', `portfolio ${portfolioId} not found`);
  const [positions, stored] = await Promise.all([
    readPositionResults(db, portfolioId, asOf),
    db.select({ kind: riskAnalyses.kind, payload: riskAnalyses.payload }).from(riskAnalyses).where(and(eq(riskAnalyses.portfolioId, portfolioId), eq(riskAnalyses.asOf, asOf))),
  ]);
  const of = <T>(kind: string) => (stored.find((r) => r.kind === kind)?.payload ?? null) as T | null;
  const analyses: ReportAnalyses = { backtest: of('var_backtest'), replays: of('historical_replays'), contributions: of('risk_contributions'), monteCarlo: of('monte_carlo_var'), performance: of('performance') };
  return { ...results, portfolio: results.portfolio, asOf, generatedAt: now.toISOString(), positions, analyses };
}

/** Fixed-point formatting by field kind (never by magnitude); null stays null. */
export const fmt = {
  money: (x: number | null | undefined): string | null => (x == null ? null : x.toFixed(2)),
  greek: (x: number | null | undefined): string | null => (x == null ? null : x.toFixed(4)),
  stat: (x: number | null | undefined): string | null => (x == null ? null : x.toFixed(6)),
};
