/**
 * CORS in a real browser (headless Debian Chromium driven by playwright-core, offline): a page on
 * an allowed origin signs in with credentials, reads with the session cookie and creates a
 * conversation (a cookie-authenticated POST from an allowed origin); a page on another origin is
 * refused by the browser, its preflight answered 403 and no credentialed answer readable. Skipped,
 * saying why, when /usr/bin/chromium is absent.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { buildApp, DEMO, DEMO_PASSWORD } from '../api/helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** A static page server: every path answers the same empty HTML page. */
function pageServer(): Promise<Server> {
  const s = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>front end</title>'));
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}
const portOf = (s: { address(): AddressInfo | string | null }) => (s.address() as AddressInfo).port;

/** What the page's script sees when it signs in and works against the API with credentials. */
interface PageOutcome { login: string; me: string; create: string }

async function tryFromPage(browser: Browser, pageUrl: string, api: string): Promise<PageOutcome> {
  const page = await browser.newPage();
  try {
    await page.goto(pageUrl);
    return await page.evaluate(async ({ api, email, password }) => {
      const attempt = async (f: () => Promise<Response>) => {
        try {
          const r = await f();
          return String(r.status);
        } catch (e) {
          return `blocked: ${(e as Error).name}`;
        }
      };
      const json = { 'content-type': 'application/json' };
      const login = await attempt(() => fetch(`${api}/api/v1/auth/login`, { method: 'POST', credentials: 'include', headers: json, body: JSON.stringify({ email, password }) }));
      const me = await attempt(() => fetch(`${api}/api/v1/auth/me`, { credentials: 'include' }));
      const create = await attempt(() => fetch(`${api}/api/v1/chat/conversations`, { method: 'POST', credentials: 'include', headers: json, body: '{}' }));
      return { login, me, create };
    }, { api, email: DEMO.individual.email, password: DEMO_PASSWORD });
  } finally {
    await page.close();
  }
}

describe.skipIf(!existsSync(CHROMIUM))(`CORS in headless Chromium${existsSync(CHROMIUM) ? '' : ' (skipped: /usr/bin/chromium not installed; apt-get install chromium)'}`, () => {
  let db: TestDb;
  let api: ServerType;
  let allowedPages: Server;
  let otherPages: Server;
  let browser: Browser;
  let apiUrl: string;
  beforeAll(async () => {
    db = await createTestDb('pglite', { seeded: true });
    allowedPages = await pageServer();
    otherPages = await pageServer();
    // the allowed front end: same site as the API (localhost), another port, listed in CORS_ORIGINS
    const app = buildApp(db, { CORS_ORIGINS: `http://localhost:${portOf(allowedPages)}` });
    api = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    apiUrl = `http://localhost:${portOf(api as unknown as Server)}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => api?.close(r));
    allowedPages?.close();
    otherPages?.close();
    await db?.destroy();
  });

  it('lets a page on an allowed origin sign in and work with the session cookie', async () => {
    const out = await tryFromPage(browser, `http://localhost:${portOf(allowedPages)}/`, apiUrl);
    expect(out).toEqual({ login: '200', me: '200', create: '201' });
  });

  it('refuses every credentialed call from a page on another origin', async () => {
    const out = await tryFromPage(browser, `http://127.0.0.1:${portOf(otherPages)}/`, apiUrl);
    expect(out.login).toMatch(/^blocked/);
    expect(out.me).toMatch(/^blocked/);
    expect(out.create).toMatch(/^blocked/);
  });

  it('answers an allowed preflight 204 with credentials, a foreign one 403 without CORS headers', async () => {
    const pre = (origin: string) => fetch(`${apiUrl}/api/v1/auth/login`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const ok = await pre(`http://localhost:${portOf(allowedPages)}`);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const evil = await pre('https://evil.example.net');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('content-type')).toBe('application/problem+json');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
