/**
 * Which OAuth scope each MCP tool needs, derived from what the tool already declares:
 * - `_meta` 'sigmasight.dev/requires-approval' (a book write the agent runs only after approval) → portfolio:write;
 * - `readOnlyHint: true` (READ_ONLY, COMPUTE_ONLY) → portfolio:read;
 * - the STARTS_WORK hints (writes results, idempotent, not destructive) → batch:run;
 * - any other tool that is not read-only (BOOK_ADD, BOOK_OVERWRITE, BOOK_CLOSE …) → portfolio:write.
 * `SCOPE_OVERRIDES` names the tools whose hints alone would say something else. A new tool gets
 * its scope from its annotations without touching this file, and a tool without annotations
 * needs portfolio:write (the narrowest scope never grants a write).
 *
 * For a caller with limited scopes (an OAuth token) `limitToScopes` leaves the tools it may not
 * call out of the server (so `tools/list` does not show them), and `refuseBeyondScopes` answers a
 * call beyond the scopes with HTTP 403 `insufficient_scope` naming the scopes to ask for, as the
 * MCP authorization spec's step-up flow expects. Session tokens (CLI, stdio, mcp-remote) hold
 * every scope and pass through untouched.
 */
import type { McpServer, ToolAnnotations } from '@modelcontextprotocol/server';
import { MCP_SCOPES, type McpScope } from '../core/auth/oauth/scopes.ts';
import { APPROVAL_META, STARTS_WORK } from './tools/define.ts';

export { MCP_SCOPES, type McpScope };

/** Tools whose annotations do not tell their scope. */
export const SCOPE_OVERRIDES: Readonly<Record<string, McpScope>> = {
  /** Stores a preview of a holdings import (its hints are those of a batch start). */
  preview_import: 'portfolio:write',
};

const APPROVAL_KEY = Object.keys(APPROVAL_META)[0]!;
const HINTS = ['readOnlyHint', 'idempotentHint', 'destructiveHint', 'openWorldHint'] as const;

export interface ToolDeclaration {
  annotations?: ToolAnnotations | undefined;
  _meta?: Record<string, unknown> | undefined;
}

/** The scope a call of tool `name` needs. */
export function scopeForTool(name: string, tool: ToolDeclaration): McpScope {
  const override = SCOPE_OVERRIDES[name];
  if (override) return override;
  if (tool._meta?.[APPROVAL_KEY] === true) return 'portfolio:write';
  const a = tool.annotations;
  if (!a) return 'portfolio:write';
  if (a.readOnlyHint === true) return 'portfolio:read';
  if (HINTS.every((h) => a[h] === STARTS_WORK[h])) return 'batch:run';
  return 'portfolio:write';
}

/**
 * Reading resources (portfolios, reports) and completing arguments (the caller's portfolio ids)
 * need portfolio:read. The MCP task methods need batch:run: the only tasks are batch runs started
 * by run_portfolio_batch, and a token that may not see that tool may not follow its tasks either.
 */
const METHOD_SCOPES: Readonly<Record<string, McpScope>> = {
  'completion/complete': 'portfolio:read',
  'resources/list': 'portfolio:read',
  'resources/templates/list': 'portfolio:read',
  'resources/read': 'portfolio:read',
  'tasks/get': 'batch:run',
  'tasks/result': 'batch:run',
  'tasks/list': 'batch:run',
  'tasks/cancel': 'batch:run',
  'tasks/update': 'batch:run',
};

const toolScopes = new WeakMap<McpServer, Map<string, McpScope>>();

/** The scope of every tool registered on `server` so far (all of them, those left out included). */
export function toolScopesOf(server: McpServer): ReadonlyMap<string, McpScope> {
  return toolScopes.get(server) ?? new Map();
}

/**
 * Call before registering tools: records each tool's scope and removes, right after it is
 * registered, every tool `allowed` does not cover (and the resources without portfolio:read).
 */
export function limitToScopes(server: McpServer, allowed: readonly string[]): void {
  const scopes = new Map<string, McpScope>();
  toolScopes.set(server, scopes);
  const registerTool = server.registerTool.bind(server);
  server.registerTool = ((name: string, config: ToolDeclaration, cb: never) => {
    const tool = registerTool(name, config as never, cb);
    const scope = scopeForTool(name, config);
    scopes.set(name, scope);
    if (!allowed.includes(scope)) tool.remove();
    return tool;
  }) as typeof server.registerTool;
  if (!allowed.includes('portfolio:read')) {
    const registerResource = server.registerResource.bind(server) as (...a: unknown[]) => { remove(): void };
    server.registerResource = ((...args: unknown[]) => {
      const resource = registerResource(...args);
      resource.remove();
      return resource;
    }) as typeof server.registerResource;
  }
}

interface JsonRpcMessage {
  id?: string | number | null;
  method?: string;
  params?: { name?: unknown };
}

/** The scopes the messages in `body` need beyond `allowed`, in canonical order. */
export function missingScopes(body: unknown, tools: ReadonlyMap<string, McpScope>, allowed: readonly string[]): McpScope[] {
  const messages = (Array.isArray(body) ? body : [body]) as (JsonRpcMessage | null)[];
  const needed = new Set<McpScope>();
  for (const m of messages) {
    if (!m || typeof m !== 'object' || typeof m.method !== 'string') continue;
    const scope = m.method === 'tools/call' ? tools.get(String(m.params?.name)) : METHOD_SCOPES[m.method];
    if (scope && !allowed.includes(scope)) needed.add(scope);
  }
  return MCP_SCOPES.filter((s) => needed.has(s));
}

/**
 * HTTP 403 with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"` when the request body
 * calls beyond `allowed` (the scope named is what the token has plus what the call needs, so a
 * step-up keeps the access granted before); null when the request is within its scopes.
 */
export function refuseBeyondScopes(body: unknown, tools: ReadonlyMap<string, McpScope>, allowed: readonly string[]): Response | null {
  const missing = missingScopes(body, tools, allowed);
  if (missing.length === 0) return null;
  const ask = MCP_SCOPES.filter((s) => allowed.includes(s) || missing.includes(s)).join(' ');
  const message = `insufficient_scope: this call needs ${missing.join(' ')}; authorize again with scope "${ask}"`;
  const id = Array.isArray(body) ? null : ((body as JsonRpcMessage | null)?.id ?? null);
  return new Response(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32003, message } }), {
    status: 403,
    headers: { 'content-type': 'application/json', 'www-authenticate': `Bearer error="insufficient_scope", scope="${ask}", error_description="this call needs ${missing.join(' ')}"` },
  });
}
