import type { ClientFetchOptions } from '../core/auth/oauth/client-fetch.ts';
import type { McpScope } from '../core/auth/oauth/scopes.ts';
import type { AuthSessions } from '../core/auth/sessions.ts';
import type { BatchServiceDeps } from '../core/batch/service.ts';
import type { DbHandle } from '../core/database.ts';
import type { Env } from '../core/env.ts';
import type { Logger } from '../core/logger.ts';
import type { Principal, ServiceDeps } from '../core/services/context.ts';
import type { McpServerBuild } from '../mcp-server/http.ts';
import type { OAuthHandle } from './oauth/handle.ts';

/** What every route can reach: typed config, the database and the root logger. */
export interface AppDeps {
  env: Env;
  dbh: DbHandle;
  log: Logger;
  startedAt: number;
  version: string;
  /** Current time for services; tests pin it. Defaults to the system clock. */
  clock?: () => Date;
  /** The batch runtime's service deps (runner, clock); without it the app runs batches in-process. */
  batch?: BatchServiceDeps;
  /** Test-only: the OAuth client-metadata fetch guard's resolver, private-host allow-list and CA (production never sets it). */
  oauthClientFetch?: ClientFetchOptions;
  /** Builds the server `/mcp` serves (the catalogue by default; the benchmark adds a trivial tool). */
  mcpServer?: McpServerBuild;
}

export interface AppBindings {
  Variables: {
    requestId: string;
    log: Logger;
    deps: AppDeps;
    auth: AuthSessions;
    /** Set by `requireAuth` on authenticated routes. */
    principal: Principal;
    /** The presented session token (never logged). */
    token: string;
    batch: BatchServiceDeps;
    /** Set by the /mcp authentication for an OAuth access token: the scopes it grants (absent for session tokens, which hold all). */
    oauthScopes: readonly McpScope[] | undefined;
    /** The OAuth authorization server (built on first use). */
    oauth: OAuthHandle;
  };
}

/** Per-request service dependencies: the database, the request-scoped logger (with requestId) and the clock. */
export function serviceDeps(c: { get(key: 'deps'): AppDeps; get(key: 'log'): Logger }): ServiceDeps {
  const deps = c.get('deps');
  return { db: deps.dbh.db, log: c.get('log'), clock: deps.clock ?? (() => new Date()) };
}
