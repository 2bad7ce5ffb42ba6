/**
 * Authentication of `/mcp`, the OAuth protected resource: a SigmaSight session token (bearer or
 * cookie, as for REST: the CLI, stdio bridge and mcp-remote; every scope) or an OAuth access token
 * this server issued for the `/mcp` audience (RFC 8707), whose scopes limit the tools. OAuth
 * tokens are recognised by shape (64 characters; session tokens have 43) and looked up, never
 * passed on. A 401 carries `WWW-Authenticate: Bearer resource_metadata="…"` (RFC 9728) so a
 * client can discover where to get a token, with `error="invalid_token"` when one was presented.
 */
import type { MiddlewareHandler } from 'hono';
import { AppError, toAppError } from '../../core/errors.ts';
import type { AppBindings } from '../context.ts';
import type { OAuthHandle } from '../oauth/handle.ts';
import { authenticateSession, presentedToken } from './auth.ts';

const OAUTH_TOKEN_SHAPE = /^[A-Za-z0-9_-]{64}$/;

export function bearerChallenge(resourceMetadata: string, error?: 'invalid_token'): string {
  return `Bearer ${error ? `error="${error}", ` : ''}resource_metadata="${resourceMetadata}"`;
}

function unauthenticated(message: string, oauth: OAuthHandle, presented: boolean): AppError {
  return new AppError('UNAUTHENTICATED', message, { details: { wwwAuthenticate: bearerChallenge(oauth.urls.resourceMetadata, presented ? 'invalid_token' : undefined) } });
}

export function requireMcpAuth(oauth: OAuthHandle): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const presented = presentedToken(c);
    if (!presented) throw unauthenticated('Not authenticated: send Authorization: Bearer <token> (an OAuth access token or a SigmaSight session token)', oauth, false);
    if (presented.from === 'bearer' && OAUTH_TOKEN_SHAPE.test(presented.token)) {
      const access = await (await oauth.get()).verifyAccessToken(presented.token);
      if (!access) throw unauthenticated('The access token is unknown, expired, revoked or not issued for this resource', oauth, true);
      c.set('principal', access.principal);
      c.set('oauthScopes', access.scopes);
      c.get('log').setBindings({ userId: access.principal.userId, oauthClientId: access.clientId });
      return next();
    }
    try {
      await authenticateSession(c, presented);
    } catch (err) {
      const e = toAppError(err);
      if (e.code === 'UNAUTHENTICATED') throw unauthenticated(e.message, oauth, presented.token !== '');
      throw err;
    }
    c.set('oauthScopes', undefined);
    await next();
  };
}
