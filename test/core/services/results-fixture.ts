/**
 * Stored batch results chosen by hand for the analytics read tests: the hedge-fund demo
 * portfolio gets rows on 2026-07-10 (older, different values) and 2026-07-13; the individual
 * portfolio gets an incomplete factor set on 2026-07-13 and a complete one on 2026-07-10.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import {
  batchRuns, correlationCalculations, factorDefinitions, factorExposures, marketRiskScenarios, portfolioExposures,
  portfolioSnapshots, positionFactorExposures, positionGreeks, positionValuations, riskMetrics, stressTestResults,
} from '../../../db/schema/index.ts';

export const HEDGE = 'fcd71196-e93e-f000-5a74-31a9eead3118';
export const INDIVIDUAL = '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe';
export const POS = {
  NVDA: '52ee57c1-d741-cbc1-ce64-96c0f965441b',
  MSFT: '05edc31d-ec15-dcde-03b0-91705b19cb6a',
  NFLX: '153b5a93-43d4-9906-30c7-4c276bf40774',
  SPY_C: 'f77f4ec6-664e-0817-77f2-f9117de7ae0d',
  TSLA_SC: '1a5e8a2b-2b1f-68e5-5747-9b4609d9ab58',
  FXNAX: '', // filled from the database
};
export const D1 = '2026-07-10';
export const D2 = '2026-07-13';

const snap = (portfolioId: string, asOf: string, nav: number, runId: string) => ({
  portfolioId, asOf, nav, cash: 100_000, longValue: nav, shortValue: -50_000, grossExposure: nav + 50_000, netExposure: nav - 50_000,
  dailyPnl: 1_000, dailyReturn: 0.001, cumulativePnl: 5_000, dollarDelta: 12_345, thetaDollarsPerDay: -321, priceCoveragePct: 100, runId,
});

export async function insertResults(db: Db): Promise<{ runId: string; oldRunId: string }> {
  const [old] = await db.insert(batchRuns).values({ asOf: D1, trigger: 'cli', status: 'succeeded', finishedAt: new Date('2026-07-10T23:00:00Z') }).returning({ id: batchRuns.id });
  const [run] = await db.insert(batchRuns).values({ asOf: D2, trigger: 'cli', status: 'succeeded', finishedAt: new Date('2026-07-13T23:00:00Z') }).returning({ id: batchRuns.id });
  const runId = run!.id;
  const oldRunId = old!.id;
  const val = (positionId: string, asOf: string, absMv: number, upnl: number, isStale = false, portfolioId = HEDGE) => ({ positionId, asOf, portfolioId, priceSource: 'market', isStale, absMarketValue: absMv, marketValue: absMv, unrealizedPnl: upnl, runId: asOf === D2 ? runId : oldRunId });
  await db.insert(positionValuations).values([
    val(POS.NVDA, D2, 100_000, 10_000), val(POS.MSFT, D2, 50_000, -2_000), val(POS.NFLX, D2, 30_000, 500, true), val(POS.SPY_C, D2, 20_000, 1_500),
    val(POS.NVDA, D1, 90_000, 9_000),
  ]);
  await db.insert(portfolioExposures).values([
    { portfolioId: HEDGE, asOf: D2, nav: 2_000_000, cash: 400_000, longExposure: 2_600_000, shortExposure: -1_000_000, grossExposure: 3_600_000, netExposure: 1_600_000, positionCount: 30, longCount: 13, shortCount: 9, runId },
    { portfolioId: HEDGE, asOf: D1, nav: 1_900_000, cash: 400_000, longExposure: 2_500_000, shortExposure: -1_000_000, grossExposure: 3_500_000, netExposure: 1_500_000, positionCount: 30, longCount: 13, shortCount: 9, runId: oldRunId },
  ]);
  await db.insert(portfolioSnapshots).values([snap(HEDGE, '2026-07-09', 1_950_000, oldRunId), snap(HEDGE, D1, 1_900_000, oldRunId), snap(HEDGE, D2, 2_000_000, runId)]);
  // Pairs in upper-triangle order: (MSFT, NFLX), (MSFT, NVDA), (NFLX, NVDA).
  await db.insert(correlationCalculations).values({
    portfolioId: HEDGE, asOf: D2, windowDays: 63, symbols: ['MSFT', 'NFLX', 'NVDA'], includedCount: 3, excludedCount: 0, runId,
    correlations: [-0.2, 0.8, 0.3], dataPoints: [20, 90, 90], pValues: [null, null, null],
  });
  const factors = await db.select({ id: factorDefinitions.id, name: factorDefinitions.name }).from(factorDefinitions).where(eq(factorDefinitions.isActive, true));
  const fx = (portfolioId: string, asOf: string, names: string[], model: string, scale: number) =>
    factors.filter((f) => names.includes(f.name)).map((f, i) => ({ portfolioId, factorId: f.id, asOf, model, beta: scale * (i + 1) / 10, exposureDollar: scale * (i + 1) * 10_000, coveragePct: 95, runId: asOf === D2 ? runId : oldRunId }));
  const all = factors.map((f) => f.name);
  await db.insert(factorExposures).values([
    ...fx(HEDGE, D2, all, 'style', 1), ...fx(HEDGE, D2, ['Market Beta'], 'market', 9), ...fx(HEDGE, D1, all, 'style', 2),
    ...fx(INDIVIDUAL, D2, ['Market Beta', 'Value'], 'style', 1), ...fx(INDIVIDUAL, D1, all, 'style', 3),
  ]);
  const market = factors.find((f) => f.name === 'Market Beta')!;
  const value = factors.find((f) => f.name === 'Value')!;
  await db.insert(positionFactorExposures).values([
    { positionId: POS.NVDA, factorId: market.id, asOf: D2, model: 'market', portfolioId: HEDGE, sourceSymbol: 'NVDA', beta: 1.7, qualityFlag: 'full_history', runId },
    { positionId: POS.NVDA, factorId: market.id, asOf: D2, model: 'style', portfolioId: HEDGE, sourceSymbol: 'NVDA', beta: 1.1, qualityFlag: 'full_history', runId },
    { positionId: POS.NVDA, factorId: value.id, asOf: D2, model: 'style', portfolioId: HEDGE, sourceSymbol: 'NVDA', beta: -0.4, qualityFlag: 'full_history', runId },
    { positionId: POS.MSFT, factorId: market.id, asOf: D2, model: 'market', portfolioId: HEDGE, sourceSymbol: 'MSFT', beta: 1.05, qualityFlag: 'full_history', runId },
  ]);
  await db.insert(stressTestResults).values([
    { portfolioId: HEDGE, scenarioId: 'market_down_10', asOf: D2, directPnl: -150_000, correlatedPnl: -180_000, correlationEffect: -30_000, runId },
    { portfolioId: HEDGE, scenarioId: 'covid_crash_2020', asOf: D2, directPnl: -500_000, correlatedPnl: -640_000, correlationEffect: -140_000, runId },
    { portfolioId: HEDGE, scenarioId: 'market_down_10', asOf: D1, directPnl: -1, correlatedPnl: -1, correlationEffect: 0, runId: oldRunId },
  ]);
  const greek = (positionId: string, dd: number, theta: number) => ({ positionId, asOf: D2, portfolioId: HEDGE, delta: 0.5, gamma: 0.01, thetaPerDay: -0.1, vegaPerVolPoint: 0.2, rhoPerPct: 0.1, dollarDelta: dd, dollarGamma1pct: 100, thetaDollarsPerDay: theta, vegaDollarsPerVolPt: 50, rhoDollarsPerPct: 20, runId });
  await db.insert(positionGreeks).values([greek(POS.SPY_C, 60_000, -200), greek(POS.TSLA_SC, -25_000, 80)]);
  await db.insert(marketRiskScenarios).values([
    { portfolioId: HEDGE, asOf: D2, scenarioKey: 'market_down_10', scenarioType: 'market', shockValue: -0.1, pnlLinear: -160_000, pnlFullReval: -158_000, pnlPctNav: -0.08, runId },
    { portfolioId: HEDGE, asOf: D2, scenarioKey: 'rates_up_100bp', scenarioType: 'rate', shockValue: 100, pnlLinear: -20_000, pnlPctNav: -0.01, runId },
  ]);
  const risk = (windowDays: number, vol: number) => ({ portfolioId: HEDGE, asOf: D2, windowDays, nObs: windowDays, volAnnual: vol, var95OneDay: 30_000, var99OneDay: 45_000, cvar95OneDay: 40_000, cvar99OneDay: 52_000, maxDrawdown: -0.12, sharpe: 1.3, sortino: 1.9, betaToSpy: 0.85, runId });
  await db.insert(riskMetrics).values([risk(252, 0.18), risk(90, 0.21)]);
  return { runId, oldRunId };
}
