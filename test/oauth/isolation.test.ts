/**
 * Tenant isolation over OAuth access tokens: the principal of a token is the user who consented.
 * Each demo user (through a dynamically registered client, signed in on the consent form) calls
 * every MCP tool that takes a portfolio id with the other user's portfolio: the answer is a tool
 * error — NOT_FOUND for every tool whose other arguments are valid — never a result, and never
 * the other user's portfolio name; the other user's report resource is refused; nothing is written.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portfolioAudit, portfolios, positions } from '../../db/schema/index.ts';
import { DEMO } from '../api/helpers.ts';
import { authorizeByForm, mcpPost, pkce, startOAuthWorld, tokenRequest, type OAuthWorld } from './helpers.ts';

const CALLBACK = 'http://127.0.0.1:1/callback';

/** Arguments besides portfolio_id that make each call otherwise valid. */
const TOOL_ARGS: Record<string, Record<string, unknown>> = {
  get_current_quotes: { symbols: ['AAPL'] },
  run_custom_stress_test: { shocks: [{ factor: 'Market', shock: -0.1 }] },
  add_position: { symbol: 'AAPL', quantity: 1, entry_price: 1, entry_date: '2026-07-01' },
  preview_import: { content: 'symbol,quantity,entry_price\nAAPL,1,1\n' },
};
/** Tools that must answer NOT_FOUND for a foreign portfolio (the core reads and writes). */
const MUST_BE_NOT_FOUND = ['get_portfolio_complete', 'get_positions_details', 'get_analytics_overview', 'get_factor_exposures', 'get_risk_metrics', 'get_stress_test_results', 'get_portfolio_data_quality', 'list_positions', 'get_portfolio_audit', 'add_position', 'preview_import', 'run_portfolio_batch'];

interface ToolsList {
  result: { tools: { name: string; inputSchema: { properties?: Record<string, unknown> } }[] };
}

describe('tenant isolation over OAuth tokens [pglite]', () => {
  let world: OAuthWorld;
  const tokenOf = new Map<string, string>();
  let before: Record<string, number>;
  const counts = async () => ({
    positions: (await world.db.db.select({ n: count() }).from(positions))[0]!.n,
    portfolios: (await world.db.db.select({ n: count() }).from(portfolios))[0]!.n,
    audit: (await world.db.db.select({ n: count() }).from(portfolioAudit))[0]!.n,
  });
  beforeAll(async () => {
    world = await startOAuthWorld();
    const reg = await fetch(`${world.base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Isolation Client', redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' }) });
    const { client_id } = (await reg.json()) as { client_id: string };
    for (const user of [DEMO.hnw, DEMO.individual]) {
      const { verifier, challenge } = pkce();
      const params = { response_type: 'code', client_id, redirect_uri: CALLBACK, scope: 'portfolio:read portfolio:write batch:run', resource: `${world.base}/mcp`, code_challenge: challenge, code_challenge_method: 'S256' };
      const { location } = await authorizeByForm(world.base, params, user.email, CALLBACK);
      const t = await tokenRequest(world.base, { grant_type: 'authorization_code', code: location!.searchParams.get('code')!, code_verifier: verifier, redirect_uri: CALLBACK, client_id });
      tokenOf.set(user.email, String(t.body['access_token']));
    }
    before = await counts();
  });
  afterAll(() => world?.close());

  it('answers another user’s portfolio id with NOT_FOUND tool errors over MCP, and their report resource not at all', async () => {
    const pairs = [[DEMO.hnw, DEMO.individual], [DEMO.individual, DEMO.hnw]] as const;
    const [foreignName] = await Promise.all([world.db.db.select({ id: portfolios.id, name: portfolios.name }).from(portfolios)]);
    const nameOf = new Map(foreignName.map((p) => [p.id, p.name]));
    for (const [me, other] of pairs) {
      const token = tokenOf.get(me.email)!;
      const list = (await (await mcpPost(world.base, token, { jsonrpc: '2.0', id: 1, method: 'tools/list' })).json()) as ToolsList;
      const withPortfolio = list.result.tools.filter((t) => t.inputSchema.properties && 'portfolio_id' in t.inputSchema.properties);
      expect(withPortfolio.map((t) => t.name)).toEqual(expect.arrayContaining(MUST_BE_NOT_FOUND));
      const own = (await (await mcpPost(world.base, token, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_user_portfolios', arguments: {} } })).json()) as { result: { structuredContent: unknown } };
      expect(JSON.stringify(own.result.structuredContent)).toContain(me.portfolioId);
      expect(JSON.stringify(own.result.structuredContent)).not.toContain(other.portfolioId);
      const failures: string[] = [];
      for (const tool of withPortfolio) {
        const res = await mcpPost(world.base, token, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: tool.name, arguments: { portfolio_id: other.portfolioId, ...TOOL_ARGS[tool.name] } } });
        const body = (await res.json()) as { result?: { isError?: boolean; content: { text: string }[] }; error?: unknown };
        const text = JSON.stringify(body);
        const first = body.result?.content[0]?.text ?? '';
        if (res.status !== 200 || !body.result?.isError) failures.push(`${tool.name}: not an error (${res.status}) ${text.slice(0, 200)}`);
        else if (MUST_BE_NOT_FOUND.includes(tool.name) && !first.startsWith('NOT_FOUND:')) failures.push(`${tool.name}: ${first.slice(0, 200)}`);
        if (text.includes(nameOf.get(other.portfolioId)!)) failures.push(`${tool.name}: answer names the other user's portfolio`);
      }
      expect(failures).toEqual([]);
      const report = (await (await mcpPost(world.base, token, { jsonrpc: '2.0', id: 4, method: 'resources/read', params: { uri: `sigmasight://reports/${other.portfolioId}/latest` } })).json()) as { error?: { message: string }; result?: unknown };
      expect(report.result).toBeUndefined();
      expect(report.error?.message).toMatch(/not found/i);
    }
    expect(await counts()).toEqual(before);
  });
});
