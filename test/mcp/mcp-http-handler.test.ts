import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
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
