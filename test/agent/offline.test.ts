import { afterAll, beforeAll, expect, it } from 'vitest';
import { OFFLINE_NOTICE } from '../../agent/offline/answer.ts';
import { OfflineChatModel } from '../../agent/offline/model.ts';
import type { AgentRuntime } from '../../agent/runtime.ts';
import type { Principal } from '../../core/services/context.ts';
import { listConversationMessages } from '../../core/services/conversations.ts';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { routeQuestion } from '../../agent/offline/router.ts';
import { insertResults } from '../core/services/results-fixture.ts';
import { mcpFor } from '../mcp/mcp-harness.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { dataOf, DEMO, expectWellFormed, newConversation, principalOf, runtimeFor, seededDb, send, textOf } from './harness.ts';

describeEachDb('offline responder through the chat loop', (kind) => {
  let db: TestDb;
  let rt: AgentRuntime;
  let me: Principal;
  beforeAll(async () => {
    db = await seededDb(kind);
    rt = runtimeFor(db, new OfflineChatModel());
    me = await principalOf(db, DEMO.individual.email);
  });
  afterAll(() => db.destroy());

  it('says it has no language model in its first answer, calls the tool, answers from its result and stores the turn', async () => {
    const conversationId = await newConversation(rt, me);
    const frames = await send(rt, me, { conversationId, text: 'Which portfolios do I have?' });
    expectWellFormed(frames, 'done');
    expect(dataOf(frames, 'tool_call').map((d) => d['tool_name'])).toEqual(['list_user_portfolios']);
    expect(dataOf(frames, 'tool_result')[0]).toMatchObject({ ok: true, row_count: 1 });
    const text = textOf(frames);
    expect(text.startsWith(OFFLINE_NOTICE)).toBe(true);
    expect(text).toContain(DEMO.individual.portfolioId);
    expect(dataOf(frames, 'start')[0]).toMatchObject({ model: 'sigmasight-offline' });

    const second = await send(rt, me, { conversationId, text: 'Tell me a joke' });
    expectWellFormed(second, 'done');
    expect(textOf(second)).toMatch(/^I don't understand "Tell me a joke"/);
    expect(dataOf(second, 'tool_call')).toHaveLength(0);

    const page = await listConversationMessages(rt.deps, me, conversationId, { limit: 10, offset: 0 });
    expect(page.messages.map((m) => m.status)).toEqual(['complete', 'complete', 'complete', 'complete']);
    expect(page.messages[1]!.tool_calls.map((c) => c.name)).toEqual(['list_user_portfolios']);
  });

  it('declines advice and questions it does not understand plainly, with no tool call, and still answers the supported ones', async () => {
    const conversationId = await newConversation(rt, me);
    const advice = await send(rt, me, { conversationId, text: 'What should I sell?' });
    expectWellFormed(advice, 'done');
    expect(dataOf(advice, 'tool_call')).toHaveLength(0);
    const adviceText = textOf(advice);
    expect(adviceText.startsWith(OFFLINE_NOTICE)).toBe(true);
    expect(adviceText).toContain("I can't help with that: I don't give investment advice");
    for (const line of ['- option Greeks: delta, gamma, theta, vega and rho, for example "What are my option Greeks?"', '- VaR, volatility and drawdown, for example "What is my VaR?"', '- the status of the calculation batch, for example "Is the batch done?"']) {
      expect(adviceText).toContain(line);
    }
    expect(adviceText).not.toContain('Key figures');

    // A question that names something it can report is still advice: no positions dump.
    const sell = await send(rt, me, { conversationId, text: 'Should I sell my positions?' });
    expect(dataOf(sell, 'tool_call')).toHaveLength(0);
    expect(textOf(sell)).toMatch(/^I can't help with that: I don't give investment advice/);

    const weather = await send(rt, me, { conversationId, text: "What's the weather?" });
    expectWellFormed(weather, 'done');
    expect(dataOf(weather, 'tool_call')).toHaveLength(0);
    expect(textOf(weather)).toMatch(/^I don't understand "What's the weather\?"\. Without a language model I can only answer questions about your portfolio\. You can ask about:/);
    expect(textOf(weather)).toContain('- factor betas, including the market beta, for example "What is my beta?"');

    const supported = await send(rt, me, { conversationId, text: 'What is my VaR?' });
    expectWellFormed(supported, 'done');
    expect(dataOf(supported, 'tool_call').map((d) => d['tool_name'])).toEqual(['get_risk_metrics']);
    expect(textOf(supported)).not.toMatch(/I don't understand|investment advice/);
  });

  it('routes only to tools the MCP server offers', async () => {
    const mcp = await mcpFor(db, DEMO.individual.email);
    const offered = new Set((await mcp.client.listTools()).tools.map((t) => t.name));
    await mcp.close();
    const questions = ['overview', 'exposures', 'beta', 'greeks', 'stress', 'VaR', 'correlation', 'diversification', 'data quality', 'batch status', 'run the batch', 'positions', 'which portfolios', 'backtest', 'replay', 'what drives my risk', 'monte carlo', 'benchmark'];
    for (const q of questions) for (const tool of routeQuestion(q)!.tools) expect(offered.has(tool), `${q} → ${tool}`).toBe(true);
  });

  it("answers the beta question from the stored factor exposures, and says when they are not computed yet", async () => {
    const before = await send(rt, me, { conversationId: await newConversation(rt, me), text: "What is my portfolio's beta?" });
    expectWellFormed(before, 'done');
    expect(dataOf(before, 'tool_call').map((d) => d['tool_name'])).toEqual(['get_factor_exposures']);
    expect(textOf(before)).toMatch(/not computed yet[\s\S]*run the batch/);

    const { runId } = await insertResults(db.db);
    const mcp = await mcpFor(db, DEMO.individual.email);
    const direct = (await mcp.client.callTool({ name: 'get_factor_exposures', arguments: {} })) as CallToolResult;
    await mcp.close();
    const stored = direct.structuredContent as { as_of: string; factors: Array<{ name: string; beta: number | null }> };
    const beta = stored.factors.find((f) => f.name === 'Market Beta')!.beta!;
    const after = await send(rt, me, { conversationId: await newConversation(rt, me), text: "What is my portfolio's beta?" });
    expectWellFormed(after, 'done');
    expect(textOf(after)).toContain(`The portfolio's market beta is ${beta.toFixed(2)} (stored results as of ${stored.as_of}).`);

    // Batch status without a job id: the run behind the stored results, found through the overview
    // (the fixture stores exposures for the hedge-fund portfolio only; the individual has none).
    const none = await send(rt, me, { conversationId: await newConversation(rt, me), text: 'Is the batch done?' });
    expect(textOf(none)).toContain('No batch run has stored results for this portfolio yet.');
    const hedge = await principalOf(db, DEMO.hedge.email);
    const status = await send(rt, hedge, { conversationId: await newConversation(rt, hedge), text: 'Is the batch done?' });
    expectWellFormed(status, 'done');
    expect(dataOf(status, 'tool_call').map((d) => d['tool_name'])).toEqual(['get_analytics_overview', 'get_batch_status']);
    expect(dataOf(status, 'tool_call')[1]!['tool_args']).toEqual({ job_id: runId });
    expect(dataOf(status, 'done')[0]).toMatchObject({ tool_rounds: 2 });
    expect(textOf(status)).toContain(runId); // the fixture's run row is not a full ledger entry, so the status itself may be NOT_FOUND
    const byId = await send(rt, hedge, { conversationId: await newConversation(rt, hedge), text: `what is the status of batch ${runId}?` });
    expect(dataOf(byId, 'tool_call').map((d) => d['tool_args'])).toEqual([{ job_id: runId }]);
  });
});
