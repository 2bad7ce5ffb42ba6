/**
 * What the authorization server and the /mcp resource refuse, each with the error its RFC names:
 * a token for another audience (401 invalid_token, RFC 6750/8707) and a resource indicator for
 * another server (invalid_target, RFC 8707); a reused refresh token (invalid_grant, and the whole
 * grant is revoked: the rotated refresh token and the access tokens stop working too); a missing
 * or `plain` PKCE challenge (invalid_request, OAuth 2.1) and a missing verifier (invalid_grant); a
 * redirect URI not registered (no redirect, RFC 6749 §4.1.2.1); a client metadata document URL
 * that is not https or resolves to 127.0.0.1 (invalid_client, never fetched); plain-http redirect
 * URIs at registration (invalid_redirect_uri, RFC 7591). Sign-in runs through the consent form with
 * a cookie jar (no browser needed here).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizationServer } from '../../core/auth/oauth/server.ts';
import { createLogger, REDACT_PATHS } from '../../core/logger.ts';
import { DEMO } from '../api/helpers.ts';
import { authorizeByForm, mcpPost, pkce, startMetadataHost, startOAuthWorld, testClientFetch, tokenRequest, type MetadataHost, type OAuthWorld } from './helpers.ts';

const CALLBACK = 'http://127.0.0.1:1/callback';

describe('OAuth refusals [pglite]', () => {
  let world: OAuthWorld;
  let host: MetadataHost;
  let clientId: string;
  /** Everything the app logged (debug level, the production redaction), and every secret it handed out. */
  let logged = '';
  const secrets: string[] = [];
  beforeAll(async () => {
    host = await startMetadataHost();
    const sink = new Writable({ write: (chunk, _enc, done) => ((logged += String(chunk)), done()) });
    const log = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    world = await startOAuthWorld({ clientFetch: testClientFetch(host.ca), log });
    const reg = await fetch(`${world.base}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Negative Test Client', redirect_uris: [CALLBACK], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', scope: 'portfolio:read portfolio:write' }),
    });
    expect(reg.status).toBe(201);
    clientId = ((await reg.json()) as { client_id: string }).client_id;
  });
  afterAll(async () => {
    await world?.close();
    await host?.close();
  });

  const resource = () => `${world.base}/mcp`;
  const baseParams = (challenge: string) => ({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'portfolio:read', resource: resource(), code_challenge: challenge, code_challenge_method: 'S256', state: 'st-1' });

  /** Signs in through the form and exchanges the code; returns the token response. */
  async function tokens(email = DEMO.hnw.email) {
    const { verifier, challenge } = pkce();
    const { location } = await authorizeByForm(world.base, baseParams(challenge), email, CALLBACK);
    expect(location?.searchParams.get('iss')).toBe(world.base);
    expect(location?.searchParams.get('state')).toBe('st-1');
    const code = location!.searchParams.get('code')!;
    const res = await tokenRequest(world.base, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CALLBACK, client_id: clientId, resource: resource() });
    expect(res.status).toBe(200);
    secrets.push(code, verifier, String(res.body['access_token']), String(res.body['refresh_token']));
    return res.body as { access_token: string; refresh_token: string; scope: string };
  }

  /** The authorization endpoint's answer to `params`, without following redirects. */
  const authorize = (params: Record<string, string>) => fetch(`${world.base}/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });

  it('refuses a token for another audience (401 invalid_token) and a resource indicator for another server (invalid_target)', async () => {
    const good = await tokens();
    expect((await mcpPost(world.base, good.access_token, { jsonrpc: '2.0', id: 1, method: 'tools/list' })).status).toBe(200);
    // a token minted by an authorization server over the same database for another resource
    const other = await createAuthorizationServer({ db: world.db.db, log: createLogger({ level: 'silent' }) }, { issuer: world.base, resource: 'https://elsewhere.example/mcp', trustProxy: false, tokenCacheTtlMs: 0 });
    const foreign = new other.provider.AccessToken({ accountId: DEMO.hnw.userId, clientId, grantId: 'not-a-grant-of-this-resource', gty: 'authorization_code', scope: 'portfolio:read', aud: 'https://elsewhere.example/mcp', expiresWithSession: false } as never);
    const value = await foreign.save();
    other.close();
    expect(value).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const refused = await mcpPost(world.base, value, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const { challenge } = pkce();
    const res = await authorize({ ...baseParams(challenge), resource: 'https://elsewhere.example/mcp' });
    expect(res.status).toBe(303);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.href.startsWith(CALLBACK)).toBe(true);
    expect(loc.searchParams.get('error')).toBe('invalid_target');
    expect(loc.searchParams.get('iss')).toBe(world.base);
  });

  it('rotates refresh tokens; a reused one is invalid_grant and revokes the whole grant', async () => {
    const first = await tokens();
    const rotated = await tokenRequest(world.base, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId });
    expect(rotated.status).toBe(200);
    const second = rotated.body as { access_token: string; refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await mcpPost(world.base, second.access_token, { jsonrpc: '2.0', id: 1, method: 'tools/list' })).status).toBe(200);

    const reused = await tokenRequest(world.base, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId });
    expect(reused.status).toBe(400);
    expect(reused.body['error']).toBe('invalid_grant');
    // the family is gone: the rotated refresh token and every access token of the grant
    const next = await tokenRequest(world.base, { grant_type: 'refresh_token', refresh_token: second.refresh_token, client_id: clientId });
    expect(next.status).toBe(400);
    expect(next.body['error']).toBe('invalid_grant');
    for (const t of [first.access_token, second.access_token]) expect((await mcpPost(world.base, t, { jsonrpc: '2.0', id: 2, method: 'tools/list' })).status).toBe(401);
  });

  it('revokes a token at the RFC 7009 endpoint: a refresh token takes its grant with it', async () => {
    const t = await tokens();
    const res = await fetch(`${world.base}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: t.refresh_token, token_type_hint: 'refresh_token', client_id: clientId }) });
    expect(res.status).toBe(200);
    expect((await mcpPost(world.base, t.access_token, { jsonrpc: '2.0', id: 1, method: 'tools/list' })).status).toBe(401);
  });

  it('requires PKCE with S256: missing or plain is invalid_request, a missing verifier invalid_grant', async () => {
    const { challenge } = pkce();
    const { code_challenge: _c, code_challenge_method: _m, ...noPkce } = baseParams(challenge);
    for (const params of [noPkce, { ...baseParams(challenge), code_challenge_method: 'plain' }, { ...baseParams(challenge), code_challenge_method: 'plain', code_challenge: 'a'.repeat(43) }]) {
      const res = await authorize(params);
      expect(res.status).toBe(303);
      const loc = new URL(res.headers.get('location')!);
      expect(loc.href.startsWith(CALLBACK)).toBe(true);
      expect(loc.searchParams.get('error')).toBe('invalid_request');
      expect(loc.searchParams.get('iss')).toBe(world.base);
    }
    const { location } = await authorizeByForm(world.base, baseParams(challenge), DEMO.hnw.email, CALLBACK);
    const code = location!.searchParams.get('code')!;
    const noVerifier = await tokenRequest(world.base, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: clientId });
    expect(noVerifier.status).toBe(400);
    expect(['invalid_grant', 'invalid_request']).toContain(noVerifier.body['error']);
    const wrongVerifier = await tokenRequest(world.base, { grant_type: 'authorization_code', code, code_verifier: pkce().verifier, redirect_uri: CALLBACK, client_id: clientId });
    expect(wrongVerifier.status).toBe(400);
    expect(wrongVerifier.body['error']).toBe('invalid_grant');
  });

  it('never redirects to a redirect URI that is not registered', async () => {
    const { challenge } = pkce();
    // (a loopback redirect's port is free, RFC 8252 §7.3: host and path still have to match)
    for (const redirect of ['http://127.0.0.1:1/other', 'http://localhost:1/callback', 'https://attacker.example/callback', `${CALLBACK}/extra`]) {
      const res = await authorize({ ...baseParams(challenge), redirect_uri: redirect });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      const page = await res.text();
      expect(page).toContain('invalid_redirect_uri');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
  });

  it('refuses client metadata documents that are not https or resolve to 127.0.0.1 (invalid_client), fetching nothing', async () => {
    const { challenge } = pkce();
    const evil = `https://evil.test:${new URL(host.origin).port}/evil.json`;
    host.serve('/evil.json', { client_id: evil, client_name: 'Evil', redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' });
    for (const id of ['http://client.test/oauth/client.json', evil, 'https://127.0.0.1/oauth/client.json', 'https://[::1]/oauth/client.json', 'https://169.254.169.254/latest/meta-data']) {
      const res = await authorize({ ...baseParams(challenge), client_id: id });
      expect(res.status, id).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text(), id).toContain('invalid_client');
    }
    expect(host.requests).not.toContain('/evil.json');
  });

  it('matches a loopback redirect on any port (RFC 8252) and gives portfolio:read when no scope is asked', async () => {
    const reg = await fetch(`${world.base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Loopback Client', redirect_uris: ['http://127.0.0.1:33418/', 'https://vscode.example/redirect'], token_endpoint_auth_method: 'none' }) });
    expect(reg.status).toBe(201);
    const loopback = (await reg.json()) as { client_id: string; application_type: string };
    expect(loopback.application_type).toBe('native');
    const { verifier, challenge } = pkce();
    const { scope: _s, ...noScope } = { ...baseParams(challenge), client_id: loopback.client_id, redirect_uri: 'http://127.0.0.1:59656/' };
    const { location } = await authorizeByForm(world.base, noScope, DEMO.hnw.email, 'http://127.0.0.1:59656/');
    expect(location?.searchParams.get('code')).toBeTruthy();
    const t = await tokenRequest(world.base, { grant_type: 'authorization_code', code: location!.searchParams.get('code')!, code_verifier: verifier, redirect_uri: 'http://127.0.0.1:59656/', client_id: loopback.client_id });
    expect(t.status).toBe(200);
    expect(t.body['scope']).toBe('portfolio:read');
    // a non-loopback host on another port is still refused
    const res = await authorize({ ...baseParams(challenge), client_id: loopback.client_id, redirect_uri: 'https://vscode.example:8443/redirect' });
    expect(res.status).toBe(400);
  });

  it('never writes a code, verifier or token to the log', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(12);
    expect(logged).toContain('"path":"/oauth/token"');
    for (const secret of secrets) expect(logged.includes(secret), 'a secret was logged').toBe(false);
  });

  it('refuses plain-http redirect URIs off loopback at registration (invalid_redirect_uri)', async () => {
    const res = await fetch(`${world.base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: ['http://attacker.example/cb'], token_endpoint_auth_method: 'none' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_redirect_uri');
  });
});
