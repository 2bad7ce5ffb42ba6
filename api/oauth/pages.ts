/**
 * The authorization server's HTML: the sign-in and consent page, and the error page. Offline
 * (no external fonts or assets), escaped by hono/html, no script at all and no inline style: the
 * one stylesheet is a static file, and the pages carry their own strict CSP.
 */
import { readFileSync } from 'node:fs';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ConsentView } from '../../core/auth/oauth/interaction.ts';
import { INTERACTION_PATH } from '../../core/auth/oauth/server.ts';
import { SCOPE_DESCRIPTIONS } from '../../core/auth/oauth/scopes.ts';

export const CONSENT_CSS_PATH = '/oauth/static/consent.css';
export const CONSENT_CSS = readFileSync(new URL('./consent.css', import.meta.url), 'utf8');

/** No script, no inline style, nothing from elsewhere; forms post to this server. */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': PAGE_CSP,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function layout(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="${CONSENT_CSS_PATH}">
</head>
<body><main>
<p class="brand">SigmaSight</p>
${body}
</main></body>
</html>`;
}

export interface ConsentPageOptions {
  error?: string | null;
  email?: string | null;
}

export function consentPage(v: ConsentView, opts: ConsentPageOptions = {}) {
  const who = v.client.metadataDocumentHost ? html`published by <strong>${v.client.metadataDocumentHost}</strong>` : html`registered as <code>${v.client.id}</code>`;
  const scopes = v.scopes.length
    ? html`<ul class="scopes">${v.scopes.map((s) => html`<li><code>${s}</code><span>${SCOPE_DESCRIPTIONS[s]}</span></li>`)}</ul>`
    : html`<p>No SigmaSight permissions (it will not be able to call any tool).</p>`;
  const credentials =
    v.prompt === 'login'
      ? html`<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${opts.email ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>`
      : html`<p>Signed in as <strong>${v.email}</strong>.</p>`;
  return layout(
    `Allow ${v.client.name} to use SigmaSight?`,
    html`<h1>Allow ${v.client.name} to use your SigmaSight account?</h1>
<dl>
<dt>Application</dt><dd><strong>${v.client.name}</strong>, ${who}</dd>
<dt>Sends you back to</dt><dd><strong>${v.client.redirectHost}</strong></dd>
</dl>
<h2>It asks to</h2>
${scopes}
${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
<form method="post" action="${INTERACTION_PATH}/${v.uid}">
${credentials}
<div class="actions">
<button class="allow" type="submit" name="decision" value="allow">Allow</button>
<button class="deny" type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</div>
</form>
<p class="fine">Allow only applications you trust. You can see and revoke every connection later (GET /api/v1/auth/connections).</p>`,
  );
}

export function errorPage(title: string, lines: Record<string, string | undefined>) {
  const entries = Object.entries(lines).filter((e): e is [string, string] => typeof e[1] === 'string');
  return layout(title, html`<h1>${title}</h1>${entries.map(([k, v]) => html`<p><strong>${k}</strong>: <code>${v}</code></p>`)}`);
}
