/** `/mcp` on the API server: bearer-authenticated MCP over Streamable HTTP, scoped to the caller; no token is 401. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from '../helpers/db.ts';
import { DEMO, login, seededApp, type TestApp } from './helpers.ts';

describe('/mcp [pglite]', () => {
  let db: TestDb;
  let app: TestApp;
  beforeAll(async () => {
    ({ db, app } = await seededApp('pglite'));
  });
  afterAll(() => db.destroy());

  it('answers 401 with WWW-Authenticate without a token, 403 for a foreign browser Origin', async () => {
    const res = await app.request('/mcp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer resource_metadata="http://localhost:8000/.well-known/oauth-protected-resource/mcp"');
    const token = await login(app, DEMO.hnw.email);
    const evil = await app.request('/mcp', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: 'https://evil.example.net' }, body: '{}' });
    expect(evil.status).toBe(403);
  });

  it('lists the tools and lists only the caller’s portfolios', async () => {
    const token = await login(app, DEMO.hnw.email);
    const transport = new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), {
      fetch: async (url, init) => app.request(String(url), { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers).entries()), authorization: `Bearer ${token}` } }),
    });
    const client = new Client({ name: 'api-test', version: '1' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('list_user_portfolios');
    const r = await client.callTool({ name: 'list_user_portfolios', arguments: {} });
    expect(JSON.stringify(r.structuredContent)).toContain(DEMO.hnw.portfolioId);
    expect(JSON.stringify(r.structuredContent)).not.toContain(DEMO.individual.portfolioId);
    await client.close();
  });
});
