/**
 * The offline responder on the second-wave questions, through the chat loop on a seeded database:
 * before the batch it says the results are not computed yet; after one batch run each question
 * calls its tool and answers with figures that appear in that tool's own result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { OFFLINE_NOTICE } from '../../agent/offline/answer.ts';
import { OfflineChatModel } from '../../agent/offline/model.ts';
import type { AgentRuntime } from '../../agent/runtime.ts';
import { startSystemRun } from '../../core/batch/service.ts';
import type { Principal } from '../../core/services/context.ts';
import { HistoricalReplaysSchema, MonteCarloVarSchema, PerformanceSchema, RiskContributionsSchema, VarBacktestSchema } from '../../core/contracts/risk-analyses.ts';
import { dataOf, DEMO, expectWellFormed, newConversation, principalOf, runtimeFor, send, textOf, type Frame } from '../agent/harness.ts';
import { mcpFor } from '../mcp/mcp-harness.ts';
import { batchDeps, DEMO_AS_OF, seededDb } from '../helpers/batch.ts';
import type { TestDb } from '../helpers/db.ts';

/** Whole dollars with thousands separators (sign aside), as the answers print amounts. */
const dollars = (x: number) => `$${Math.abs(Math.round(x)).toLocaleString('en-US')}`;

describe('offline responder on the second-wave questions [pglite]', () => {
  let db: TestDb;
  let rt: AgentRuntime;
  let me: Principal;
  let beforeBatch: Frame[];
  const ask = async (text: string) => {
    const frames = await send(rt, me, { conversationId: await newConversation(rt, me), text });
    expectWellFormed(frames, 'done');
    return { frames, text: textOf(frames), tools: dataOf(frames, 'tool_call').map((d) => d['tool_name']) };
  };
  /** The tool's own answer for the same user, straight from the MCP server. */
  const direct = async (name: string) => {
    const mcp = await mcpFor(db, DEMO.hedge.email);
    try {
      return ((await mcp.client.callTool({ name, arguments: {} })) as CallToolResult).structuredContent;
    } finally {
      await mcp.close();
    }
  };
  beforeAll(async () => {
    db = await seededDb('pglite');
    rt = runtimeFor(db, new OfflineChatModel());
    me = await principalOf(db, DEMO.hedge.email);
    beforeBatch = await send(rt, me, { conversationId: await newConversation(rt, me), text: 'Did my VaR hold up?' });
    const deps = batchDeps(db);
    await startSystemRun(deps, { trigger: 'cli', skipReports: true });
    await deps.runner.idle();
  }, 180_000);
  afterAll(() => db.destroy());

  it('before any batch, says the backtest is not computed yet and how to compute it', () => {
    expectWellFormed(beforeBatch, 'done');
    expect(dataOf(beforeBatch, 'tool_call').map((d) => d['tool_name'])).toEqual(['get_var_backtest']);
    expect(textOf(beforeBatch)).toMatch(/not computed yet[\s\S]*run the batch/);
  });

  it('"Did my VaR hold up?" calls get_var_backtest and answers with its exception counts and Kupiec p-values', async () => {
    const a = await ask('Did my VaR hold up?');
    expect(a.tools).toEqual(['get_var_backtest']);
    expect(a.text.startsWith(OFFLINE_NOTICE)).toBe(true);
    const b = VarBacktestSchema.parse(await direct('get_var_backtest')).backtest!;
    for (const l of b.levels.filter((x) => x.confidence === 0.99)) {
      expect(a.text).toContain(`${l.exceptions} exceptions vs ${l.expected.toFixed(1)} expected`);
      expect(a.text).toContain(l.kupiec_pof.p_value.toFixed(3));
    }
    expect(a.text).toContain(b.end_date);
  });

  it('"What if March 2020 happened again?" calls get_historical_replays and answers with the Covid window\'s P&L', async () => {
    const a = await ask('What if March 2020 happened again?');
    expect(a.tools).toEqual(['get_historical_replays']);
    const covid = HistoricalReplaysSchema.parse(await direct('get_historical_replays')).replays!.windows.find((w) => w.key === 'covid_crash')!;
    expect(a.text).toContain(`Covid crash (2020-02-19 → 2020-03-23) `);
    expect(a.text).toContain(dollars(covid.total_pnl));
    expect(a.text).toContain(DEMO_AS_OF);
  });

  it('"What drives my risk?" calls get_risk_contributions and answers with the VaR and the largest contributor', async () => {
    const a = await ask('What drives my risk?');
    expect(a.tools).toEqual(['get_risk_contributions']);
    const c = RiskContributionsSchema.parse(await direct('get_risk_contributions')).contributions!;
    expect(a.text).toContain(dollars(c.parametric.var_usd));
    const top = [...c.parametric.underlyings].sort((x, y) => y.component_var - x.component_var)[0]!;
    expect(a.text).toContain(top.underlying);
    expect(a.text).not.toMatch(/I don't understand|investment advice/);
  });

  it('Monte Carlo and benchmark questions call their tools and quote their figures', async () => {
    const m = await ask('Run a Monte Carlo VaR');
    expect(m.tools).toEqual(['get_monte_carlo_var']);
    const mc = MonteCarloVarSchema.parse(await direct('get_monte_carlo_var')).monte_carlo!;
    expect(m.text).toContain(dollars(mc.runs[0]!.levels.find((l) => l.confidence === 0.99)!.var_usd));
    const p = await ask('How did I do against my benchmark?');
    expect(p.tools).toEqual(['get_performance']);
    const perf = PerformanceSchema.parse(await direct('get_performance')).performance!;
    expect(p.text).toContain(`TWR ${perf.twr_pct.toFixed(1)}%`);
    expect(p.text).toContain(`beta ${perf.comparisons[0]!.beta.toFixed(2)}`);
  });
});
