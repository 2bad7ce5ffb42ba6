/**
 * Correlation matrix and diversification score (api.md §8.2, §8.3) from a stored correlation
 * calculation. `lookback_days` counts calendar days, the batch stores windows in trading days:
 * the calculation used is the latest one whose window is nearest lookback_days × 252 / 365,
 * within 10 % (the default 90 days reads the batch's 63-trading-day calculation). Pairs with
 * fewer common days than `min_overlap` are reported as null rather than invented zeros.
 */
import { diversification } from '../../engines/correlation/diversification.ts';
import { correlationCalcs, correlationClustersOf, correlationPairs, valuationsAt } from '../../db/queries/results.ts';
import type { CorrelationMatrix, Diversification } from '../contracts/analytics.ts';
import { AppError } from '../errors.ts';
import { NO_PROVENANCE, provenance } from './analytics-provenance.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';
import type { Db } from '../../db/client.ts';
import { today } from './positions.ts';

export interface CorrelationInput {
  lookback_days: number;
  min_overlap: number;
  max_symbols?: number;
}

function checkOverlap(input: CorrelationInput): void {
  if (input.min_overlap > input.lookback_days) {
    throw new AppError('VALIDATION', 'Min overlap cannot exceed lookback days', { details: { errors: [{ path: 'min_overlap', message: `must be ≤ lookback_days (${input.lookback_days})` }] } });
  }
}

type Calc = Awaited<ReturnType<typeof correlationCalcs>>[number];

/** Trading-day window equivalent of a calendar-day lookback. */
export const tradingWindowOf = (lookbackDays: number): number => Math.round((lookbackDays * 252) / 365);

/** The latest calculation whose window is nearest the lookback's trading-day equivalent (within 10 %, at least 2 days). */
export function pickCalculation(calcs: readonly Calc[], lookbackDays: number): Calc | null {
  const target = tradingWindowOf(lookbackDays);
  const tolerance = Math.max(2, Math.round(target * 0.1));
  const fits = calcs.filter((c) => Math.abs(c.windowDays - target) <= tolerance);
  fits.sort((a, b) => (a.asOf < b.asOf ? 1 : a.asOf > b.asOf ? -1 : 0) || Math.abs(a.windowDays - target) - Math.abs(b.windowDays - target));
  return fits[0] ?? null;
}

interface Loaded {
  calc: Calc;
  symbols: string[];
  rho: Float64Array;
  weights: number[];
}

/** Symbols of the calculation ordered by stored gross value (desc, ties alphabetical), with the ρ matrix (NaN = undefined pair). */
async function load(db: Db, portfolioId: string, input: CorrelationInput, upTo: string): Promise<Loaded | null> {
  const calc = pickCalculation(await correlationCalcs(db, portfolioId, upTo), input.lookback_days);
  if (!calc) return null;
  const [pairs, vals] = await Promise.all([correlationPairs(db, calc.id), valuationsAt(db, portfolioId, calc.asOf)]);
  const gross = new Map<string, number>();
  for (const v of vals) gross.set(v.symbol, (gross.get(v.symbol) ?? 0) + Math.abs(v.absMarketValue ?? 0));
  const symbols = [...calc.symbols].sort((a, b) => (gross.get(b) ?? 0) - (gross.get(a) ?? 0) || a.localeCompare(b)).slice(0, input.max_symbols ?? calc.symbols.length);
  const index = new Map(symbols.map((s, i) => [s, i]));
  const m = symbols.length;
  const rho = new Float64Array(m * m).fill(Number.NaN);
  for (let i = 0; i < m; i++) rho[i * m + i] = 1;
  for (const p of pairs) {
    const i = index.get(p.a);
    const j = index.get(p.b);
    if (i === undefined || j === undefined || i === j || p.rho === null || p.n < input.min_overlap) continue;
    rho[i * m + j] = p.rho;
    rho[j * m + i] = p.rho;
  }
  return { calc, symbols, rho, weights: symbols.map((s) => gross.get(s) ?? 0) };
}

/** Stored pairwise correlations of the largest positions. */
export async function getCorrelationMatrix(deps: ServiceDeps, principal: Principal, portfolioId: string, input: Required<CorrelationInput>): Promise<CorrelationMatrix> {
  checkOverlap(input);
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const base = { lookback_days: input.lookback_days, min_overlap: input.min_overlap, max_symbols: input.max_symbols, selection_method: 'weight' as const };
  const l = await load(deps.db, portfolioId, input, today(deps));
  if (!l) return { available: false, ...NO_PROVENANCE, data: null, metadata: { reason: 'no_calculation_available', calculation_date: null, duration_days: null, symbols_included: null, ...base } };
  const [prov, stored] = await Promise.all([provenance(deps.db, portfolioId, l.calc.asOf, l.calc.runId), correlationClustersOf(deps.db, l.calc.id, 'hierarchical')]);
  const meta = { calculation_date: l.calc.asOf, duration_days: l.calc.windowDays, symbols_included: l.symbols.length, ...base };
  if (l.symbols.length < 2) return { available: false, ...prov, data: null, metadata: { reason: 'insufficient_symbols', ...meta } };
  const m = l.symbols.length;
  const matrix: Record<string, Record<string, number | null>> = {};
  let sum = 0;
  let count = 0;
  l.symbols.forEach((a, i) => {
    matrix[a] = {};
    l.symbols.forEach((b, j) => {
      const r = l.rho[i * m + j]!;
      matrix[a]![b] = Number.isNaN(r) ? null : r;
      if (i < j && !Number.isNaN(r)) (sum += r), count++;
    });
  });
  const shown = new Map(l.symbols.map((s, i) => [s, i]));
  const clusters = stored
    .map((c) => ({ name: c.nickname, members: c.members.filter((s) => shown.has(s)).sort((a, b) => shown.get(a)! - shown.get(b)!), avg_correlation: c.avgCorrelation, gross_value: c.grossValue }))
    .filter((c) => c.members.length > 0);
  return { available: true, ...prov, data: { matrix, average_correlation: count ? sum / count : null, clusters }, metadata: meta };
}

/** Gross-value-weighted average |ρ| over the full stored calculation set. */
export async function getDiversificationScore(deps: ServiceDeps, principal: Principal, portfolioId: string, input: CorrelationInput): Promise<Diversification> {
  checkOverlap(input);
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const meta = { lookback_days: input.lookback_days, min_overlap: input.min_overlap, selection_method: 'full_calculation_set' as const };
  const l = await load(deps.db, portfolioId, { lookback_days: input.lookback_days, min_overlap: input.min_overlap }, today(deps));
  const none = { available: false, portfolio_id: portfolioId, portfolio_correlation: null, effective_positions: null, duration_days: input.lookback_days };
  if (!l) return { ...none, ...NO_PROVENANCE, calculation_date: null, symbols_included: null, metadata: { ...meta, reason: 'no_calculation_available' } };
  const prov = await provenance(deps.db, portfolioId, l.calc.asOf, l.calc.runId);
  const at = { calculation_date: l.calc.asOf, symbols_included: l.symbols.length };
  if (l.symbols.length < 2) return { ...none, ...prov, ...at, metadata: { ...meta, calculation_id: l.calc.id, reason: 'insufficient_symbols' } };
  const allZero = l.weights.every((w) => w === 0);
  const d = diversification(l.rho, allZero ? l.weights.map(() => 1) : l.weights);
  return { available: d.diversificationScore !== null, portfolio_id: portfolioId, ...prov, portfolio_correlation: d.diversificationScore, effective_positions: d.effectivePositions, duration_days: l.calc.windowDays, ...at, metadata: { ...meta, calculation_id: l.calc.id } };
}
