/** The OAuth authorization server of one app, built on first use (see mount.ts). */
import type { AuthorizationServer } from '../../core/auth/oauth/server.ts';

export interface OAuthUrls {
  /** PUBLIC_URL, else http://localhost:PORT. */
  issuer: string;
  /** The MCP resource: issuer + '/mcp' (RFC 8707 audience of every access token). */
  resource: string;
  /** Its RFC 9728 metadata document. */
  resourceMetadata: string;
}

export interface OAuthHandle {
  get(): Promise<AuthorizationServer>;
  /** The server when it has been built (a revocation need not build it). */
  peek(): AuthorizationServer | undefined;
  urls: OAuthUrls;
}
