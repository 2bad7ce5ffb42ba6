/**
 * The sign-in and consent step of an authorization request: what the page shows (the client, the
 * host it sends the user back to, the scopes asked) and what the user's answer does. One page
 * does both: without a signed-in session it asks for email and password (the same argon2id check
 * and throttle as POST /api/v1/auth/login), then records the grant of exactly the scopes asked.
 * The interaction is found through oidc-provider's signed interaction cookie, so only the browser
 * that started the request can answer it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setGrantClientName } from '../../../db/queries/oauth.ts';
import type { Db } from '../../../db/client.ts';
import { getUserProfile } from '../../../db/queries/users.ts';
import { AppError } from '../../errors.ts';
import { verifyCredentials } from '../login.ts';
import type { LoginThrottle } from '../login-throttle.ts';
import type { AuthorizationServer } from './server.ts';
import { mcpScopesOf, OIDC_SCOPES, type McpScope } from './scopes.ts';

export interface ConsentView {
  uid: string;
  /** `login`: no session yet, the page asks for credentials; `consent`: signed in, only the grant is asked. */
  prompt: 'login' | 'consent';
  client: {
    id: string;
    name: string;
    /** The client_id is an https URL whose document named this client (its host is shown). */
    metadataDocumentHost: string | null;
    /** Host of the redirect URI the answer goes to. */
    redirectHost: string;
  };
  scopes: McpScope[];
  /** The signed-in user (consent prompt). */
  email: string | null;
}

export interface NodePair {
  req: IncomingMessage;
  res: ServerResponse;
}

function hostOf(uri: unknown): string {
  try {
    const u = new URL(String(uri));
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host : `${u.protocol}//${u.host}`;
  } catch {
    return String(uri);
  }
}

/** The interaction `uid` of this browser, or NOT_FOUND (unknown, expired, or started by another browser). */
async function interactionOf(server: AuthorizationServer, node: NodePair, uid: string) {
  const details = await server.provider.interactionDetails(node.req, node.res).catch(() => null);
  if (!details || details.uid !== uid) throw new AppError('NOT_FOUND', 'This sign-in request is unknown or has expired; start again from your application');
  return details;
}

export async function describeInteraction(server: AuthorizationServer, db: Db, node: NodePair, uid: string): Promise<ConsentView> {
  const details = await interactionOf(server, node, uid);
  const clientId = String(details.params['client_id']);
  const client = await server.provider.Client.find(clientId);
  if (!client) throw new AppError('NOT_FOUND', 'The application of this sign-in request is no longer known; start again from your application');
  const accountId = details.session?.accountId;
  const user = accountId ? await getUserProfile(db, accountId) : null;
  return {
    uid,
    prompt: details.prompt.name === 'login' || !user ? 'login' : 'consent',
    client: {
      id: clientId,
      name: client.clientName ?? clientId,
      metadataDocumentHost: /^https:\/\//i.test(clientId) ? hostOf(clientId) : null,
      redirectHost: hostOf(details.params['redirect_uri']),
    },
    scopes: mcpScopesOf(details.params['scope'] as string | undefined),
    email: user?.email ?? null,
  };
}

export interface SignIn {
  email: string;
  password: string;
  ip: string;
}

/** Checks the credentials through the login throttle; the user id, or UNAUTHENTICATED / RATE_LIMITED. */
export async function signIn(db: Db, throttle: LoginThrottle, s: SignIn): Promise<string> {
  const attempt = { email: s.email, ip: s.ip };
  await throttle.check(attempt);
  try {
    const user = await verifyCredentials(db, s.email, s.password);
    await throttle.succeeded(attempt);
    return user.id;
  } catch (err) {
    if (err instanceof AppError && err.code === 'UNAUTHENTICATED') await throttle.failed(attempt);
    throw err;
  }
}

/**
 * Grants the scopes asked to the client for `accountId` (the user who signed in here, or the
 * session's user) and returns where the browser goes next (back into the authorization flow).
 */
export async function approveInteraction(server: AuthorizationServer, db: Db, node: NodePair, uid: string, signedIn: string | null): Promise<string> {
  const details = await interactionOf(server, node, uid);
  const accountId = signedIn ?? details.session?.accountId;
  if (!accountId) throw new AppError('UNAUTHENTICATED', 'Sign in to continue');
  const clientId = String(details.params['client_id']);
  const { Grant } = server.provider;
  const existing = details.grantId ? await Grant.find(details.grantId) : undefined;
  const grant = existing && existing.accountId === accountId ? existing : new Grant({ accountId, clientId });
  const asked = new Set(String(details.params['scope'] ?? '').split(' '));
  const oidc = OIDC_SCOPES.filter((s) => asked.has(s));
  if (oidc.length) grant.addOIDCScope(oidc.join(' '));
  const resource = typeof details.params['resource'] === 'string' ? details.params['resource'] : server.resource;
  const scopes = mcpScopesOf(details.params['scope'] as string | undefined);
  if (scopes.length) grant.addResourceScope(resource, scopes.join(' '));
  const grantId = await grant.save();
  const client = await server.provider.Client.find(clientId);
  await setGrantClientName(db, grantId, client?.clientName ?? clientId);
  const result = { login: { accountId, remember: false }, consent: { grantId } };
  return server.provider.interactionResult(node.req, node.res, result, { mergeWithLastSubmission: false });
}

/** The user said no: the client gets `access_denied`. */
export async function denyInteraction(server: AuthorizationServer, node: NodePair, uid: string): Promise<string> {
  await interactionOf(server, node, uid);
  return server.provider.interactionResult(node.req, node.res, { error: 'access_denied', error_description: 'The user did not allow access' }, { mergeWithLastSubmission: false });
}
