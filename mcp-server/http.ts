/**
 * Streamable HTTP for remote MCP clients, stateless as the SDK recommends for horizontally scaled
 * servers: every POST is answered on its own with a JSON response, so no session state ties a
 * client to one process. GET (server-initiated streams) and DELETE (session teardown) have no
 * meaning without sessions and answer 405.
 *
 * Building a server registers the whole catalogue (every tool's zod contract, resources,
 * prompts), which costs milliseconds; a request needs none of that. So servers are built once
 * and kept in a pool keyed by what shapes them — the principal, the channel and the OAuth scopes
 * (a limited token's server leaves tools out) — and each request borrows an idle one, binds its
 * own context (service dependencies with the request's logger, batch runtime) to it, connects a
 * fresh stateless transport and hands the server back when the response is ready. A server
 * serves one request at a time, so a request's context never reaches another's tool calls.
 * The caller (the API's /mcp route) authenticates and validates Origin before calling this.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { LRUCache } from 'lru-cache';
import type { McpContext } from './context.ts';
import { refuseBeyondScopes } from './scopes.ts';
import { createMcpServer } from './server.ts';

const methodNotAllowed = () =>
  new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless; send JSON-RPC requests with POST' }, id: null }), {
    status: 405,
    headers: { 'content-type': 'application/json', allow: 'POST' },
  });

/** Builds the server for one context (the catalogue: `createMcpServer`). */
export type McpServerBuild = (ctx: McpContext) => McpServer;
type Build = McpServerBuild;

interface Pooled {
  server: McpServer;
  /** The context the server's tools, resources and prompts read; rebound for every request. */
  live: McpContext;
}

/** Idle servers kept per key (concurrent requests of one caller beyond this build and drop theirs). */
const IDLE_PER_KEY = 8;
/** Callers whose idle servers are kept; the least recently served are dropped first. */
const KEYS_MAX = 1_000;

/** What a built server depends on: who it acts for, the channel and which tools the scopes leave in. */
function poolKey(ctx: McpContext): string {
  const p = ctx.principal;
  return `${p.userId}\u0000${p.role}\u0000${p.email}\u0000${ctx.channel}\u0000${ctx.allowedScopes ? [...ctx.allowedScopes].sort().join(' ') : '*'}`;
}

function bind(live: McpContext, ctx: McpContext): void {
  for (const k of Object.keys(live) as (keyof McpContext)[]) if (!(k in ctx)) delete live[k];
  Object.assign(live, ctx);
}

/** A pool of built servers for one `build` function. */
export class McpServerPool {
  readonly #build: Build;
  readonly #idle = new LRUCache<string, Pooled[]>({ max: KEYS_MAX });
  /** Servers built since the pool was created (for tests and the benchmark). */
  built = 0;

  constructor(build: Build = createMcpServer) {
    this.#build = build;
  }

  acquire(ctx: McpContext): { pooled: Pooled; key: string } {
    const key = poolKey(ctx);
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

  async handle(request: Request, ctx: McpContext): Promise<Response> {
    if (request.method !== 'POST') return methodNotAllowed();
    const { pooled, key } = this.acquire(ctx);
    const { server } = pooled;
    const refused = ctx.allowedScopes ? await refuseBeyondScopes(request, server, ctx.allowedScopes) : null;
    if (refused) {
      this.release(key, pooled);
      return refused;
    }
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    let connected = false;
    try {
      await server.connect(transport);
      connected = true;
      return await transport.handleRequest(request);
    } finally {
      // closing the transport detaches it from the server (and aborts anything still in flight),
      // after which the server may serve the next request
      if (connected) void server.close().then(() => this.release(key, pooled), () => {});
    }
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
