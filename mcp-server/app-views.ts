/**
 * MCP Apps (the `io.modelcontextprotocol/ui` extension, @modelcontextprotocol/ext-apps): the
 * overview, stress and what-if views as `ui://sigmasight/*.html` resources. The tools that feed
 * them declare the view in `_meta.ui.resourceUri`, so a host that supports apps (Claude, ChatGPT,
 * VS Code) shows it beside the answer and hands it the tool result; other clients read the text
 * and `structuredContent` as before. A view is one self-contained HTML page (no network), built
 * with the console (`npm install`, or the server's start: web/dist/apps/) from web/apps/; a
 * checkout without that build bundles it on first read.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { McpServer } from '@modelcontextprotocol/server';
import { RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY, registerAppResource } from '@modelcontextprotocol/ext-apps/server';

const ENTRY = fileURLToPath(new URL('../web/apps/view.ts', import.meta.url));
const STYLE = fileURLToPath(new URL('../web/apps/view.css', import.meta.url));
/** Where the console build writes the views (and an MCP Bundle carries them). */
export const APP_VIEWS_DIR = fileURLToPath(new URL('../web/dist/apps/', import.meta.url));

export const APP_VIEWS = {
  overview: { title: 'Portfolio overview', description: 'NAV, long, short, gross and net exposure and P&L of the portfolio, as get_analytics_overview returns them' },
  stress: { title: 'Stress tests', description: 'The catalogue stress scenarios, worst first, as get_stress_test_results returns them' },
  'what-if': { title: 'What-if trade', description: 'Exposures, VaR and market beta before and after the simulated trades of simulate_trade' },
} as const;
export type AppView = keyof typeof APP_VIEWS;

export const appViewUri = (view: AppView) => `ui://sigmasight/${view}.html`;

/** The `_meta` of a tool that feeds a view (the current key and the earlier flat one older hosts read). */
export const appViewMeta = (view: AppView) => ({ ui: { resourceUri: appViewUri(view) }, [RESOURCE_URI_META_KEY]: appViewUri(view) });

/** The views' script, bundled by esbuild (a build-time tool: loaded only here, never by a server reading built views). */
function bundleScript(): string {
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  return buildSync({ entryPoints: [ENTRY], bundle: true, minify: true, format: 'esm', target: ['es2022'], write: false, legalComments: 'none', logLevel: 'silent' }).outputFiles[0]!.text.replace(/<\/script/gi, '<\\/script');
}

function page(view: AppView, script: string): string {
  const css = readFileSync(STYLE, 'utf8');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>SigmaSight · ${APP_VIEWS[view].title}</title><style>${css}</style></head>` +
    `<body data-view="${view}"><main id="root" aria-live="polite"><p>Waiting for the tool result…</p></main><script type="module">${script}</script></body></html>`;
}

/** Builds every view into `dir` (the console build calls this). */
export function writeAppViews(dir = APP_VIEWS_DIR): void {
  const script = bundleScript();
  mkdirSync(dir, { recursive: true });
  for (const view of Object.keys(APP_VIEWS) as AppView[]) writeFileSync(join(dir, `${view}.html`), page(view, script));
}

const pages = new Map<AppView, string>();

/** The view's page: the built file, or (a checkout never built) bundled now; kept for the process. */
export function appViewHtml(view: AppView): string {
  let html = pages.get(view);
  if (!html) {
    const built = join(APP_VIEWS_DIR, `${view}.html`);
    html = existsSync(built) ? readFileSync(built, 'utf8') : page(view, bundleScript());
    pages.set(view, html);
  }
  return html;
}

export function registerAppViews(server: McpServer): void {
  for (const view of Object.keys(APP_VIEWS) as AppView[]) {
    const uri = appViewUri(view);
    registerAppResource(server, `view-${view}`, uri, { title: `${APP_VIEWS[view].title} view`, description: APP_VIEWS[view].description, mimeType: RESOURCE_MIME_TYPE }, async () => ({
      contents: [{ uri, mimeType: RESOURCE_MIME_TYPE, text: appViewHtml(view), _meta: { ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true } } }],
    }));
  }
}
