/**
 * The OAuth authorization server inside the API server, and `/mcp`'s protected-resource metadata:
 * - `/.well-known/oauth-protected-resource[/mcp]` (RFC 9728): the resource, its scopes and issuer;
 * - `/.well-known/oauth-authorization-server` (RFC 8414), `/.well-known/openid-configuration`,
 *   and everything under `/oauth/` but the interaction pages: handed to oidc-provider's Node
 *   listener with the raw request and response (`c.env.incoming` / `outgoing` of
 *   @hono/node-server), after which Hono is told the response is already sent;
 * - `/oauth/interaction/:uid`: the sign-in and consent page (GET) and its answer (POST);
 * - `/oauth/static/consent.css`: the page's stylesheet.
 * The server is built on first use (its keys come from the database), so an app that never sees
 * an OAuth request never builds it.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { LoginThrottle } from '../../core/auth/login-throttle.ts';
import { approveInteraction, denyInteraction, describeInteraction, signIn, type NodePair } from '../../core/auth/oauth/interaction.ts';
import { MCP_SCOPES } from '../../core/auth/oauth/scopes.ts';
import { createAuthorizationServer, INTERACTION_PATH, type AuthorizationServer } from '../../core/auth/oauth/server.ts';
import { AppError, toAppError } from '../../core/errors.ts';
import type { AppBindings, AppDeps } from '../context.ts';
import { clientIp } from '../middleware/rate-limit.ts';
import { SECURITY_HEADERS } from '../security-headers.ts';
import type { OAuthHandle, OAuthUrls } from './handle.ts';
import { consentPage, CONSENT_CSS, CONSENT_CSS_PATH, errorPage, PAGE_HEADERS } from './pages.ts';

export const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/** The issuer (PUBLIC_URL, else this machine's http://localhost:PORT) and the MCP resource URL. */
export function oauthUrls(env: AppDeps['env']): OAuthUrls {
  const issuer = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  return { issuer, resource: `${issuer}/mcp`, resourceMetadata: `${issuer}${RESOURCE_METADATA_PATH}/mcp` };
}

function renderProviderError(ctx: { type: string; body: unknown; set(name: string, value: string): void }, out: Record<string, string | undefined>) {
  ctx.type = 'html';
  for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
  ctx.body = String(errorPage('The sign-in request cannot continue', { error: out['error'], error_description: out['error_description'] }));
}

export function createOAuthHandle(deps: AppDeps): OAuthHandle {
  const urls = oauthUrls(deps.env);
  let built: AuthorizationServer | undefined;
  let building: Promise<AuthorizationServer> | undefined;
  const log = deps.log.child({ component: 'oauth' });
  return {
    urls,
    peek: () => built,
    get: () =>
      (building ??= createAuthorizationServer(
        { db: deps.dbh.db, log, ...(deps.clock ? { clock: deps.clock } : {}) },
        {
          issuer: urls.issuer,
          resource: urls.resource,
          trustProxy: deps.env.TRUST_PROXY,
          tokenCacheTtlMs: deps.env.AUTH_CACHE_TTL_MS,
          renderError: renderProviderError as never,
          ...(deps.oauthClientFetch ? { clientFetch: deps.oauthClientFetch } : {}),
        },
      ).then(
        (s) => (built = s),
        (err: unknown) => {
          building = undefined;
          throw err;
        },
      )),
  };
}

/** The raw Node request and response; a detached pair when the app is driven without a Node server (app.request). */
function nodePair(c: Context<AppBindings>): NodePair {
  const env = c.env as Partial<HttpBindings> | undefined;
  if (env?.incoming && env.outgoing) return { req: env.incoming, res: env.outgoing };
  const req = new IncomingMessage(new Socket());
  req.headers = Object.fromEntries(c.req.raw.headers.entries());
  req.url = new URL(c.req.url).pathname;
  req.method = c.req.method;
  return { req, res: new ServerResponse(req) };
}

const AlreadySent = RESPONSE_ALREADY_SENT.constructor as typeof Response;
const listeners = new WeakMap<AuthorizationServer, ReturnType<AuthorizationServer['provider']['callback']>>();

/** Hands the request to oidc-provider's Node listener and tells Hono the response went out. */
async function handOver(c: Context<AppBindings>, oauth: OAuthHandle): Promise<Response> {
  const env = c.env as Partial<HttpBindings> | undefined;
  if (!env?.incoming || !env.outgoing) throw new AppError('UNAVAILABLE', 'the authorization server answers under the Node HTTP server only (npm start)');
  const server = await oauth.get();
  const { outgoing } = env;
  for (const [name, value] of SECURITY_HEADERS) outgoing.setHeader(name, value);
  outgoing.setHeader('x-request-id', c.get('requestId'));
  let listener = listeners.get(server);
  if (!listener) listeners.set(server, (listener = server.provider.callback()));
  await listener(env.incoming, outgoing);
  // the same kind of Response as RESPONSE_ALREADY_SENT (the server writes nothing for it), carrying the status for the access log
  const status = outgoing.statusCode >= 200 && outgoing.statusCode <= 599 ? outgoing.statusCode : 200;
  return new AlreadySent(null, { status, headers: RESPONSE_ALREADY_SENT.headers });
}

function page(c: Context<AppBindings>, body: unknown, status: number): Response {
  return c.html(String(body), status as never, PAGE_HEADERS);
}

function failurePage(c: Context<AppBindings>, err: unknown): Response {
  const e = toAppError(err);
  if (e.code === 'INTERNAL') c.get('log').error({ err }, 'oauth interaction failed');
  const detail = e.code === 'INTERNAL' ? 'Something went wrong; it has been logged.' : e.message;
  return page(c, errorPage('The sign-in request cannot continue', { error: e.code.toLowerCase(), error_description: detail }), e.status);
}

function protectedResourceMetadata(oauth: OAuthHandle) {
  return {
    resource: oauth.urls.resource,
    authorization_servers: [oauth.urls.issuer],
    scopes_supported: [...MCP_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'SigmaSight MCP server',
    resource_documentation: `${oauth.urls.issuer}/docs`,
  };
}

export function oauthRouter(oauth: OAuthHandle, throttle: LoginThrottle): Hono<AppBindings> {
  const r = new Hono<AppBindings>();
  for (const path of [RESOURCE_METADATA_PATH, `${RESOURCE_METADATA_PATH}/mcp`]) {
    r.get(path, (c) => c.json(protectedResourceMetadata(oauth), 200, { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=3600' }));
  }
  r.get(CONSENT_CSS_PATH, (c) => c.body(CONSENT_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=86400' }));

  r.get(`${INTERACTION_PATH}/:uid`, async (c) => {
    try {
      const server = await oauth.get();
      return page(c, consentPage(await describeInteraction(server, c.get('deps').dbh.db, nodePair(c), c.req.param('uid'))), 200);
    } catch (err) {
      return failurePage(c, err);
    }
  });

  const limitForm = bodyLimit({ maxSize: 16 * 1024, onError: () => { throw new AppError('TOO_LARGE', 'the form is larger than 16 KiB'); } });
  r.post(`${INTERACTION_PATH}/:uid`, limitForm, async (c) => {
    const uid = c.req.param('uid');
    const db = c.get('deps').dbh.db;
    try {
      const server = await oauth.get();
      const node = nodePair(c);
      const form = await c.req.parseBody();
      if (form['decision'] !== 'allow') return c.redirect(await denyInteraction(server, node, uid), 303);
      const view = await describeInteraction(server, db, node, uid);
      let accountId: string | null = null;
      if (view.prompt === 'login') {
        const email = typeof form['email'] === 'string' ? form['email'] : '';
        const password = typeof form['password'] === 'string' ? form['password'] : '';
        try {
          accountId = await signIn(db, throttle, { email, password, ip: clientIp(c) });
        } catch (err) {
          const e = toAppError(err);
          if (e.code !== 'UNAUTHENTICATED' && e.code !== 'RATE_LIMITED') throw err;
          return page(c, consentPage(view, { error: e.message, email }), e.status);
        }
      }
      return c.redirect(await approveInteraction(server, db, node, uid, accountId), 303);
    } catch (err) {
      return failurePage(c, err);
    }
  });

  const toProvider = (c: Context<AppBindings>) => handOver(c, oauth);
  r.all('/.well-known/oauth-authorization-server', toProvider);
  r.all('/.well-known/openid-configuration', toProvider);
  r.all('/oauth/*', toProvider);
  return r;
}
