/**
 * Completion candidates for MCP prompt and resource-template arguments: the caller's own
 * portfolio ids (never another user's), the stress scenario ids of the catalogue and the keys of
 * the named historical replay windows. Each list is filtered by the prefix typed so far (case
 * insensitive, on the id or its display name) and capped at 100 values, as the MCP completion
 * utility allows.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { NAMED_REPLAY_WINDOWS } from '../../engines/replay/windows.ts';
import { portfolios, stressScenarios } from '../../db/schema/index.ts';
import type { Principal, ServiceDeps } from './context.ts';

/** Most values one completion answer carries (the MCP completion utility's cap). */
export const COMPLETION_MAX = 100;

interface Candidate {
  value: string;
  label: string;
}

function matching(candidates: readonly Candidate[], typed: string): string[] {
  const q = typed.trim().toLowerCase();
  return candidates.filter((c) => c.value.toLowerCase().startsWith(q) || c.label.toLowerCase().startsWith(q) || (q.length >= 3 && c.label.toLowerCase().includes(q))).map((c) => c.value).slice(0, COMPLETION_MAX);
}

/** Ids of the caller's portfolios (not deleted) whose id or name starts with `typed`. */
export async function completePortfolioIds(deps: ServiceDeps, principal: Principal, typed: string): Promise<string[]> {
  const rows = await deps.db
    .select({ value: portfolios.id, label: portfolios.name })
    .from(portfolios)
    .where(and(eq(portfolios.userId, principal.userId), isNull(portfolios.deletedAt)))
    .orderBy(asc(portfolios.createdAt), asc(portfolios.id));
  return matching(rows, typed);
}

/** Stress scenario ids of the catalogue whose id or name starts with `typed`. */
export async function completeStressScenarios(deps: ServiceDeps, typed: string): Promise<string[]> {
  const rows = await deps.db.select({ value: stressScenarios.id, label: stressScenarios.name }).from(stressScenarios).orderBy(asc(stressScenarios.id));
  return matching(rows, typed);
}

/** Keys of the named replay windows (covid_crash, rates_bear_2022, …) whose key or name starts with `typed`. */
export function completeReplayWindows(typed: string): string[] {
  return matching(NAMED_REPLAY_WINDOWS.map((w) => ({ value: w.key, label: w.name })), typed);
}
