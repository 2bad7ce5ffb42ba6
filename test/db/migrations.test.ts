import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/exec.ts';
import { migrationStatus } from '../../db/queries/migrations.ts';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.ts';

const EXPECTED_TABLES = [
  'users', 'sessions', 'portfolios', 'positions', 'tags', 'position_tags', 'securities', 'factor_definitions', 'stress_scenarios',
  'market_prices', 'treasury_rates', 'data_loads', 'batch_runs', 'batch_phase_runs', 'position_valuations', 'portfolio_exposures',
  'position_greeks', 'symbol_factor_betas', 'position_factor_exposures', 'factor_exposures', 'factor_covariances',
  'market_risk_scenarios', 'stress_test_results', 'risk_metrics', 'portfolio_snapshots', 'correlation_calculations',
  'correlation_clusters', 'conversations', 'messages', 'tool_calls', 'portfolio_audit', 'holdings_imports', 'agent_approvals',
  'oauth_records', 'oauth_keys', 'risk_analyses', 'market_data_version', 'backtest_day_forecasts',
];

describeEachDb('migrations', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(kind, { migrate: false });
  });
  afterAll(() => db.destroy());

  it('start with every migration pending on an empty database', async () => {
    const states = await migrationStatus(db.db);
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((s) => !s.applied)).toBe(true);
  });

  it('apply from empty, create every table, and re-apply as a no-op', async () => {
    await db.migrate();
    const rows = await queryRows<{ table_name: string }>(db.db, sql`select table_name from information_schema.tables where table_schema = 'public'`);
    expect(rows.map((r) => r.table_name).sort()).toEqual([...EXPECTED_TABLES].sort());
    expect((await migrationStatus(db.db)).every((s) => s.applied)).toBe(true);
    await db.migrate();
    expect((await migrationStatus(db.db)).every((s) => s.applied)).toBe(true);
  });
});
