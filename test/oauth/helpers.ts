/**
 * OAuth test world: the real app over a seeded in-memory PGlite, served by @hono/node-server on
 * 127.0.0.1 (PUBLIC_URL = that origin), an https server with a self-signed certificate for
 * `client.test` serving client metadata documents (reachable only because the test injects a
 * resolver mapping client.test to 127.0.0.1, names it as the one host allowed to be private, and
 * trusts its certificate), an in-memory `OAuthClientProvider` for the MCP SDK's client, a headless
 * Chromium sign-in, and a cookie-jar sign-in for tests that need no browser.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { OAuthClientProvider, OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/client';
import type { Browser } from 'playwright-core';
import type { ClientFetchOptions } from '../../core/auth/oauth/client-fetch.ts';
import type { Logger } from '../../core/logger.ts';
import { buildApp, DEMO_PASSWORD, type TestApp } from '../api/helpers.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { freePort } from '../helpers/run.ts';

export { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.ts';

export interface OAuthWorld {
  db: TestDb;
  app: TestApp;
  base: string;
  close(): Promise<void>;
}

/** The app on a free port of 127.0.0.1, PUBLIC_URL pointing at it. */
export async function startOAuthWorld(opts: { clientFetch?: ClientFetchOptions; env?: Record<string, string>; log?: Logger } = {}): Promise<OAuthWorld> {
  const db = await createTestDb('pglite', { seeded: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // a 5 s token cache, as in production: revocations must evict it, not wait for it
  const app = buildApp(db, { PUBLIC_URL: base, AUTH_CACHE_TTL_MS: '5000', ...opts.env }, { ...(opts.clientFetch ? { oauthClientFetch: opts.clientFetch } : {}), ...(opts.log ? { log: opts.log } : {}) });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
  });
  return {
    db,
    app,
    base,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await db.destroy();
    },
  };
}

export interface MetadataHost {
  /** https://client.test:PORT */
  origin: string;
  ca: string;
  /** Serves `doc` as JSON at `path`. */
  serve(path: string, doc: unknown): void;
  /** The paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/** An https server for client.test with a fresh self-signed certificate (openssl), on 127.0.0.1; `/slow` never answers, `/redirect` answers 302. */
export async function startMetadataHost(): Promise<MetadataHost> {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-cimd-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=client.test', '-addext', 'subjectAltName=DNS:client.test'], { stdio: 'ignore' });
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const docs = new Map<string, string>();
  const requests: string[] = [];
  const server: HttpsServer = createServer({ key, cert: ca }, (req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/slow') return; // never answers (time limit)
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/oauth/client.json' });
      return res.end();
    }
    const doc = docs.get(req.url ?? '');
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/json', 'cache-control': 'max-age=0' });
    res.end(doc ?? '{}');
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return {
    origin: `https://client.test:${port}`,
    ca,
    serve: (path, doc) => void docs.set(path, JSON.stringify(doc)),
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The test-only fetch guard options: client.test → 127.0.0.1 (allowed), evil.test → 127.0.0.1 (not allowed), nothing else resolves. */
export function testClientFetch(ca: string): ClientFetchOptions {
  const hosts: Record<string, string[]> = { 'client.test': ['127.0.0.1'], 'evil.test': ['127.0.0.1'] };
  return {
    resolve: async (host) => {
      const a = hosts[host];
      if (!a) throw new Error(`test resolver: ${host} is unknown`);
      return a;
    },
    allowPrivateHosts: new Set(['client.test']),
    ca,
  };
}

/** An in-memory OAuthClientProvider: what an MCP client keeps between the redirect and the callback. */
export class MemoryOAuthClient implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier: string | undefined;
  authorizationUrl: URL | undefined;
  constructor(
    readonly redirectUrl: string,
    readonly clientMetadata: OAuthClientMetadata,
    readonly clientMetadataUrl?: string,
  ) {}
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error('no code verifier saved');
    return this.verifier;
  }
}

/**
 * Opens `authorizationUrl` in a fresh browser context, signs in as `email` on the consent page and
 * presses Allow; returns the callback URL the browser was sent to (the callback is intercepted,
 * nothing listens there) and the page's text and CSP as shown.
 */
export async function allowInBrowser(browser: Browser, authorizationUrl: URL, callbackPrefix: string, email: string): Promise<{ callback: URL; pageText: string; csp: string | null }> {
  const context = await browser.newContext();
  try {
    let callback: string | undefined;
    await context.route(`${callbackPrefix}**`, async (route) => {
      callback = route.request().url();
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'callback received' });
    });
    const page = await context.newPage();
    const response = await page.goto(authorizationUrl.href);
    const pageText = await page.locator('main').innerText();
    const csp = (await response?.allHeaders())?.['content-security-policy'] ?? null;
    if (await page.locator('#email').count()) {
      await page.fill('#email', email);
      await page.fill('#password', DEMO_PASSWORD);
    }
    await page.click('button[name=decision][value=allow]');
    await page.waitForURL(`${callbackPrefix}**`);
    if (!callback) throw new Error('the callback was not reached');
    return { callback: new URL(callback), pageText, csp };
  } finally {
    await context.close();
  }
}

/** A PKCE pair (RFC 7636 S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Minimal cookie jar for redirects followed by hand. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * The authorization request `params` answered without a browser: follows the redirects with a
 * cookie jar, posts the sign-in form as `email` (Allow), and returns the final redirect to the
 * client (its code or error), or the last response when the server did not redirect to the client.
 */
export async function authorizeByForm(base: string, params: Record<string, string>, email: string, redirectPrefix: string): Promise<{ location: URL | null; last: Response }> {
  const jar = new Jar();
  let url = `${base}/oauth/authorize?${new URLSearchParams(params)}`;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, { method, redirect: 'manual', headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }, ...(body ? { body } : {}) });
    jar.take(res);
    const loc = res.headers.get('location');
    if (!loc) {
      if (res.status === 200 && url.includes('/oauth/interaction/')) {
        await res.text();
        method = 'POST';
        body = new URLSearchParams({ email, password: DEMO_PASSWORD, decision: 'allow' }).toString();
        continue;
      }
      return { location: null, last: res };
    }
    const next = new URL(loc, url);
    if (next.href.startsWith(redirectPrefix)) return { location: next, last: res };
    url = next.href;
    method = 'GET';
    body = undefined;
  }
  throw new Error('too many redirects');
}

/** POSTs a form to the token endpoint; returns status and JSON. */
export async function tokenRequest(base: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A JSON-RPC POST to /mcp with a bearer token. */
export async function mcpPost(base: string, token: string, message: unknown): Promise<Response> {
  return fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify(message),
  });
}
