/**
 * The authorization server's keys, generated once and kept in the database (never in the repo,
 * never in the environment): an RS256 and an ES256 signing key (ID tokens; access tokens are
 * opaque) and two cookie signing secrets. Several processes starting at once agree on the first
 * set stored.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Db } from '../../../db/client.ts';
import { insertOAuthKeysOnce, readOAuthKeys } from '../../../db/queries/oauth.ts';

export interface OAuthKeys {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

async function signingKey(alg: 'RS256' | 'ES256'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: randomUUID() };
}

export async function loadOrCreateOAuthKeys(db: Db): Promise<OAuthKeys> {
  const jwks = (await readOAuthKeys(db, 'jwks')) ?? (await insertOAuthKeysOnce(db, 'jwks', { keys: [await signingKey('RS256'), await signingKey('ES256')] }));
  const cookies = (await readOAuthKeys(db, 'cookies')) ?? (await insertOAuthKeysOnce(db, 'cookies', { keys: [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')] }));
  return { jwks: jwks as { keys: JWK[] }, cookieKeys: cookies.keys as string[] };
}
