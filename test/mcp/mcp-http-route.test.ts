/**
 * `/mcp` on the API server: the SDK's Streamable HTTP client with a bearer token from the login
 * route lists and calls tools; no token → 401 with WWW-Authenticate: Bearer; a foreign browser
 * Origin → 403; another user's portfolio → isError.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.ts';
import { DEMO, login, seededApp, type AppFixture } from '../api/helpers.ts';

const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describeEachDb('MCP over Streamable HTTP at /mcp', (kind) => {
  let fx: AppFixture;
  let token: string;
  let client: Client;
  beforeAll(async () => {
    fx = await seededApp(kind);
    token = await login(fx.app, DEMO.individual.email);
    client = new Client({ name: 'http-route-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
      fetch: async (url, init) => fx.app.request(String(url), init as RequestInit),
    }));
  }, 120_000);
  afterAll(async () => {
    await client.close();
    await fx.db.destroy();
  });

  it('lists the tools and calls list_user_portfolios as the token\'s user', async () => {
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(20);
    const r = (await client.callTool({ name: 'list_user_portfolios', arguments: {} })) as CallToolResult;
    expect((r.structuredContent as { portfolios: { id: string }[] }).portfolios.map((p) => p.id)).toEqual([DEMO.individual.portfolioId]);
  });

  it("answers another user's portfolio with a tool error", async () => {
    const r = (await client.callTool({ name: 'get_analytics_overview', arguments: { portfolio_id: DEMO.hnw.portfolioId } })) as CallToolResult;
    expect(r.isError).toBe(true);
  });

  it('refuses requests without a valid token: 401 problem+json with WWW-Authenticate: Bearer', async () => {
    for (const auth of [undefined, 'Bearer not-a-real-token']) {
      const res = await fx.app.request('/mcp', { method: 'POST', headers: { ...headers, ...(auth ? { authorization: auth } : {}) }, body: initialize });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuses a browser Origin outside the allow-list with 403', async () => {
    const res = await fx.app.request('/mcp', { method: 'POST', headers: { ...headers, authorization: `Bearer ${token}`, origin: 'http://evil.example' }, body: initialize });
    expect(res.status).toBe(403);
  });
});
