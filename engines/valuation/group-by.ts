import { EngineError } from '../errors.ts';
import { addToAggregate, emptyAggregate, type ExposureAggregate } from './aggregate.ts';
import type { PositionInput } from './market-value.ts';
import { isOptionType } from './position-type.ts';

/** Exposure aggregate of one group, keyed by tag, sector, type or underlying. */
export interface ExposureGroup extends ExposureAggregate {
  key: string;
}

/**
 * Groups positions by one or more keys per position and aggregates each group with
 * `aggregateExposures` semantics. A position with several keys counts under each.
 * Groups are returned sorted by key.
 * @throws EngineError INVALID_INPUT for any invalid position.
 * @example groupExposures(positions, (p) => [p.sector ?? 'Unclassified'])
 */
export function groupExposures(positions: readonly PositionInput[], keysOf: (p: PositionInput) => readonly string[]): ExposureGroup[] {
  const groups = new Map<string, ExposureAggregate>();
  for (const p of positions) {
    for (const key of new Set(keysOf(p))) {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = emptyAggregate()));
      addToAggregate(g, p);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, g]) => ({ key, ...g }));
}

/** By sector; positions without a sector go under "Unclassified". */
export function exposureBySector(positions: readonly PositionInput[]): ExposureGroup[] {
  return groupExposures(positions, (p) => [p.sector ?? 'Unclassified']);
}

/** By position type (LONG, SHORT, LC, LP, SC, SP). */
export function exposureByType(positions: readonly PositionInput[]): ExposureGroup[] {
  return groupExposures(positions, (p) => [p.positionType]);
}

/**
 * By underlying (engines.md §4.4): options under `underlyingSymbol`, stocks under `symbol`; each
 * group carries stock/option counts via `countsByType`, call/put counts and delta-adjusted totals.
 * @throws EngineError INVALID_INPUT for an option without an underlying symbol.
 */
export function exposureByUnderlying(positions: readonly PositionInput[]): ExposureGroup[] {
  return groupExposures(positions, (p) => {
    if (!isOptionType(p.positionType)) return [p.symbol];
    if (!p.underlyingSymbol) throw new EngineError('INVALID_INPUT', `option position ${p.id} has no underlyingSymbol`);
    return [p.underlyingSymbol];
  });
}

export type TagMode = 'any' | 'all';

/**
 * By tag (engines.md §4.4). Without a filter, every tag is a group. With `filterTags`, only
 * positions matching the filter are used — mode `any`: carrying at least one filter tag (OR);
 * `all`: carrying every filter tag (AND) — and the groups are the filter tags. A position with
 * several matching tags counts under each; `combined` aggregates the matching positions once.
 * @throws EngineError INVALID_INPUT for an empty filter list or invalid positions.
 * @example exposureByTag(positions, { filterTags: ['tech', 'core'], mode: 'all' })
 */
export function exposureByTag(
  positions: readonly PositionInput[],
  opts: { filterTags?: readonly string[]; mode?: TagMode } = {},
): { groups: ExposureGroup[]; combined: ExposureAggregate } {
  const filter = opts.filterTags;
  if (filter !== undefined && filter.length === 0) throw new EngineError('INVALID_INPUT', 'filterTags must not be empty when given');
  const mode = opts.mode ?? 'any';
  const matching = filter === undefined
    ? positions
    : positions.filter((p) => {
        const tags = new Set(p.tags ?? []);
        return mode === 'all' ? filter.every((t) => tags.has(t)) : filter.some((t) => tags.has(t));
      });
  const wanted = filter === undefined ? null : new Set(filter);
  const groups = groupExposures(matching, (p) => (p.tags ?? []).filter((t) => wanted === null || wanted.has(t)));
  const combined = emptyAggregate();
  for (const p of matching) addToAggregate(combined, p);
  return { groups, combined };
}
