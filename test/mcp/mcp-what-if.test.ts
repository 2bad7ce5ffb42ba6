/**
 * On-the-fly tools against the stored batch results: a custom stress test with a catalogue
 * scenario's shocks reproduces that scenario's stored P&L, and simulated trades that cancel out
 * leave every figure exactly as it was; a cash-funded buy moves gross exposure and cash by the
 * bundled close × quantity and leaves NAV unchanged.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CustomStressOutput, SimulateTradeOutput } from '../../core/contracts/what-if.ts';
import { marketPrices, stressScenarios, stressTestResults } from '../../db/schema/index.ts';
import type { InProcessMcp } from '../../mcp-server/in-process.ts';
import { DEMO_AS_OF } from '../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { batchedMcp, callTool, DEMO, toolText } from './mcp-harness.ts';

const call = (mcp: InProcessMcp, name: string, args: Record<string, unknown>) => callTool(mcp.client, name, args);
const text = toolText;

describeEachDb('custom stress and simulated trades', (kind) => {
  let db: TestDb;
  let mcp: InProcessMcp;
  beforeAll(async () => {
    ({ db, mcp } = await batchedMcp(kind, DEMO.hedge.email));
  }, 300_000);
  afterAll(async () => {
    await mcp.close();
    await db.destroy();
  });

  it("reproduces every catalogue scenario's stored P&L from its shocks (hedge-fund book with options and shorts)", async () => {
    const scenarios = await db.db.select().from(stressScenarios).where(eq(stressScenarios.isActive, true));
    expect(scenarios.length).toBeGreaterThanOrEqual(15);
    for (const s of scenarios) {
      const [stored] = await db.db.select().from(stressTestResults).where(and(eq(stressTestResults.portfolioId, DEMO.hedge.portfolioId), eq(stressTestResults.scenarioId, s.id), eq(stressTestResults.asOf, DEMO_AS_OF)));
      const r = await call(mcp, 'run_custom_stress_test', { shocks: Object.entries(s.shocks).map(([factor, shock]) => ({ factor, shock })) });
      expect(r.isError, text(r)).toBeFalsy();
      const out = r.structuredContent as CustomStressOutput;
      expect(out.matches_catalogue, s.id).toBe(s.id);
      expect(out.total_pnl, s.id).toBe(stored!.correlatedPnl);
      expect(out.direct_pnl, s.id).toBe(stored!.directPnl);
    }
  });

  it('serves the latest report of the stored results as a Markdown resource', async () => {
    const r = await mcp.client.readResource({ uri: `sigmasight://reports/${DEMO.hedge.portfolioId}/latest` });
    const md = (r.contents[0] as { text: string; mimeType: string }).text;
    expect(r.contents[0]!.mimeType).toBe('text/markdown');
    expect(md).toContain(DEMO_AS_OF);
    expect(md).toMatch(/stress/i);
  });

  it('scales linearly: doubling a market shock doubles the P&L', async () => {
    const one = (await call(mcp, 'run_custom_stress_test', { shocks: [{ factor: 'Market', shock: -0.07 }] })).structuredContent as CustomStressOutput;
    const two = (await call(mcp, 'run_custom_stress_test', { shocks: [{ factor: 'Market', shock: -0.14 }] })).structuredContent as CustomStressOutput;
    expect(two.total_pnl!).toBeCloseTo(2 * one.total_pnl!, 1);
    expect(one.matches_catalogue).toBeNull();
  });

  it('adding then removing the same position returns the original figures exactly', async () => {
    for (const trades of [
      [{ action: 'add', symbol: 'SPY', quantity: 250 }, { action: 'remove', symbol: 'SPY' }],
      [{ action: 'add', symbol: 'NVDA', quantity: -40 }, { action: 'add', symbol: 'NVDA', quantity: 40 }],
    ]) {
      const r = await call(mcp, 'simulate_trade', { trades });
      expect(r.isError, text(r)).toBeFalsy();
      const out = r.structuredContent as SimulateTradeOutput;
      expect(out.after).toEqual(out.before);
      expect(out.trades_applied).toEqual([]);
    }
  });

  it('a cash-funded buy moves gross exposure and cash by quantity × the bundled close and keeps NAV', async () => {
    const [close] = await db.db.select({ c: marketPrices.close }).from(marketPrices).where(and(eq(marketPrices.symbol, 'SPY'), eq(marketPrices.date, DEMO_AS_OF)));
    const r = await call(mcp, 'simulate_trade', { trades: [{ action: 'add', symbol: 'SPY', quantity: 100 }] });
    const out = r.structuredContent as SimulateTradeOutput;
    const value = 100 * close!.c;
    expect(out.after.cash! - out.before.cash!).toBeCloseTo(-value, 1);
    expect(out.after.long_exposure! - out.before.long_exposure!).toBeCloseTo(value, 1);
    expect(out.after.nav!).toBeCloseTo(out.before.nav!, 1);
    expect(out.after.position_count).toBe(out.before.position_count + 1);
    const mb = (f: SimulateTradeOutput['before']) => f.factor_betas.find((b) => b.factor === 'Market')!;
    expect(mb(out.after).exposure_dollar! - mb(out.before).exposure_dollar!).toBeGreaterThan(0.9 * value); // SPY's market beta is 1 by construction
  });

  it('refuses unknown positions, unpriced symbols and option sign flips with tool errors', async () => {
    for (const trades of [[{ action: 'remove', symbol: 'NOPE' }], [{ action: 'add', symbol: 'ZZZZ', quantity: 5 }], [{ action: 'resize', symbol: 'SPY' }]]) {
      const r = await call(mcp, 'simulate_trade', { trades });
      expect(r.isError, JSON.stringify(trades)).toBe(true);
      expect(text(r)).toMatch(/^(NOT_FOUND|UNPROCESSABLE|VALIDATION): /);
    }
  });
});
