/**
 * Serves the browser console: `/` (and `/index.html`) without caching and with the console's
 * strict CSP, `/assets/<name>-<hash>.(js|css)` with a year of immutable caching. The build in
 * `web/dist` is made by `npm install` (postinstall) and made again here, once when the app is
 * created, if it is missing or older than the sources.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { DIST, ensureWebBuild } from './build.ts';
import { CONSOLE_CSP } from '../../security-headers.ts';
import type { AppBindings } from '../../context.ts';

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', txt: 'text/plain; charset=utf-8' };
const ASSET = /^[\w.-]+-[A-Z0-9]{8}\.(js|css)$|^[\w.-]+\.LEGAL\.txt$/;

export function webRouter(): Hono<AppBindings> {
  const build = ensureWebBuild();
  const index = readFileSync(join(DIST, 'index.html'));
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of [build.script, build.style]) assets.set(name, { body: readFileSync(join(DIST, 'assets', name)), type: TYPES[name.split('.').pop()!]! });
  const router = new Hono<AppBindings>();
  const page = () => new Response(index, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': CONSOLE_CSP } });
  router.get('/', page);
  router.get('/index.html', page);
  router.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    const a = ASSET.test(name) ? assets.get(name) : undefined;
    if (!a) return c.notFound();
    return new Response(a.body, { headers: { 'content-type': a.type, 'cache-control': 'public, max-age=31536000, immutable' } });
  });
  return router;
}
