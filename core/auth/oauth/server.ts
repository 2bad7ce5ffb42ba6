/**
 * SigmaSight's OAuth 2.1 authorization server, built on oidc-provider (OpenID Certified): the
 * authorization code grant with PKCE S256 for every client, refresh tokens rotated on each use
 * (a reused one revokes its whole grant — oidc-provider's reuse detection), revocation (RFC 7009),
 * `iss` in authorization responses (RFC 9207), RFC 8414 and OpenID discovery, clients by Client ID
 * Metadata Document (fetched through the SSRF guard of client-fetch.ts) or by dynamic registration
 * (RFC 7591), public clients included. Access tokens are opaque, bound to the one resource this
 * server protects (RFC 8707: PUBLIC_URL + '/mcp') and looked up on use, so a revoked grant stops
 * working at once. Users, passwords and throttling are SigmaSight's own (see interaction.ts).
 */
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../../db/client.ts';
import { pruneExpiredOAuthRecords, touchGrant } from '../../../db/queries/oauth.ts';
import { getUserProfile } from '../../../db/queries/users.ts';
import type { Logger } from '../../logger.ts';
import type { Principal } from '../../services/context.ts';
import { createAdapterFactory, sha256 } from './adapter.ts';
import { createClientFetch, type ClientFetchOptions } from './client-fetch.ts';
import { loadOrCreateOAuthKeys } from './keys.ts';
import { MCP_SCOPES, mcpScopesOf, OIDC_SCOPES, type McpScope } from './scopes.ts';

/** Where the server's own endpoints live, under the issuer (PUBLIC_URL). */
export const OAUTH_ROUTES = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  registration: '/oauth/register',
  revocation: '/oauth/revoke',
  jwks: '/oauth/jwks',
} as const;
export const INTERACTION_PATH = '/oauth/interaction';

const HOUR = 3600;
const DAY = 24 * HOUR;
const LAST_USE_EVERY_MS = 60_000;

export interface AuthorizationServerConfig {
  /** The issuer: PUBLIC_URL, or http://localhost:PORT without one. */
  issuer: string;
  /** The one protected resource: issuer + '/mcp'. */
  resource: string;
  /** Trust X-Forwarded-Proto and -For (behind a reverse proxy you control). */
  trustProxy: boolean;
  /** How long a validated access token is trusted in memory (0: ask the database on every use); revocations on this process evict at once. */
  tokenCacheTtlMs: number;
  /** The metadata-document fetch guard; tests inject a resolver and CA, production uses the defaults. */
  clientFetch?: ClientFetchOptions;
  /** Renders oidc-provider's error pages (api/ supplies SigmaSight's page). */
  renderError?: NonNullable<Configuration['renderError']>;
}

export interface AuthorizationServerDeps {
  db: Db;
  log: Logger;
  clock?: () => Date;
}

/** What an accepted access token stands for. */
export interface OAuthAccess {
  principal: Principal;
  scopes: McpScope[];
  grantId: string;
  clientId: string;
}

export interface AuthorizationServer {
  provider: Provider;
  issuer: string;
  resource: string;
  /** The access granted by `token` on the MCP resource; null when unknown, expired, revoked, for another audience, or its user is inactive. */
  verifyAccessToken(token: string): Promise<OAuthAccess | null>;
  /** Drops this process's cached tokens of a grant (after it was deleted elsewhere, e.g. a connection revoked). */
  forgetGrant(grantId: string): void;
  close(): void;
}

interface Cached {
  access: OAuthAccess;
  expiresAtMs: number;
}

function resourceServerInfo(resource: string) {
  return async (_ctx: KoaContextWithOIDC, indicator: string) => {
    if (indicator !== resource) throw new errors.InvalidTarget(`this server issues tokens for ${resource} only`);
    return { scope: MCP_SCOPES.join(' '), audience: resource, accessTokenTTL: HOUR, accessTokenFormat: 'opaque' as const };
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** The one custom client property: a hook that runs before oidc-provider validates a client, never stored. */
const POLICY_HOOK = 'sigmasight_client_policy';

/**
 * Client policy, applied to registered and metadata-document clients alike before validation:
 * a client's `scope` keeps only the OpenID scopes (RFC 7591 lets the server replace it; the MCP
 * scopes are granted per request and stepping up must not be capped by what was registered), and
 * a redirect URI over plain http must point at this machine (loopback), as OAuth 2.1 requires.
 */
function clientPolicy(_ctx: unknown, key: string, _value: unknown, metadata: Record<string, unknown>): void {
  if (key !== POLICY_HOOK) return;
  metadata[POLICY_HOOK] = undefined;
  if (typeof metadata['scope'] === 'string') {
    const kept = metadata['scope'].split(' ').filter((s) => (OIDC_SCOPES as readonly string[]).includes(s));
    metadata['scope'] = kept.length ? kept.join(' ') : undefined;
  }
  let loopback = false;
  for (const uri of Array.isArray(metadata['redirect_uris']) ? (metadata['redirect_uris'] as unknown[]) : []) {
    const u = URL.parse(String(uri));
    if (u?.protocol !== 'http:') continue;
    if (!LOOPBACK_HOSTS.has(u.hostname)) throw new errors.InvalidClientMetadata('redirect_uris over http must use a loopback host (127.0.0.1, [::1] or localhost); use https');
    loopback = true;
  }
  // a loopback redirect is the native-app pattern (RFC 8252 §7.3: any port matches, e.g. VS Code's
  // http://127.0.0.1:33418/ when that port is taken), so such a client is treated as native
  if (loopback) metadata['application_type'] = 'native';
}

/** The scope given when an authorization request names none of the MCP scopes (least privilege; a write asks again, step-up). */
const DEFAULT_SCOPE: McpScope = 'portfolio:read';

function configuration(deps: AuthorizationServerDeps, cfg: AuthorizationServerConfig, keys: Awaited<ReturnType<typeof loadOrCreateOAuthKeys>>, adapter: Configuration['adapter']): Configuration {
  const clientFetch = createClientFetch(cfg.clientFetch);
  return {
    adapter,
    jwks: keys.jwks as Configuration['jwks'],
    cookies: {
      keys: keys.cookieKeys,
      names: { session: 'oauth_session', interaction: 'oauth_interaction', resume: 'oauth_resume' },
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    routes: OAUTH_ROUTES,
    scopes: [...OIDC_SCOPES],
    claims: { openid: ['sub'] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    clientDefaults: { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'RS256' },
    allowOmittingSingleRegisteredRedirectUri: false,
    extraClientMetadata: { properties: [POLICY_HOOK], validator: clientPolicy as never },
    findAccount: async (_ctx, sub) => {
      const user = await getUserProfile(deps.db, sub).catch(() => null);
      if (!user?.isActive) return undefined;
      return { accountId: sub, claims: async () => ({ sub }) };
    },
    interactions: { url: async (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: true },
      registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
      clientIdMetadataDocument: { enabled: true, ack: 'draft-02', cacheDuration: { min: 300, max: DAY } },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => cfg.resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: resourceServerInfo(cfg.resource),
      },
    },
    formats: { bitsOfOpaqueRandomness: 384 },
    fetch: clientFetch as NonNullable<Configuration['fetch']>,
    fetchResponseBodyLimits: { 'client_id metadata document': cfg.clientFetch?.maxBytes ?? 5 * 1024, jwks_uri: 64 * 1024, sector_identifier_uri: 64 * 1024 },
    rotateRefreshToken: () => true,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    ttl: { AccessToken: HOUR, AuthorizationCode: 60, IdToken: HOUR, RefreshToken: 30 * DAY, Grant: 180 * DAY, Session: DAY, Interaction: 10 * 60 },
    ...(cfg.renderError ? { renderError: cfg.renderError } : {}),
  } as Configuration;
}

/** Builds the server over `deps.db`; creates and stores its keys on first start. */
export async function createAuthorizationServer(deps: AuthorizationServerDeps, cfg: AuthorizationServerConfig): Promise<AuthorizationServer> {
  const clock = deps.clock ?? (() => new Date());
  const cache = cfg.tokenCacheTtlMs > 0 ? new LRUCache<string, Cached>({ max: 10_000, ttl: cfg.tokenCacheTtlMs }) : null;
  const byGrant = new Map<string, Set<string>>();
  const lastUse = new Map<string, number>();
  let revocations = 0;
  const forgetGrant = (grantId: string) => {
    revocations++;
    for (const key of byGrant.get(grantId) ?? []) cache?.delete(key);
    byGrant.delete(grantId);
  };
  const listener = { grant: forgetGrant, token: (model: string, id: string) => (model === 'AccessToken' ? cache?.delete(sha256(id)) : undefined) };
  const keys = await loadOrCreateOAuthKeys(deps.db);
  const provider = new Provider(cfg.issuer, configuration(deps, cfg, keys, createAdapterFactory(deps.db, listener, clock) as Configuration['adapter']));
  provider.proxy = cfg.trustProxy;
  provider.use(async (ctx, next) => {
    // an authorization request without any MCP scope (e.g. a client reconnecting) asks for the default
    if (ctx.method === 'GET' && ctx.path === OAUTH_ROUTES.authorization) {
      const scope = typeof ctx.query['scope'] === 'string' ? ctx.query['scope'] : '';
      if (mcpScopesOf(scope).length === 0) ctx.query = { ...ctx.query, scope: [scope, DEFAULT_SCOPE].filter(Boolean).join(' ') };
    }
    await next();
    // RFC 8414 metadata names the MCP scopes too (oidc-provider lists its OpenID scopes only)
    if (ctx.oidc?.route === 'discovery' && ctx.body && typeof ctx.body === 'object') (ctx.body as Record<string, unknown>)['scopes_supported'] = [...OIDC_SCOPES, ...MCP_SCOPES];
  });
  provider.on('server_error', (_ctx, err) => deps.log.error({ err }, 'oauth server error'));
  for (const event of ['grant.error', 'authorization.error', 'registration_create.error', 'revocation.error'] as const) {
    (provider.on as (e: string, f: (ctx: unknown, err: Error) => void) => void)(event, (_ctx, err) => deps.log.info({ oauthError: (err as { error?: string }).error ?? err.name, detail: (err as { error_description?: string }).error_description }, `oauth ${event}`));
  }
  provider.on('grant.revoked', (_ctx: unknown, grantId: string) => deps.log.info({ grantId }, 'oauth grant revoked'));

  function recordUse(grantId: string): void {
    const now = clock().getTime();
    if (now - (lastUse.get(grantId) ?? 0) < LAST_USE_EVERY_MS) return;
    lastUse.set(grantId, now);
    touchGrant(deps.db, grantId, new Date(now)).catch((err: unknown) => deps.log.warn({ err, grantId }, 'could not record the last use of an OAuth grant'));
  }

  async function lookUp(value: string): Promise<Cached | null> {
    const token = await provider.AccessToken.find(value);
    if (!token || token.isExpired || !token.accountId || !token.grantId) return null;
    const aud = token.aud as string | string[] | undefined;
    if (!(aud === cfg.resource || (Array.isArray(aud) && aud.length === 1 && aud[0] === cfg.resource))) return null;
    const user = await getUserProfile(deps.db, token.accountId);
    if (!user?.isActive) return null;
    const access: OAuthAccess = { principal: { userId: user.id, email: user.email, role: user.role }, scopes: mcpScopesOf(token.scope), grantId: token.grantId, clientId: token.clientId ?? '' };
    return { access, expiresAtMs: (token.exp ?? 0) * 1000 };
  }

  const prune = setInterval(() => void pruneExpiredOAuthRecords(deps.db, clock()).catch(() => {}), HOUR * 1000);
  prune.unref();

  return {
    provider,
    issuer: cfg.issuer,
    resource: cfg.resource,
    forgetGrant,
    close: () => clearInterval(prune),
    async verifyAccessToken(value) {
      const key = sha256(value);
      let hit = cache?.get(key);
      if (!hit || hit.expiresAtMs <= clock().getTime()) {
        const seen = revocations;
        const found = await lookUp(value);
        if (!found) return null;
        hit = found;
        // a revocation while the lookup was in flight: answer this caller, cache nothing
        if (cache && seen === revocations) {
          cache.set(key, hit);
          byGrant.set(hit.access.grantId, (byGrant.get(hit.access.grantId) ?? new Set()).add(key));
        }
      }
      recordUse(hit.access.grantId);
      return hit.access;
    },
  };
}
