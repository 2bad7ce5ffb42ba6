/**
 * The console's production build: esbuild bundles `web/src/main.ts` and `web/src/styles.css`
 * (with uPlot's stylesheet) into `web/dist/assets/` under content-hashed names, then writes
 * `web/dist/index.html` naming those files and `web/dist/build.json` with a digest of the
 * sources, and the MCP Apps views into `web/dist/apps/`. `ensureWebBuild()` rebuilds only when that digest changed, so `npm install`
 * (postinstall) and the server's start share one call and a current build costs a directory walk.
 * It lives beside the route that serves the build (web/ holds only the console's sources);
 * `tsx api/routes/web/build.ts` builds from the command line.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { APP_VIEWS, APP_VIEWS_DIR, writeAppViews } from '../../../mcp-server/app-views.ts';

export const WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));
export const DIST = join(WEB_ROOT, 'dist');
const SRC = join(WEB_ROOT, 'src');
const APPS = join(WEB_ROOT, 'apps');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])).sort();
}

/** Digest of every source file and the bundled libraries' versions. */
function sourceDigest(): string {
  const h = createHash('sha256');
  for (const f of [...walk(SRC), ...walk(APPS)]) h.update(f).update(readFileSync(f));
  for (const pkg of ['uplot', 'marked', 'dompurify', 'eventsource-parser', '@modelcontextprotocol/ext-apps']) {
    try {
      h.update(pkg).update(JSON.parse(readFileSync(join(WEB_ROOT, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version as string);
    } catch { /* absent: the build fails with a clear message below */ }
  }
  return h.digest('hex');
}

export interface WebBuild {
  digest: string;
  script: string;
  style: string;
}

function readBuild(): WebBuild | null {
  try {
    return JSON.parse(readFileSync(join(DIST, 'build.json'), 'utf8')) as WebBuild;
  } catch {
    return null;
  }
}

/** Writes a file by rename, so a concurrent reader (another process starting) sees the old or the new file whole. */
function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const DAY_MS = 86_400_000;

export function buildWeb(): WebBuild {
  const digest = sourceDigest();
  const assets = join(DIST, 'assets');
  mkdirSync(assets, { recursive: true });
  const res = buildSync({
    entryPoints: [join(SRC, 'main.ts'), join(SRC, 'styles.css')],
    bundle: true, minify: true, sourcemap: false, format: 'esm', target: ['es2022'], write: false,
    outdir: assets, entryNames: '[name]-[hash]', legalComments: 'eof', logLevel: 'silent',
  });
  const names = res.outputFiles.map((o) => basename(o.path));
  for (const o of res.outputFiles) writeAtomic(o.path, o.contents);
  const script = names.find((o) => /^main-.*\.js$/.test(o));
  const style = names.find((o) => /^styles-.*\.css$/.test(o));
  if (!script || !style) throw new Error('web build: missing bundle outputs');
  const html = readFileSync(join(SRC, 'index.html'), 'utf8').replace('%STYLE%', `/assets/${style}`).replace('%SCRIPT%', `/assets/${script}`);
  writeAtomic(join(DIST, 'index.html'), html);
  // the MCP Apps views (mcp-server/app-views.ts), built with the console
  writeAppViews();
  const build: WebBuild = { digest, script, style };
  writeAtomic(join(DIST, 'build.json'), JSON.stringify(build));
  // older bundles go after a day (a page loaded before a rebuild may still ask for them)
  for (const f of readdirSync(assets)) {
    const path = join(assets, f);
    if (!names.includes(f) && Date.now() - statSync(path).mtimeMs > DAY_MS) rmSync(path, { force: true });
  }
  return build;
}

/** The current build, rebuilt first when it is missing or older than the sources. */
export function ensureWebBuild(): WebBuild {
  const have = readBuild();
  const views = Object.keys(APP_VIEWS).every((v) => existsSync(join(APP_VIEWS_DIR, `${v}.html`)));
  if (have && views && have.digest === sourceDigest() && existsSync(join(DIST, 'assets', have.script)) && statSync(join(DIST, 'index.html')).isFile()) return have;
  return buildWeb();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  const b = ensureWebBuild();
  process.stdout.write(`web console built: ${b.script}, ${b.style} (${Math.round(performance.now() - t0)} ms)\n`);
}
