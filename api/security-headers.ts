/**
 * The security headers every response carries: hono/secure-headers with SigmaSight's policy (a
 * CSP that lets `/docs` load its own assets, and without the legacy headers modern browsers ignore
 * for a JSON API). The policy is static, so the header list is evaluated once, when this module
 * loads, by running the middleware on a probe app; the request frame in app.ts then sets the list
 * on each response in one pass.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

const policy = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"], frameAncestors: ["'none'"] },
  xXssProtection: false,
  xDownloadOptions: false,
  xDnsPrefetchControl: false,
  xPermittedCrossDomainPolicies: false,
  originAgentCluster: false,
});

const probe = new Hono().use(policy).get('/', (c) => c.body(null, 204));

export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [...(await probe.request('/')).headers];

/**
 * The console pages' policy (`/`, `/index.html`): scripts and styles from this origin only, no
 * inline script or style, no remote images or connections, no framing, no plugins.
 */
export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
