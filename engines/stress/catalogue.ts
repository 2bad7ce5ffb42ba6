import { EngineError } from '../errors.ts';
import type { StressScenario } from './stress-scenario.ts';
import { CATALOGUE_VIX_SHOCKS } from './vol-shock.ts';

export interface CatalogueScenario extends StressScenario {
  name: string;
  category: string;
  severity: string;
  group: string;
}

/**
 * Reads the stress catalogue object (shape of spec/stress-scenarios.json, already parsed by the
 * caller) and returns its active scenarios in catalogue order (engines.md §8.1). Validates that
 * `stress_scenarios`-style content is present: a `scenarios` array, `configuration` and
 * `factor_mappings`; every shocked factor must be a mapped factor and every shock finite.
 * @throws EngineError INVALID_INPUT for a malformed catalogue.
 * @example activeStressScenarios(JSON.parse(text)).length // 18
 */
export function activeStressScenarios(catalogue: unknown): CatalogueScenario[] {
  const c = catalogue as { scenarios?: unknown; configuration?: unknown; factor_mappings?: unknown };
  if (typeof c !== 'object' || c === null || !Array.isArray(c.scenarios) || typeof c.configuration !== 'object' || typeof c.factor_mappings !== 'object' || c.factor_mappings === null) {
    throw new EngineError('INVALID_INPUT', 'stress catalogue needs scenarios, configuration and factor_mappings');
  }
  const mapped = new Set(Object.keys(c.factor_mappings));
  const out: Array<CatalogueScenario & { order: number }> = [];
  for (const raw of c.scenarios as Array<Record<string, unknown>>) {
    const { id, name, category, severity, group, shocked_factors: shocks, active, catalogue_order: order } = raw;
    if (typeof id !== 'string' || typeof name !== 'string' || typeof shocks !== 'object' || shocks === null) {
      throw new EngineError('INVALID_INPUT', `malformed scenario ${String(id)}`);
    }
    for (const [f, v] of Object.entries(shocks)) {
      if (!mapped.has(f) || typeof v !== 'number' || !Number.isFinite(v)) throw new EngineError('INVALID_INPUT', `scenario ${id}: bad shock ${f}=${String(v)}`);
    }
    if (active !== true) continue;
    out.push({
      id, name, category: String(category), severity: String(severity), group: String(group),
      shockedFactors: shocks as Record<string, number>, order: typeof order === 'number' ? order : out.length,
      ...(CATALOGUE_VIX_SHOCKS[id] !== undefined ? { volShock: CATALOGUE_VIX_SHOCKS[id] } : {}),
    });
  }
  if (new Set(out.map((s) => s.id)).size !== out.length) throw new EngineError('INVALID_INPUT', 'duplicate scenario ids');
  return out.sort((a, b) => a.order - b.order).map(({ order: _order, ...s }) => s);
}
