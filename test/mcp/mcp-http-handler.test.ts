import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { principalForEmail } from '../../core/services/local-principal.ts';
import { handleMcpHttp, isAllowedOrigin } from '../../mcp-server/http.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { DEMO, demoClock, seededDb } from './mcp-harness.ts';

describeEachDb('MCP Streamable HTTP handler (stateless)', (kind) => {
  let db: TestDb;
  let client: Client;
  beforeAll(async () => {
    db = await seededDb(kind);
    const principal = await principalForEmail(db.db, DEMO.hnw.email);
    const ctx = { deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: demoClock }, principal, channel: 'http' as const };
    const transport = new StreamableHTTPClientTransport(new URL('http://sigmasight.test/mcp'), {
      fetch: async (url, init) => handleMcpHttp(new Request(url, init), ctx),
    });
    client = new Client({ name: 'http-test', version: '1' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client.close();
    await db.destroy();
  });

  it('initialises, lists tools and calls one across separate stateless requests', async () => {
    const { tools } = await client.listTools();
    expect(tools.some((t) => t.name === 'list_user_portfolios')).toBe(true);
    const r = (await client.callTool({ name: 'list_user_portfolios', arguments: {} })) as CallToolResult;
    expect((r.structuredContent as { portfolios: { id: string }[] }).portfolios.map((p) => p.id)).toEqual([DEMO.hnw.portfolioId]);
  });

  it('serves 2025-06-18 and 2025-11-25 clients at the revision they ask for', async () => {
    const ctx = { deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: demoClock }, principal: await principalForEmail(db.db, DEMO.hnw.email), channel: 'http' as const };
    const post = async (message: unknown, version?: string) => {
      const res = await handleMcpHttp(new Request('http://x/mcp', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(version ? { 'mcp-protocol-version': version } : {}) }, body: JSON.stringify(message) }), ctx);
      return (await res.json()) as { result?: Record<string, any>; error?: { message: string } };
    };
    for (const version of ['2025-06-18', '2025-11-25']) {
      const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: `client-${version}`, version: '1' } } });
      expect(init.result?.['protocolVersion']).toBe(version);
      const call = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_user_portfolios', arguments: {} } }, version);
      expect(call.result?.['structuredContent'].portfolios.map((p: { id: string }) => p.id)).toEqual([DEMO.hnw.portfolioId]);
    }
    // a revision this SDK does not know is answered with the latest it serves (the client then decides)
    const newer = await post({ jsonrpc: '2.0', id: 3, method: 'initialize', params: { protocolVersion: '2026-07-28', capabilities: {}, clientInfo: { name: 'client-2026', version: '1' } } });
    expect(newer.result?.['protocolVersion']).toBe('2025-11-25');
  });

  it('serves a 2026-07-28 client (the SDK client pinned to that revision, and negotiating) on the same endpoint, scopes included', async () => {
    const principal = await principalForEmail(db.db, DEMO.hnw.email);
    const base = { deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: demoClock }, principal, channel: 'http' as const };
    const modern = async (mode: 'auto' | { pin: string }, ctx: Parameters<typeof handleMcpHttp>[1]) => {
      const c = new Client({ name: 'http-2026', version: '1' }, { versionNegotiation: { mode } });
      await c.connect(new StreamableHTTPClientTransport(new URL('http://sigmasight.test/mcp'), { fetch: async (url, init) => handleMcpHttp(new Request(url, init), ctx) }));
      return c;
    };
    for (const mode of [{ pin: '2026-07-28' }, 'auto'] as const) {
      const c = await modern(mode, base);
      expect(c.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect(c.getServerVersion()?.name).toBe('sigmasight');
      const { tools } = await c.listTools();
      expect(tools.length).toBeGreaterThan(20);
      expect(tools.find((t) => t.name === 'add_position')?.icons?.[0]?.mimeType).toBe('image/svg+xml');
      const r = (await c.callTool({ name: 'list_user_portfolios', arguments: {} })) as CallToolResult;
      expect((r.structuredContent as { portfolios: { id: string }[] }).portfolios.map((p) => p.id)).toEqual([DEMO.hnw.portfolioId]);
      // another user's portfolio is not found, in this era as in the others
      const foreign = (await c.callTool({ name: 'get_analytics_overview', arguments: { portfolio_id: DEMO.individual.portfolioId } })) as CallToolResult;
      expect(foreign.isError).toBe(true);
      expect(JSON.stringify(foreign.content)).toMatch(/NOT_FOUND/);
      await c.close();
    }
    // a read-only token: the write tools are not listed, and a call to one is refused with the step-up 403
    const readOnly = await modern({ pin: '2026-07-28' }, { ...base, allowedScopes: ['portfolio:read'] });
    const names = (await readOnly.listTools()).tools.map((t) => t.name);
    expect(names).toContain('get_risk_metrics');
    expect(names).not.toContain('add_position');
    await expect(readOnly.callTool({ name: 'add_position', arguments: { symbol: 'AAPL', quantity: 1, entry_price: 1, entry_date: '2026-07-01' } })).rejects.toThrow(/insufficient.scope/i);
    await readOnly.close();
  });

  it('answers GET and DELETE with 405', async () => {
    const ctx = { deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: demoClock }, principal: await principalForEmail(db.db, DEMO.hnw.email), channel: 'http' as const };
    expect((await handleMcpHttp(new Request('http://x/mcp', { method: 'GET' }), ctx)).status).toBe(405);
    expect((await handleMcpHttp(new Request('http://x/mcp', { method: 'DELETE' }), ctx)).status).toBe(405);
  });
});

it('accepts no Origin, listed origins and the server\'s own origin; refuses others', () => {
  expect(isAllowedOrigin(undefined, 'http://localhost:8000/mcp', [])).toBe(true);
  expect(isAllowedOrigin('http://localhost:8000', 'http://localhost:8000/mcp', [])).toBe(true);
  expect(isAllowedOrigin('http://app.example', 'http://localhost:8000/mcp', ['http://app.example'])).toBe(true);
  expect(isAllowedOrigin('http://evil.example', 'http://localhost:8000/mcp', ['http://app.example'])).toBe(false);
  expect(isAllowedOrigin('not a url', 'http://localhost:8000/mcp', [])).toBe(false);
});
