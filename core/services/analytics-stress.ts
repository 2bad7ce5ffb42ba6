/**
 * Stored stress-test results (api.md §8.6): correlated P&L per catalogue scenario on the latest
 * as-of date, against the snapshot NAV on or before that date; sorted by category then name.
 */
import { latestAsOf, stressRows } from '../../db/queries/results.ts';
import { snapshotOnOrBefore } from '../../db/queries/snapshots.ts';
import { stressTestResults } from '../../db/schema/index.ts';
import type { StressTest } from '../contracts/analytics.ts';
import { AppError } from '../errors.ts';
import { round2 } from './book.ts';
import { STRESS_VERSION } from '../../db/queries/results-versions.ts';
import { storedAnswer } from './analytics-cache.ts';
import { NO_PROVENANCE, provenance } from './analytics-provenance.ts';
import { requireOwnedPortfolio, type Principal, type ServiceDeps } from './context.ts';
import { today } from './positions.ts';

const SCENARIO_ID = /^[a-z0-9_]{1,64}$/;

function parseScenarios(csv: string | undefined): string[] | undefined {
  if (csv === undefined) return undefined;
  const ids = [...new Set(csv.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
  const bad = ids.find((id) => !SCENARIO_ID.test(id));
  if (bad !== undefined || ids.length > 100) {
    throw new AppError('VALIDATION', 'scenarios must be a comma-separated list of at most 100 scenario ids such as market_down_10', { details: { errors: [{ path: 'scenarios', message: 'ids are 1–64 characters of a–z, 0–9 and _' }] } });
  }
  return ids;
}

/** Stress results of an owned portfolio, optionally filtered to `scenarios`. */
export async function getStressTest(deps: ServiceDeps, principal: Principal, portfolioId: string, input: { scenarios?: string | undefined }): Promise<StressTest> {
  const requested = parseScenarios(input.scenarios);
  return storedAnswer(deps, principal, portfolioId, STRESS_VERSION, requested ? requested.join(',') : '*', () => readStressTest(deps, principal, portfolioId, requested));
}

async function readStressTest(deps: ServiceDeps, principal: Principal, portfolioId: string, requested: string[] | undefined): Promise<StressTest> {
  await requireOwnedPortfolio(deps.db, principal, portfolioId);
  const reqMeta = requested ? { scenarios_requested: requested } : {};
  const latest = await latestAsOf(deps.db, stressTestResults, portfolioId, today(deps));
  if (!latest) return { available: false, ...NO_PROVENANCE, data: null, metadata: { reason: 'no_results', ...reqMeta } };
  const [rows, snap, prov] = await Promise.all([stressRows(deps.db, portfolioId, latest.asOf), snapshotOnOrBefore(deps.db, portfolioId, latest.asOf), provenance(deps.db, portfolioId, latest.asOf, latest.runId)]);
  if (!snap) return { available: false, ...prov, data: null, metadata: { reason: 'no_snapshot', ...reqMeta } };
  const keep = requested ? new Set(requested) : null;
  const value = snap.nav;
  return {
    available: true,
    ...prov,
    data: {
      scenarios: rows
        .filter((r) => !keep || keep.has(r.id))
        .map((r) => ({
          id: r.id, name: r.name, description: r.description, category: r.category, impact_type: 'correlated' as const, severity: r.severity,
          impact: {
            dollar_impact: round2(r.correlatedPnl),
            percentage_impact: value === 0 ? 0 : Math.round((r.correlatedPnl / value) * 1e6) / 1e4,
            new_portfolio_value: round2(value + r.correlatedPnl),
            direct_dollar_impact: round2(r.directPnl),
          },
        })),
      portfolio_value: round2(value),
      calculation_date: latest.asOf,
    },
    metadata: reqMeta,
  };
}
