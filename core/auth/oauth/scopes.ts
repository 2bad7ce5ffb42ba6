/**
 * The scopes an OAuth client may ask for on SigmaSight's MCP resource, with the words the consent
 * page shows for each. A SigmaSight session token (CLI, stdio, mcp-remote) holds all of them.
 */
export const MCP_SCOPES = ['portfolio:read', 'portfolio:write', 'batch:run'] as const;

export type McpScope = (typeof MCP_SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<McpScope, string> = {
  'portfolio:read': 'Read your portfolios, positions, stored risk results and market data, and run what-if calculations that store nothing',
  'portfolio:write': 'Change your book: create portfolios, add, edit, close and delete positions, import holdings files',
  'batch:run': 'Start the calculation batch for your portfolios',
};

/** OpenID Connect scopes the server also understands (an ID token, refresh tokens). */
export const OIDC_SCOPES = ['openid', 'offline_access'] as const;

export const isMcpScope = (s: string): s is McpScope => (MCP_SCOPES as readonly string[]).includes(s);

/** The MCP scopes in a space-separated scope string, in the canonical order. */
export function mcpScopesOf(scope: string | undefined | null): McpScope[] {
  const asked = new Set((scope ?? '').split(' '));
  return MCP_SCOPES.filter((s) => asked.has(s));
}
