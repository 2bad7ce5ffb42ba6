/**
 * Version statements of the stored-results reads (see `validatedRead` in results-cache.ts): for a
 * live portfolio of the user, one row with the database snapshot and a version of exactly the
 * rows the read depends on; no row otherwise. A version is built from row versions (`xmin`, the
 * id of the transaction that wrote the row version) and counts — the portfolio row itself, the
 * date the read picks, count and Σ `xmin` of the result rows it reads, of that date's valuations
 * and of all the portfolio's positions (provenance: stale and proxied symbols), and of the
 * catalogues it joins — so any committed insert, update or delete of those rows changes it,
 * whoever wrote them, and a write elsewhere does not.
 *
 * Parameters: $1 portfolio id, $2 user id, $3 the as-of bound (today).
 */
import { OID, preparedRead, type PreparedRead } from './results-prepared.ts';

/** Count and Σ row version of the portfolio's rows of `table` (alias t) matching `where`. */
const rows = (table: string, where: string): string =>
  `(select count(*)::text || ':' || coalesce(sum(t.xmin::text::bigint), 0)::text from ${table} t where t.portfolio_id = p.id and ${where})`;
/** The same over every row of a catalogue table. */
const catalogue = (table: string): string => `(select count(*)::text || ':' || coalesce(sum(t.xmin::text::bigint), 0)::text from ${table} t)`;
/** The latest as_of (≤ $3) of the portfolio's rows of `table`. */
const latest = (table: string): string => `(select max(t.as_of) from ${table} t where t.portfolio_id = p.id and t.as_of <= $3::date)`;
/** Provenance on `date`: that date's valuations and the portfolio's positions (their symbols, proxies, closes). */
const provenanceAt = (dateCondition: string): string[] => [rows('position_valuations', dateCondition), rows('positions', 'true')];

/** `dates` are named SQL date expressions (referenced as d.<name> in `parts`). */
function versionOf(dates: Record<string, string>, parts: string[]): PreparedRead {
  const named = Object.entries(dates).map(([k, v]) => `${v} as ${k}`);
  const all = [`p.xmin::text`, ...Object.keys(dates).map((k) => `coalesce(d.${k}::text, '-')`), ...parts].join(` || ' ' || `);
  return preparedRead(
    `select pg_current_snapshot()::text, ${all}
     from portfolios p${named.length ? ` cross join lateral (select ${named.join(', ')}) d` : ''}
     where p.id = $1::uuid and p.user_id = $2::uuid and p.deleted_at is null and $3::date is not null`,
    [OID.uuid, OID.uuid, OID.date],
  );
}

/** Risk metrics: the latest date's rows (every window), provenance on it. */
export const RISK_METRICS_VERSION = versionOf({ d: latest('risk_metrics') }, [rows('risk_metrics', 't.as_of = d.d'), ...provenanceAt('t.as_of = d.d')]);

/** Market-risk scenarios: the latest date's rows, provenance on it. */
export const MARKET_RISK_VERSION = versionOf({ d: latest('market_risk_scenarios') }, [rows('market_risk_scenarios', 't.as_of = d.d'), ...provenanceAt('t.as_of = d.d')]);

/** Stress results: the latest date's rows, the scenario catalogue, the snapshot on or before that date, provenance on it. */
export const STRESS_VERSION = versionOf({ d: latest('stress_test_results') }, [
  rows('stress_test_results', 't.as_of = d.d'),
  catalogue('stress_scenarios'),
  `coalesce((select t.as_of::text || ':' || t.xmin::text from portfolio_snapshots t where t.portfolio_id = p.id and t.as_of <= d.d order by t.as_of desc limit 1), '-')`,
  ...provenanceAt('t.as_of = d.d'),
]);

/** Greeks: the latest Greeks date and exposures date, the Greeks rows of the later of the two, provenance on it. */
export const GREEKS_VERSION = versionOf({ g: latest('position_greeks'), b: latest('portfolio_exposures') }, [
  rows('position_greeks', 't.as_of = greatest(d.g, d.b)'),
  ...provenanceAt('t.as_of = greatest(d.g, d.b)'),
]);

const LAST_FACTOR_DATES = `t.as_of in (select distinct f.as_of from factor_exposures f where f.portfolio_id = p.id and f.as_of <= $3::date order by f.as_of desc limit 5)`;

/** Portfolio factor exposures: the factor catalogue, the rows of the five latest dates, provenance on any of them. */
export const FACTOR_EXPOSURES_VERSION = versionOf({}, [catalogue('factor_definitions'), rows('factor_exposures', LAST_FACTOR_DATES), ...provenanceAt(LAST_FACTOR_DATES)]);

/** Per-position factor betas: the latest date's rows, the factor catalogue, provenance on it (the positions listed are among the positions). */
export const POSITION_FACTORS_VERSION = versionOf({ d: latest('position_factor_exposures') }, [
  rows('position_factor_exposures', 't.as_of = d.d'),
  catalogue('factor_definitions'),
  ...provenanceAt('t.as_of = d.d'),
]);

/** A second-wave analysis of one kind (risk_analyses): its latest date's row, provenance on it. */
function analysisVersion(kind: 'var_backtest' | 'historical_replays' | 'risk_contributions' | 'monte_carlo_var' | 'performance'): PreparedRead {
  const where = `t.kind = '${kind}'`;
  return versionOf(
    { d: `(select max(t.as_of) from risk_analyses t where t.portfolio_id = p.id and ${where} and t.as_of <= $3::date)` },
    [rows('risk_analyses', `${where} and t.as_of = d.d`), ...provenanceAt('t.as_of = d.d')],
  );
}
export const ANALYSIS_VERSIONS = {
  var_backtest: analysisVersion('var_backtest'),
  historical_replays: analysisVersion('historical_replays'),
  risk_contributions: analysisVersion('risk_contributions'),
  monte_carlo_var: analysisVersion('monte_carlo_var'),
  performance: analysisVersion('performance'),
} as const;
