/**
 * End to end with the MCP SDK's own OAuth client (an OAuthClientProvider with the Streamable HTTP
 * transport) against a started server: the first /mcp call answers 401 with the resource metadata
 * URL, the client discovers the protected-resource and authorization-server metadata, registers
 * (by Client ID Metadata Document from a local https host, and by dynamic registration), the user
 * signs in on the consent page in headless Chromium, the code comes back with `iss` (RFC 9207),
 * the client exchanges it, lists and calls tools. A token without portfolio:write does not see the
 * write tools and gets the step-up 403 on add_position; a revoked connection's tokens answer 401
 * at once (with the token cache on).
 */
import { auth, UnauthorizedError, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, login } from '../api/helpers.ts';
import { allowInBrowser, CHROMIUM, CHROMIUM_ARGS, mcpPost, MemoryOAuthClient, startMetadataHost, startOAuthWorld, testClientFetch, tokenRequest, type MetadataHost, type OAuthWorld } from './helpers.ts';

const CALLBACK = 'http://127.0.0.1:1/callback';
const WRITE_TOOLS = ['add_position', 'create_portfolio', 'update_position', 'close_position', 'delete_position', 'preview_import', 'commit_import'];

describe('MCP over OAuth, end to end [pglite]', () => {
  let world: OAuthWorld;
  let host: MetadataHost;
  let browser: Browser;
  let cimdUrl: string;
  beforeAll(async () => {
    host = await startMetadataHost();
    cimdUrl = `${host.origin}/oauth/client.json`;
    host.serve('/oauth/client.json', {
      client_id: cimdUrl,
      client_name: 'CIMD Test Client',
      redirect_uris: [CALLBACK],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
    [world, browser] = await Promise.all([startOAuthWorld({ clientFetch: testClientFetch(host.ca) }), chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })]);
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
    await host?.close();
  });

  const mcpUrl = () => new URL(`${world.base}/mcp`);

  /** Runs the SDK's flow until the redirect, signs in as `email` in Chromium, finishes it; returns the callback URL. */
  async function connect(provider: MemoryOAuthClient, email: string, scope?: string): Promise<URL> {
    if (scope) {
      expect(await auth(provider, { serverUrl: mcpUrl(), scope })).toBe('REDIRECT');
    } else {
      const first = new Client({ name: 'oauth-e2e', version: '1' });
      await expect(first.connect(new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider }))).rejects.toBeInstanceOf(UnauthorizedError);
    }
    const { callback } = await allowInBrowser(browser, provider.authorizationUrl!, CALLBACK, email);
    expect(callback.searchParams.get('iss')).toBe(world.base);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();
    const transport = new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider });
    // the whole callback query, so the client checks the RFC 9207 `iss` against the issuer it discovered
    await transport.finishAuth(callback.searchParams);
    return callback;
  }

  async function client(provider: MemoryOAuthClient): Promise<Client> {
    const c = new Client({ name: 'oauth-e2e', version: '1' });
    await c.connect(new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider }));
    return c;
  }

  it('answers 401 with resource_metadata and serves RFC 9728 and RFC 8414 metadata', async () => {
    const res = await fetch(`${world.base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${world.base}/.well-known/oauth-protected-resource/mcp"`);
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const prm = (await (await fetch(world.base + path)).json()) as Record<string, unknown>;
      expect(prm).toMatchObject({ resource: `${world.base}/mcp`, authorization_servers: [world.base], scopes_supported: ['portfolio:read', 'portfolio:write', 'batch:run'] });
    }
    const as = (await (await fetch(`${world.base}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as).toMatchObject({
      issuer: world.base,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: true,
      registration_endpoint: `${world.base}/oauth/register`,
      revocation_endpoint: `${world.base}/oauth/revoke`,
    });
    expect(as['token_endpoint_auth_methods_supported']).toContain('none');
    expect(as['grant_types_supported']).toEqual(['authorization_code', 'refresh_token']);
    expect((await fetch(`${world.base}/.well-known/openid-configuration`)).status).toBe(200);
  });

  it('registers by Client ID Metadata Document, signs in on the consent page, lists and calls tools; revoking the connection stops its tokens at once', async () => {
    const provider = new MemoryOAuthClient(CALLBACK, { client_name: 'unused when the document is used', redirect_uris: [CALLBACK] }, cimdUrl);
    // the consent page names the client, the host it sends the user back to and the scopes, under a script-free CSP
    const first = new Client({ name: 'oauth-e2e', version: '1' });
    await expect(first.connect(new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider }))).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.info?.client_id).toBe(cimdUrl);
    const authUrl = provider.authorizationUrl!;
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('resource')).toBe(`${world.base}/mcp`);
    const { callback, pageText, csp } = await allowInBrowser(browser, authUrl, CALLBACK, DEMO.hnw.email);
    expect(pageText).toContain('CIMD Test Client');
    expect(pageText).toContain(new URL(host.origin).host);
    expect(pageText).toContain('127.0.0.1:1');
    for (const s of ['portfolio:read', 'portfolio:write', 'batch:run']) expect(pageText).toContain(s);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/script-src/);
    expect(callback.searchParams.get('iss')).toBe(world.base);
    await new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider }).finishAuth(callback.searchParams);
    const tokens = provider.saved!;
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope?.split(' ').sort()).toEqual(['batch:run', 'portfolio:read', 'portfolio:write']);

    const c = await client(provider);
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['list_user_portfolios', 'add_position', 'run_portfolio_batch']));
    const r = await c.callTool({ name: 'list_user_portfolios', arguments: {} });
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r.structuredContent)).toContain(DEMO.hnw.portfolioId);
    expect(JSON.stringify(r.structuredContent)).not.toContain(DEMO.individual.portfolioId);
    await c.close();

    // the user sees the connection and revokes it
    const session = await login(world.app, DEMO.hnw.email);
    const listed = await fetch(`${world.base}/api/v1/auth/connections`, { headers: { authorization: `Bearer ${session}` } });
    expect(listed.status).toBe(200);
    const { connections } = (await listed.json()) as { connections: { id: string; client_id: string; client_name: string; scopes: string[]; last_used_at: string | null }[] };
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({ client_id: cimdUrl, client_name: 'CIMD Test Client', scopes: ['portfolio:read', 'portfolio:write', 'batch:run'] });
    expect(connections[0]!.last_used_at).not.toBeNull();
    // another user cannot see or revoke it
    const other = await login(world.app, DEMO.individual.email);
    expect(((await (await fetch(`${world.base}/api/v1/auth/connections`, { headers: { authorization: `Bearer ${other}` } })).json()) as { connections: unknown[] }).connections).toEqual([]);
    const foreign = await fetch(`${world.base}/api/v1/auth/connections/${connections[0]!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${other}` } });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect((await mcpPost(world.base, tokens.access_token, { jsonrpc: '2.0', id: 1, method: 'tools/list' })).status).toBe(200);

    const del = await fetch(`${world.base}/api/v1/auth/connections/${connections[0]!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${session}` } });
    expect(del.status).toBe(200);
    const after = await mcpPost(world.base, tokens.access_token, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", resource_metadata="${world.base}/.well-known/oauth-protected-resource/mcp"`);
    const refreshed = await tokenRequest(world.base, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: cimdUrl });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body['error']).toBe('invalid_grant');
    expect((await fetch(`${world.base}/api/v1/auth/connections/${connections[0]!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${session}` } })).status).toBe(404);
  });

  it('registers by dynamic registration; a token without portfolio:write hides the write tools and gets the step-up 403 on add_position', async () => {
    const provider = new MemoryOAuthClient(CALLBACK, { client_name: 'DCR Test Client', redirect_uris: [CALLBACK], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' });
    await connect(provider, DEMO.individual.email, 'portfolio:read');
    expect(provider.info?.client_id).toMatch(/^[A-Za-z0-9_-]{20,}$/); // issued by registration, not a URL
    expect(provider.saved?.scope).toBe('portfolio:read');

    const c = await client(provider);
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).toContain('list_user_portfolios');
    expect(names).toContain('get_risk_metrics');
    for (const w of [...WRITE_TOOLS, 'run_portfolio_batch']) expect(names).not.toContain(w);
    const ok = await c.callTool({ name: 'list_user_portfolios', arguments: {} });
    expect(JSON.stringify(ok.structuredContent)).toContain(DEMO.individual.portfolioId);

    const call = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'add_position', arguments: { portfolio_id: DEMO.individual.portfolioId, symbol: 'AAPL', quantity: 1, entry_price: 1, entry_date: '2026-07-01' } } };
    const refused = await mcpPost(world.base, provider.saved!.access_token, call);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe(`Bearer error="insufficient_scope", scope="portfolio:read portfolio:write", error_description="this call needs portfolio:write", resource_metadata="${world.base}/.well-known/oauth-protected-resource/mcp"`);
    // the SDK client reads the challenge and starts the step-up: an authorization for the scope the challenge named, without calling the tool
    await expect(c.callTool({ name: 'add_position', arguments: call.params.arguments })).rejects.toBeInstanceOf(UnauthorizedError);
    // (the SDK client adds offline_access, which the metadata advertises, to be issued a refresh token)
    expect(provider.authorizationUrl?.searchParams.get('scope')?.split(' ').sort()).toEqual(['offline_access', 'portfolio:read', 'portfolio:write']);
    await c.close();

    // stepping up: a new authorization for the scope the challenge named; the tool is then reachable
    // (called with an invalid date, so it answers a tool error and writes nothing)
    provider.saveTokens(undefined as never);
    const wider = await connect(provider, DEMO.individual.email, 'portfolio:read portfolio:write');
    expect(wider.searchParams.get('iss')).toBe(world.base);
    expect(provider.saved?.scope?.split(' ').sort()).toEqual(['portfolio:read', 'portfolio:write']);
    const stepped = await mcpPost(world.base, provider.saved!.access_token, { ...call, params: { name: 'add_position', arguments: { ...call.params.arguments, entry_date: 'yesterday' } } });
    expect(stepped.status).toBe(200);
    const answer = (await stepped.json()) as { result: { isError?: boolean; content: { text: string }[] } };
    expect(answer.result.isError).toBe(true);
    expect(answer.result.content[0]!.text).toMatch(/validation/i);
    const batch = await mcpPost(world.base, provider.saved!.access_token, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'run_portfolio_batch', arguments: {} } });
    expect(batch.status).toBe(403);
    expect(batch.headers.get('www-authenticate')).toContain('scope="portfolio:read portfolio:write batch:run"');

    // a session token (CLI, stdio bridge, mcp-remote) still sees every tool
    const session = await login(world.app, DEMO.individual.email);
    const all = (await (await mcpPost(world.base, session, { jsonrpc: '2.0', id: 3, method: 'tools/list' })).json()) as { result: { tools: { name: string }[] } };
    expect(all.result.tools.map((t) => t.name)).toEqual(expect.arrayContaining([...WRITE_TOOLS, 'run_portfolio_batch']));
  });
});
