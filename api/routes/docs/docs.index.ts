/**
 * `/openapi.json` (OpenAPI 3.1, generated from the zod contracts) and `/docs`, an interactive
 * Swagger UI whose script and stylesheet are served from node_modules/swagger-ui-dist by this
 * server: the page works with no internet access.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { AppBindings } from '../../context.ts';

const DIST = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true, tryItOutEnabled: true });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>SigmaSight API reference</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>
`;

const cache = new Map<string, ArrayBuffer>();

async function asset(name: string): Promise<ArrayBuffer> {
  let body = cache.get(name);
  if (!body) {
    const buf = await readFile(join(DIST, name));
    body = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    cache.set(name, body);
  }
  return body;
}

export const docsRouter = new Hono<AppBindings>()
  .get('/docs', (c) => c.html(PAGE))
  .get('/docs/assets/init.js', (c) => c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }))
  .get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) return c.notFound();
    return c.body(await asset(file), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
