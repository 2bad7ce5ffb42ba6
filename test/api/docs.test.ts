/**
 * /openapi.json is OpenAPI 3.1 generated from the zod contracts, and /docs renders its
 * interactive reference in headless Chromium (Debian's package) from assets this server serves
 * itself, listing the login route. The browser test is skipped, with the reason, when
 * /usr/bin/chromium is absent.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { buildApp, type TestApp } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const run = promisify(execFile);

describe('OpenAPI document and /docs', () => {
  let db: TestDb;
  let app: TestApp;
  let server: ServerType;
  let base: string;
  beforeAll(async () => {
    db = await createTestDb('pglite');
    app = buildApp(db);
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await db.destroy();
  });

  it('documents every route with its schemas, problem responses and the bearer scheme', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    const login = doc.paths['/api/v1/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/LoginInput');
    expect(Object.keys(login.responses).sort()).toEqual(['200', '401', '422', '429']);
    for (const path of ['/api/v1/data/portfolios', '/api/v1/data/portfolios/{portfolio_id}/positions', '/api/v1/data/portfolios/{portfolio_id}/factor_exposures', '/api/v1/analytics/portfolios/{portfolio_id}/overview', '/api/v1/analytics/portfolio/{portfolio_id}/stress-test', '/api/v1/data/portfolio/{portfolio_id}/complete']) {
      expect(doc.paths[path]?.get?.security, path).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    }
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Problem.properties.detail.type).toBe('string');
  });

  it('serves the page and its assets from this server only', async () => {
    const html = await (await app.request('/docs')).text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref.startsWith('/docs/assets/')).toBe(true);
      expect((await app.request(ref)).status).toBe(200);
    }
    expect((await app.request('/docs/assets/package.json')).status).toBe(404);
  });

  it.skipIf(!existsSync(CHROMIUM))(`renders in headless Chromium and lists the login route${existsSync(CHROMIUM) ? '' : ' (skipped: /usr/bin/chromium not installed; apt-get install chromium)'}`, async () => {
    const profile = mkdtempSync(join(tmpdir(), 'sigmasight-chromium-'));
    try {
      const { stdout } = await run(
        CHROMIUM,
        ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage', `--user-data-dir=${profile}`, '--virtual-time-budget=15000', '--dump-dom', `${base}/docs`],
        { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      );
      expect(stdout).toContain('SigmaSight API');
      expect(stdout).toMatch(/data-path="\/api\/v1\/auth\/login"/);
      expect(stdout).toMatch(/opblock-summary-method">POST</);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  }, 90_000);
});
