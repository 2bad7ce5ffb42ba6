/**
 * The OAuth authorization server's storage (oidc-provider's adapter interface): one row per
 * stored model instance — grants, sessions, interactions, registered clients, and the tokens
 * presented by value (access and refresh tokens, authorization codes, registration access tokens)
 * — and the server's own keys (token signing keys, cookie signing keys), generated once.
 *
 * Token rows are keyed by the SHA-256 of the token, never the token itself, so a leaked table
 * cannot be replayed. Rows of a user go with the user (account_id cascades).
 */
import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';

export const oauthRecords = pgTable(
  'oauth_records',
  {
    /** oidc-provider model name: Grant, Session, Interaction, Client, AccessToken, RefreshToken, AuthorizationCode … */
    model: text().notNull(),
    /** The instance id; for tokens presented by value the SHA-256 (hex) of the token. */
    id: text().notNull(),
    /** The model's payload as oidc-provider hands it over (the token value itself removed). */
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    /** The grant a token or code belongs to (revoking a grant deletes them all). */
    grantId: text(),
    /** The user the record acts for (grants, sessions, tokens). */
    accountId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    /** Sessions and interactions: their public uid. */
    uid: text(),
    expiresAt: timestamp({ withTimezone: true }),
    /** Set when a code or refresh token is used (a second use revokes its grant). */
    consumedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Grants: the client's display name when the user consented (a metadata-document client is not stored). */
    clientName: text(),
    /** Grants: the last time one of its access tokens was used (at most once a minute is recorded). */
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index('oauth_records_grant_idx').on(t.grantId),
    index('oauth_records_account_idx').on(t.accountId, t.model),
    index('oauth_records_uid_idx').on(t.uid),
    index('oauth_records_expires_idx').on(t.expiresAt),
  ],
);

/** The authorization server's keys: `jwks` (private signing JWKs) and `cookies` (cookie signing secrets). */
export const oauthKeys = pgTable('oauth_keys', {
  id: text().primaryKey(),
  value: jsonb().$type<{ keys: unknown[] }>().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
