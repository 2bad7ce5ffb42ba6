/**
 * Shared types of the nightly batch: the dependencies a run needs, the phases, and the
 * in-memory state one portfolio carries from phase to phase within a run.
 */
import type { Db } from '../../db/client.ts';
import type { PositionGreeks } from '../../engines/options/position-greeks.ts';
import type { PositionPrice } from '../services/pricing.ts';
import type { ServiceDeps } from '../services/context.ts';
import type { FactorModel } from './factor-model.ts';
import type { RunMarket } from './run-market.ts';
import type { MarketHistory } from './market-history.ts';
import type { StressCatalogueRow } from '../../db/queries/stress-catalogue.ts';

/** Global phases run once per run; portfolio phases once per portfolio, in this order. */
export const GLOBAL_PHASES = ['market_data', 'factor_model'] as const;
export const PORTFOLIO_PHASES = ['valuation', 'greeks', 'factors', 'scenarios', 'stress', 'risk', 'snapshot', 'correlations', 'var_backtest', 'contributions', 'monte_carlo', 'replays', 'performance', 'reports'] as const;
export type GlobalPhaseName = (typeof GLOBAL_PHASES)[number];
export type PortfolioPhaseName = (typeof PORTFOLIO_PHASES)[number];
export type PhaseName = GlobalPhaseName | PortfolioPhaseName;

/** Phases whose results a phase reads (a failed or skipped input → `skipped: missing_input`). */
export const PHASE_INPUTS: Record<PortfolioPhaseName, readonly PhaseName[]> = {
  valuation: [],
  greeks: ['valuation'],
  factors: ['valuation', 'factor_model'],
  scenarios: ['factors'],
  stress: ['factors'],
  risk: ['valuation', 'factor_model'],
  snapshot: ['valuation', 'greeks'],
  correlations: ['valuation', 'factor_model'],
  var_backtest: ['valuation', 'factor_model'],
  contributions: ['valuation', 'factor_model'],
  monte_carlo: ['valuation', 'factor_model'],
  replays: ['valuation', 'factor_model'],
  performance: ['snapshot'],
  reports: ['valuation'],
};

/** Result of the market-data phase (the provider sync's summary, or the offline coverage check). */
export interface SyncResult {
  stale: string[];
  failed: { symbol: string; provider: string; reason: string }[];
  rowsWritten: number;
  ms: number;
  /** Symbols not requested at all, with the reason (a ticker marked unresolvable). */
  skipped?: { symbol: string; reason: string }[];
}

export interface SyncOptions {
  mode: 'latest' | 'backfill' | 'ensure-history';
  asOf?: string;
  days?: number;
  symbols?: string[];
}

export type SyncMarketData = (deps: ServiceDeps, opts: SyncOptions) => Promise<SyncResult>;

/** What a phase reports back; `rows` is the number of result rows it wrote. */
export interface PhaseOutcome {
  rows: number;
  warnings?: string[];
  metrics?: Record<string, unknown>;
}

export interface PositionRow {
  id: string;
  portfolioId: string;
  symbol: string;
  positionType: 'LONG' | 'SHORT' | 'LC' | 'LP' | 'SC' | 'SP';
  quantity: number;
  entryPrice: number;
  entryDate: string;
  exitDate: string | null;
  exitPrice: number | null;
  underlyingSymbol: string | null;
  strikePrice: number | null;
  expirationDate: string | null;
  proxySymbol: string | null;
}

/** Per-position figures computed once when the portfolio is loaded and shared by its phases. */
export interface PositionState {
  position: PositionRow;
  price: PositionPrice;
  /** Symbol whose returns stand for the position: option underlying, fund proxy, else its own. */
  sourceSymbol: string;
  /** Signed q × P × multiplier, USD; null without a price. */
  marketValue: number | null;
  /** Signed delta-adjusted exposure, USD; null without a price (or, for options, without Greeks). */
  deltaAdj: number | null;
  greeks: PositionGreeks | null;
}

export interface PortfolioState {
  id: string;
  name: string;
  userId: string;
  openingEquity: number;
  /** The symbol performance is measured against (null: SPY), as the run read the portfolio. */
  benchmarkSymbol: string | null;
  /** Cash at the close of the as-of date (cashAsOf): opening equity − signed cost basis of the positions entered + signed exit proceeds of those closed, USD. */
  cash: number;
  positions: PositionState[];
  /** Filled by the factors phase: position id → factor key → beta (compat model), and rate beta per bp. */
  betas: Map<string, Record<string, number>>;
}

/** Everything one run shares: its id and date, the market window and per-symbol betas (global phases). */
export interface RunContext {
  runId: string;
  asOf: string;
  /** What started the run ('change' after a book edit, 'schedule', …). */
  trigger?: string;
  market: RunMarket | null;
  model: FactorModel | null;
  skipBatch: boolean;
  skipReports: boolean;
  reportsDir: string;
  /** Wall-clock time (epoch ms) after which portfolios not yet started are skipped. */
  deadline: number;
  /** Reference data read once per run by the first portfolio that needs it (stress catalogue, sectors of the run's symbols). */
  cache: RunCache;
}

export interface RunCache {
  stressCatalogue?: Promise<StressCatalogueRow[]>;
  sectors?: Promise<Map<string, string | null>>;
  /** The long market history of the run's symbols (second-wave analyses). */
  history?: Promise<MarketHistory>;
}

/**
 * `cache[key]`, loading it on first use; a failed load is forgotten so the next portfolio retries
 * it. Load through the phase's own transaction: on the embedded database a query outside an open
 * transaction waits for it to end.
 */
export function cached<K extends keyof RunCache>(cache: RunCache, key: K, load: () => PromiseLike<Awaited<RunCache[K]>>): NonNullable<RunCache[K]> {
  const hit = cache[key];
  if (hit) return hit as NonNullable<RunCache[K]>;
  // One real promise (a query builder is a lazy thenable that would run again on every await).
  const p = Promise.resolve().then(load) as NonNullable<RunCache[K]>;
  cache[key] = p;
  p.catch(() => {
    if (cache[key] === p) delete cache[key];
  });
  return p;
}

/** A portfolio phase: runs inside its own transaction `tx` and returns what it wrote. */
export type PortfolioPhase = (tx: Db, run: RunContext, state: PortfolioState, deps: ServiceDeps) => Promise<PhaseOutcome>;

/** Dependencies of a batch run: the service deps plus injectable sync, phase overrides and limits. */
export interface BatchDeps extends ServiceDeps {
  /** Market-data sync (phase 1); defaults to the offline coverage check. */
  syncMarketData?: SyncMarketData;
  /** Replaces named portfolio phases (tests inject failures here). */
  phases?: Partial<Record<PortfolioPhaseName, PortfolioPhase>>;
  /** Portfolios processed at once within one process (default 1 on PGlite, 4 on Postgres). */
  concurrency?: number;
  /** A queued/running run whose heartbeat is older than this is considered abandoned (default 120 s). */
  staleAfterMs?: number;
  /** Directory reports are written under (default ./reports). */
  reportsDir?: string;
  /** `db` sessions already commit asynchronously (a worker's batch-only pool), so batch transactions skip `set local`. */
  asyncCommitSession?: boolean;
  /** Each statement of a portfolio phase is cancelled after this long (default 60 s). */
  statementTimeoutMs?: number;
  /** Portfolios not started within this long after the run started are skipped (default 1 h). */
  runTimeoutMs?: number;
  /** The scheduled run first fills up to this many earlier trading days without a completed run (default 5). */
  backfillDays?: number;
}

/** Debounced recompute of a portfolio whose book changed (recompute.ts). */
export interface Recompute {
  /** Asks for a run of `portfolioId` once the burst of changes is over. */
  schedule(portfolioId: string): void;
  /** Resolves once nothing is waiting and every run this asked for has finished (tests, shutdown). */
  idle(): Promise<void>;
  /** Drops pending requests (the process is stopping). */
  stop(): void;
}
