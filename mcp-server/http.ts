/**
 * Streamable HTTP for remote MCP clients of every protocol revision this SDK serves: the
 * 2026-07-28 revision (one self-contained request per POST, `server/discover` instead of a
 * handshake) through the SDK's `createMcpHandler`, and the 2025 revisions (2025-06-18,
 * 2025-11-25) statelessly, every POST answered on its own with a JSON response; the SDK's
 * `isLegacyRequest` tells the eras apart per request. No session state ties a client to one
 * process; GET and DELETE (2025 session operations) answer 405.
 *
 * Building a server registers the whole catalogue (every tool's zod contract, resources,
 * prompts), which costs milliseconds; a request needs none of that. So servers are built once
 * and kept in a pool keyed by what shapes them — the principal, the channel, the OAuth scopes
 * (a limited token's server leaves tools out) and the protocol era — and each request borrows an
 * idle one, binds its own context (service dependencies with the request's logger, batch
 * runtime) to it and hands it back when the SDK closes the exchange. A server serves one request
 * at a time, so a request's context never reaches another's tool calls. The request's context
 * travels to the factory in the pass-through `authInfo` the SDK gives it (and tools, as
 * `ctx.http.authInfo`). The caller (the API's /mcp route) authenticates and validates Origin
 * before calling this.
 */
import { createMcpHandler, isLegacyRequest, WebStandardStreamableHTTPServerTransport, type AuthInfo, type McpHttpHandler, type McpRequestContext, type McpServer } from '@modelcontextprotocol/server';
import { LRUCache } from 'lru-cache';
import type { McpContext } from './context.ts';
import { refuseBeyondScopes, toolScopesOf, type McpScope } from './scopes.ts';
import { createMcpServer } from './server.ts';

const methodNotAllowed = () =>
  new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless; send JSON-RPC requests with POST' }, id: null }), {
    status: 405,
    headers: { 'content-type': 'application/json', allow: 'POST' },
  });

/** Builds the server for one context (the catalogue: `createMcpServer`). */
export type McpServerBuild = (ctx: McpContext) => McpServer;
type Build = McpServerBuild;
type Era = McpRequestContext['era'];

interface Pooled {
  server: McpServer;
  /** The context the server's tools, resources and prompts read; rebound for every request. */
  live: McpContext;
}

/** Idle servers kept per key (concurrent requests of one caller beyond this build and drop theirs). */
const IDLE_PER_KEY = 8;
/** Callers whose idle servers are kept; the least recently served are dropped first. */
const KEYS_MAX = 1_000;
/** Where the request's context rides in the SDK's pass-through `authInfo`. */
const CONTEXT_KEY = 'sigmasight.dev/mcp-context';

/** What a built server depends on: who it acts for, the channel, which tools the scopes leave in, and the era it was bound to. */
function poolKey(ctx: McpContext, era: Era): string {
  const p = ctx.principal;
  return `${p.userId}\u0000${p.role}\u0000${p.email}\u0000${ctx.channel}\u0000${ctx.allowedScopes ? [...ctx.allowedScopes].sort().join(' ') : '*'}\u0000${era}`;
}

function bind(live: McpContext, ctx: McpContext): void {
  for (const k of Object.keys(live) as (keyof McpContext)[]) if (!(k in ctx)) delete live[k];
  Object.assign(live, ctx);
}

/** The SDK's view of the caller: who it is and what its token may do, plus the request's context for the factory. */
function authInfoOf(ctx: McpContext): AuthInfo {
  return { token: '', clientId: ctx.principal.userId, scopes: [...(ctx.allowedScopes ?? [])], extra: { [CONTEXT_KEY]: ctx } };
}

/** A pool of built servers for one `build` function, serving both protocol eras. */
export class McpServerPool {
  readonly #build: Build;
  readonly #idle = new LRUCache<string, Pooled[]>({ max: KEYS_MAX });
  readonly #handler: McpHttpHandler;
  /** The scope each tool needs, read once from the first server built for limited scopes (the catalogue does not change). */
  #toolScopes: ReadonlyMap<string, McpScope> | null = null;
  /** Servers built since the pool was created (for tests and the benchmark). */
  built = 0;

  constructor(build: Build = createMcpServer) {
    this.#build = build;
    this.#handler = createMcpHandler((rc) => this.#serve(rc), { legacy: 'reject' });
  }

  acquire(ctx: McpContext, era: Era = 'legacy'): { pooled: Pooled; key: string } {
    const key = poolKey(ctx, era);
    const pooled = this.#idle.get(key)?.pop();
    if (pooled) {
      bind(pooled.live, ctx);
      return { pooled, key };
    }
    const live = { ...ctx };
    this.built++;
    return { pooled: { server: this.#build(live), live }, key };
  }

  release(key: string, pooled: Pooled): void {
    const stack = this.#idle.get(key) ?? [];
    if (stack.length >= IDLE_PER_KEY) return;
    stack.push(pooled);
    if (stack.length === 1) this.#idle.set(key, stack);
  }

  clear(): void {
    this.#idle.clear();
  }

  /** The SDK's factory for 2026-07-28 requests: an idle server bound to the request's context, back in the pool once the SDK closes the exchange. */
  #serve(rc: McpRequestContext): McpServer {
    const ctx = rc.authInfo?.extra?.[CONTEXT_KEY] as McpContext | undefined;
    if (!ctx) throw new Error('an MCP request reached the server pool without its context');
    const { pooled, key } = this.acquire(ctx, rc.era);
    const inner = pooled.server.server;
    inner.onclose = () => {
      inner.onclose = undefined;
      this.release(key, pooled);
    };
    return pooled.server;
  }

  /** A 2025-era request (2025-06-18, 2025-11-25): answered on its own, as one JSON response, by a stateless transport. */
  async #serveLegacy(request: Request, ctx: McpContext, body: unknown): Promise<Response> {
    const { pooled, key } = this.acquire(ctx, 'legacy');
    const { server } = pooled;
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    let connected = false;
    try {
      await server.connect(transport);
      connected = true;
      return await transport.handleRequest(request, body === undefined ? {} : { parsedBody: body });
    } finally {
      // closing the transport detaches it from the server (and aborts anything still in flight),
      // after which the server may serve the next request
      if (connected) void server.close().then(() => this.release(key, pooled), () => {});
    }
  }

  async handle(request: Request, ctx: McpContext): Promise<Response> {
    if (request.method !== 'POST') return methodNotAllowed();
    const body: unknown = await request.clone().json().catch(() => undefined);
    if (ctx.allowedScopes) {
      if (!this.#toolScopes) {
        const { pooled, key } = this.acquire(ctx);
        this.release(key, pooled);
        this.#toolScopes = toolScopesOf(pooled.server);
      }
      const refused = refuseBeyondScopes(body, this.#toolScopes, ctx.allowedScopes);
      if (refused) return refused;
    }
    if (body === undefined || (await isLegacyRequest(request, body))) return this.#serveLegacy(request, ctx, body);
    return this.#handler.fetch(request, { authInfo: authInfoOf(ctx), parsedBody: body });
  }
}

const pools = new WeakMap<Build, McpServerPool>();

/** The pool of `build` (one per process for the catalogue server). */
export function mcpServerPool(build: Build = createMcpServer): McpServerPool {
  let pool = pools.get(build);
  if (!pool) pools.set(build, (pool = new McpServerPool(build)));
  return pool;
}

export async function handleMcpHttp(request: Request, ctx: McpContext, build: Build = createMcpServer): Promise<Response> {
  return mcpServerPool(build).handle(request, ctx);
}

/**
 * Origin check against DNS rebinding: requests without an Origin (non-browser clients) pass;
 * a browser Origin must be in the allow-list or be this server's own origin.
 */
export function isAllowedOrigin(origin: string | undefined, requestUrl: string, allowList: readonly string[]): boolean {
  if (!origin) return true;
  if (allowList.includes(origin)) return true;
  try {
    return new URL(origin).origin === new URL(requestUrl).origin;
  } catch {
    return false;
  }
}
