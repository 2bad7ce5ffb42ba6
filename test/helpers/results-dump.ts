/** Dumps every batch result table for one as_of, sorted by natural key, without run ids (rerun comparisons). */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/exec.ts';

const TABLES: Record<string, string> = {
  position_valuations: 'position_id', portfolio_exposures: 'portfolio_id', position_greeks: 'position_id',
  symbol_factor_betas: 'symbol, model, factor', factor_covariances: 'method', position_factor_exposures: 'position_id, factor_id, model',
  factor_exposures: 'portfolio_id, factor_id, model', market_risk_scenarios: 'portfolio_id, scenario_key', stress_test_results: 'portfolio_id, scenario_id',
  risk_metrics: 'portfolio_id, window_days', portfolio_snapshots: 'portfolio_id', correlation_calculations: 'portfolio_id, window_days',
  risk_analyses: 'portfolio_id, kind',
};

export async function dumpResults(db: Db, asOf: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const rows = await queryRows<Record<string, unknown>>(db, sql.raw(`select * from ${table} where as_of = '${asOf}' order by ${order}`));
    out[table] = rows.map(({ run_id: _r, id: _i, ...rest }) => rest);
  }
  out['correlation_clusters'] = await queryRows(db, sql`
    select c.portfolio_id, k.method, k.cluster_index, k.nickname, k.members, k.avg_correlation, k.gross_value from correlation_clusters k
    join correlation_calculations c on c.id = k.calculation_id where c.as_of = ${asOf} order by 1, 2, 3`);
  return out;
}
