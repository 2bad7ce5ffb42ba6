/**
 * The overview's decoded inputs are reused only while every row they came from is unchanged: a
 * rerun of the same date under the same run id, a valuation edited or deleted alone, a position
 * closed, renamed or deleted, the run's finish time, the portfolio's deletion and its owner all
 * show on the very next read, while writes elsewhere keep the reused inputs. Two databases in
 * one process never share inputs. The other stored-results reads (risk metrics, market risk,
 * stress, Greeks, factor exposures, per-position betas) reuse answers the same way.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { getFactorExposures, getPositionFactorExposures } from '../../../core/services/analytics-factors.ts';
import { getOverview } from '../../../core/services/analytics-overview.ts';
import { getGreeks, getMarketRisk, getRiskMetrics } from '../../../core/services/analytics-risk.ts';
import { getStressTest } from '../../../core/services/analytics-stress.ts';
import type { Principal, ServiceDeps } from '../../../core/services/context.ts';
import { overviewInputs } from '../../../db/queries/results.ts';
import {
  batchRuns, factorDefinitions, factorExposures, marketRiskScenarios, portfolioExposures, portfolios, portfolioSnapshots, positionFactorExposures,
  positionGreeks, positions, positionValuations, riskMetrics, stressScenarios, stressTestResults,
} from '../../../db/schema/index.ts';
import { createTestDb, describeEachDb, type TestDb } from '../../helpers/db.ts';
import { D2, HEDGE, INDIVIDUAL, insertResults, POS } from './results-fixture.ts';

const hedge: Principal = { userId: 'b13cd6e9-6a6e-c644-8a44-e710b2868e54', email: 'demo_hedgefundstyle@sigmasight.com', role: 'user' };
const individual: Principal = { userId: 'fd5f083c-6ffc-df32-89ca-a4044b5723f5', email: 'demo_individual@sigmasight.com', role: 'user' };
const UP_TO = '2026-07-13';

describeEachDb('overview freshness', (kind) => {
  let db: TestDb;
  let deps: ServiceDeps;
  let runId: string;
  const overview = () => getOverview(deps, hedge, HEDGE);
  beforeAll(async () => {
    db = await createTestDb(kind, { seeded: true });
    ({ runId } = await insertResults(db.db));
    deps = { db: db.db, log: createLogger({ level: 'silent' }), clock: () => new Date('2026-07-13T21:00:00Z') };
  });
  afterAll(() => db.destroy());

  it('reuses the decoded inputs while nothing they came from changed, also across writes elsewhere', async () => {
    const first = await overviewInputs(db.db, hedge.userId, HEDGE, UP_TO);
    expect(first.exposure).toMatchObject({ asOf: D2, runId, nav: 2_000_000 });
    expect(await overviewInputs(db.db, hedge.userId, HEDGE, UP_TO)).toBe(first);
    // a committed write to unrelated rows (another portfolio's position) moves the snapshot, not the version
    await db.db.update(positions).set({ notes: 'touched' }).where(eq(positions.portfolioId, '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe'));
    expect(await overviewInputs(db.db, hedge.userId, HEDGE, UP_TO)).toBe(first);
    expect(Object.isFrozen(first.valuations[0])).toBe(true);
  });

  it('a rerun of the same date under the same run id shows at once', async () => {
    expect((await overview()).total_value).toBe(2_000_000);
    await db.db.update(portfolioExposures).set({ nav: 2_100_000 }).where(and(eq(portfolioExposures.portfolioId, HEDGE), eq(portfolioExposures.asOf, D2)));
    expect((await overview()).total_value).toBe(2_100_000);
    await db.db.update(portfolioExposures).set({ nav: 2_000_000 }).where(and(eq(portfolioExposures.portfolioId, HEDGE), eq(portfolioExposures.asOf, D2)));
    expect((await overview()).total_value).toBe(2_000_000);
  });

  it('a valuation edited or deleted on its own shows at once', async () => {
    expect((await overview()).pnl.unrealized_pnl).toBe(10_000);
    const nvda = and(eq(positionValuations.positionId, POS.NVDA), eq(positionValuations.asOf, D2));
    await db.db.update(positionValuations).set({ unrealizedPnl: 11_000 }).where(nvda);
    expect((await overview()).pnl.unrealized_pnl).toBe(11_000);
    const [row] = await db.db.delete(positionValuations).where(nvda).returning();
    expect((await overview()).pnl.unrealized_pnl).toBe(0);
    await db.db.insert(positionValuations).values({ ...row!, unrealizedPnl: 10_000 });
    expect((await overview()).pnl.unrealized_pnl).toBe(10_000);
  });

  it('a position closed, renamed or deleted shows at once', async () => {
    const [msft] = await db.db.select().from(positions).where(eq(positions.id, POS.MSFT));
    await db.db.update(positions).set({ exitPrice: msft!.entryPrice + 1, exitDate: '2026-07-01' }).where(eq(positions.id, POS.MSFT));
    expect((await overview()).pnl.realized_pnl).toBe(Math.round(msft!.quantity * msft!.multiplier * 100) / 100);
    await db.db.update(positions).set({ exitPrice: msft!.exitPrice, exitDate: msft!.exitDate }).where(eq(positions.id, POS.MSFT));
    expect((await overview()).pnl.realized_pnl).toBe(0);

    expect((await overview()).data_quality!.stale_symbols).toEqual(['NFLX']);
    await db.db.update(positions).set({ symbol: 'NFLX2' }).where(eq(positions.id, POS.NFLX));
    expect((await overview()).data_quality!.stale_symbols).toEqual(['NFLX2']);
    await db.db.update(positions).set({ symbol: 'NFLX' }).where(eq(positions.id, POS.NFLX));

    // a position deleted outright takes its valuation with it (cascade)
    const [spy] = await db.db.select().from(positions).where(eq(positions.id, POS.SPY_C));
    const [spyVal] = await db.db.select().from(positionValuations).where(eq(positionValuations.positionId, POS.SPY_C));
    await db.db.delete(positions).where(eq(positions.id, POS.SPY_C));
    expect((await overview()).position_count.option_count).toBe(0);
    await db.db.insert(positions).values(spy!);
    await db.db.insert(positionValuations).values(spyVal!);
    expect((await overview()).position_count.option_count).toBe(1);
  });

  it("the run's finish time shows at once", async () => {
    expect((await overview()).last_updated).toBe('2026-07-13T23:00:00.000Z');
    await db.db.update(batchRuns).set({ finishedAt: new Date('2026-07-13T23:30:00Z') }).where(eq(batchRuns.id, runId));
    expect((await overview()).last_updated).toBe('2026-07-13T23:30:00.000Z');
  });

  it('a deleted portfolio answers NOT_FOUND at once, and another user never reads it', async () => {
    expect((await overview()).available).toBe(true);
    await expect(getOverview(deps, individual, HEDGE)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await db.db.update(portfolios).set({ deletedAt: new Date() }).where(eq(portfolios.id, HEDGE));
    await expect(overview()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await db.db.update(portfolios).set({ deletedAt: null }).where(eq(portfolios.id, HEDGE));
    expect((await overview()).available).toBe(true);
    // handed to another user: the old owner loses it, the new one reads it
    await db.db.update(portfolios).set({ userId: individual.userId }).where(eq(portfolios.id, HEDGE));
    try {
      await expect(overview()).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await getOverview(deps, individual, HEDGE)).total_value).toBe(2_000_000);
    } finally {
      await db.db.update(portfolios).set({ userId: hedge.userId }).where(eq(portfolios.id, HEDGE));
    }
    await expect(getOverview(deps, individual, HEDGE)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a second database with the same ids in the same process reads its own rows', async () => {
    const other = await createTestDb(kind, { seeded: true });
    try {
      await insertResults(other.db);
      await other.db.update(portfolioExposures).set({ nav: 3_000_000 }).where(and(eq(portfolioExposures.portfolioId, HEDGE), eq(portfolioExposures.asOf, D2)));
      expect((await overview()).total_value).toBe(2_000_000);
      expect((await getOverview({ ...deps, db: other.db }, hedge, HEDGE)).total_value).toBe(3_000_000);
      expect((await overview()).total_value).toBe(2_000_000);
    } finally {
      await other.destroy();
    }
  });

  it('a read inside a transaction sees that transaction', async () => {
    await db.db.transaction(async (tx) => {
      await tx.execute(sql`update portfolio_exposures set nav = 5000000 where portfolio_id = ${HEDGE} and as_of = ${D2}`);
      expect((await getOverview({ ...deps, db: tx as never }, hedge, HEDGE)).total_value).toBe(5_000_000);
      tx.rollback();
    }).catch((e: unknown) => {
      if (!(e instanceof Error) || !/rollback/i.test(e.message)) throw e;
    });
    expect((await overview()).total_value).toBe(2_000_000);
  });

  it('the other stored-results reads reuse their answer while unchanged and show each write to their rows at once', async () => {
    const risk = () => getRiskMetrics(deps, hedge, HEDGE, {});
    const first = await risk();
    expect(await risk()).toBe(first);
    await db.db.update(positions).set({ notes: 'elsewhere' }).where(eq(positions.portfolioId, INDIVIDUAL));
    expect(await risk()).toBe(first);
    const at = and(eq(riskMetrics.portfolioId, HEDGE), eq(riskMetrics.asOf, D2), eq(riskMetrics.windowDays, 252));
    await db.db.update(riskMetrics).set({ volAnnual: 0.5 }).where(at);
    expect((await risk()).risk_metrics!.annualized_volatility).toBe(0.5);
    expect((await getRiskMetrics(deps, hedge, HEDGE, { lookback_days: 90 })).risk_metrics!.annualized_volatility).toBe(0.21);
    await db.db.update(riskMetrics).set({ volAnnual: 0.18 }).where(at);
    expect((await risk()).risk_metrics!.annualized_volatility).toBe(0.18);

    // provenance: a valuation turning stale on the read's date
    const nflx = and(eq(positionValuations.positionId, POS.NFLX), eq(positionValuations.asOf, D2));
    await db.db.update(positionValuations).set({ isStale: false }).where(nflx);
    expect((await risk()).data_quality!.stale_symbols).toEqual([]);
    await db.db.update(positionValuations).set({ isStale: true }).where(nflx);
    expect((await risk()).data_quality!.stale_symbols).toEqual(['NFLX']);

    const mr = and(eq(marketRiskScenarios.portfolioId, HEDGE), eq(marketRiskScenarios.scenarioKey, 'market_down_10'));
    expect((await getMarketRisk(deps, hedge, HEDGE)).scenarios[0]!.pnl_linear).toBe(-160_000);
    await db.db.update(marketRiskScenarios).set({ pnlLinear: -170_000 }).where(mr);
    expect((await getMarketRisk(deps, hedge, HEDGE)).scenarios[0]!.pnl_linear).toBe(-170_000);

    const stress = async () => (await getStressTest(deps, hedge, HEDGE, {})).data!;
    expect((await stress()).portfolio_value).toBe(2_000_000);
    await db.db.update(portfolioSnapshots).set({ nav: 2_500_000 }).where(and(eq(portfolioSnapshots.portfolioId, HEDGE), eq(portfolioSnapshots.asOf, D2)));
    expect((await stress()).portfolio_value).toBe(2_500_000);
    await db.db.update(stressScenarios).set({ name: 'Covid crash (renamed)' }).where(eq(stressScenarios.id, 'covid_crash_2020'));
    expect((await stress()).scenarios.find((x) => x.id === 'covid_crash_2020')!.name).toBe('Covid crash (renamed)');
    await db.db.update(stressTestResults).set({ correlatedPnl: -700_000 }).where(and(eq(stressTestResults.portfolioId, HEDGE), eq(stressTestResults.scenarioId, 'covid_crash_2020'), eq(stressTestResults.asOf, D2)));
    expect((await getStressTest(deps, hedge, HEDGE, { scenarios: 'covid_crash_2020' })).data!.scenarios[0]!.impact.dollar_impact).toBe(-700_000);

    // (the SPY call's Greeks went with its deletion above: the short TSLA call remains)
    const delta = async () => (await getGreeks(deps, hedge, HEDGE)).totals!.dollar_delta;
    expect(await delta()).toBe(-25_000);
    await db.db.update(positionGreeks).set({ dollarDelta: -30_000 }).where(eq(positionGreeks.positionId, POS.TSLA_SC));
    expect(await delta()).toBe(-30_000);

    const market = (await db.db.select().from(factorDefinitions).where(eq(factorDefinitions.name, 'Market Beta')))[0]!;
    expect((await getFactorExposures(deps, hedge, HEDGE)).factors[0]).toMatchObject({ name: 'Market Beta', beta: 0.9 });
    await db.db.update(factorExposures).set({ beta: 0.95 }).where(and(eq(factorExposures.portfolioId, HEDGE), eq(factorExposures.factorId, market.id), eq(factorExposures.asOf, D2), eq(factorExposures.model, 'market')));
    expect((await getFactorExposures(deps, hedge, HEDGE)).factors[0]).toMatchObject({ name: 'Market Beta', beta: 0.95 });
    await db.db.update(factorDefinitions).set({ displayOrder: 99 }).where(eq(factorDefinitions.id, market.id));
    expect((await getFactorExposures(deps, hedge, HEDGE)).factors.at(-1)!.name).toBe('Market Beta');

    const nvdaBetas = async () => (await getPositionFactorExposures(deps, hedge, HEDGE, { limit: 50, offset: 0, symbols: 'NVDA' })).positions[0]!.exposures;
    expect(await nvdaBetas()).toEqual({ 'Market Beta': 1.7, Value: -0.4 });
    await db.db.update(positionFactorExposures).set({ beta: 1.8 }).where(and(eq(positionFactorExposures.positionId, POS.NVDA), eq(positionFactorExposures.factorId, market.id), eq(positionFactorExposures.model, 'market')));
    expect(await nvdaBetas()).toEqual({ 'Market Beta': 1.8, Value: -0.4 });
    await db.db.update(positions).set({ exitPrice: 1, exitDate: '2026-07-01' }).where(eq(positions.id, POS.NVDA));
    expect((await getPositionFactorExposures(deps, hedge, HEDGE, { limit: 50, offset: 0, symbols: 'NVDA' })).total).toBe(0);
    await db.db.update(positions).set({ exitPrice: null, exitDate: null }).where(eq(positions.id, POS.NVDA));

    // another user, and a deleted portfolio, never get a kept answer
    await expect(getRiskMetrics(deps, individual, HEDGE, {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getGreeks(deps, individual, HEDGE)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await db.db.update(portfolios).set({ deletedAt: new Date() }).where(eq(portfolios.id, HEDGE));
    try {
      await expect(risk()).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(getFactorExposures(deps, hedge, HEDGE)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await db.db.update(portfolios).set({ deletedAt: null }).where(eq(portfolios.id, HEDGE));
    }
    expect((await risk()).available).toBe(true);
    await expect(getRiskMetrics(deps, hedge, 'not-a-uuid', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
