/**
 * Reads and writes of the OAuth authorization server's records (oauth_records) and keys
 * (oauth_keys). Expired rows read as absent; `pruneExpiredOAuthRecords` deletes them.
 */
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { oauthKeys, oauthRecords } from '../schema/index.ts';

export interface OAuthRecord {
  payload: Record<string, unknown>;
  consumedAt: Date | null;
}

export interface OAuthRecordWrite {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  grantId: string | null;
  accountId: string | null;
  uid: string | null;
  expiresAt: Date | null;
}

const live = (now: Date) => or(isNull(oauthRecords.expiresAt), gt(oauthRecords.expiresAt, now));

/** Inserts or replaces a record; a grant's client name and last use survive the replacement. */
export async function upsertOAuthRecord(db: Db, r: OAuthRecordWrite): Promise<void> {
  await db
    .insert(oauthRecords)
    .values(r)
    .onConflictDoUpdate({
      target: [oauthRecords.model, oauthRecords.id],
      set: { payload: r.payload, grantId: r.grantId, accountId: r.accountId, uid: r.uid, expiresAt: r.expiresAt, consumedAt: null },
    });
}

export async function findOAuthRecord(db: Db, model: string, id: string, now: Date): Promise<OAuthRecord | null> {
  const [row] = await db
    .select({ payload: oauthRecords.payload, consumedAt: oauthRecords.consumedAt })
    .from(oauthRecords)
    .where(and(eq(oauthRecords.model, model), eq(oauthRecords.id, id), live(now)))
    .limit(1);
  return row ?? null;
}

export async function findOAuthRecordByUid(db: Db, model: string, uid: string, now: Date): Promise<OAuthRecord | null> {
  const [row] = await db
    .select({ payload: oauthRecords.payload, consumedAt: oauthRecords.consumedAt })
    .from(oauthRecords)
    .where(and(eq(oauthRecords.model, model), eq(oauthRecords.uid, uid), live(now)))
    .limit(1);
  return row ?? null;
}

export async function consumeOAuthRecord(db: Db, model: string, id: string, at: Date): Promise<void> {
  await db.update(oauthRecords).set({ consumedAt: at }).where(and(eq(oauthRecords.model, model), eq(oauthRecords.id, id)));
}

export async function deleteOAuthRecord(db: Db, model: string, id: string): Promise<void> {
  await db.delete(oauthRecords).where(and(eq(oauthRecords.model, model), eq(oauthRecords.id, id)));
}

/** Deletes the records of `models` that belong to a grant (its tokens and codes). */
export async function deleteOAuthRecordsOfGrant(db: Db, model: string, grantId: string): Promise<void> {
  await db.delete(oauthRecords).where(and(eq(oauthRecords.model, model), eq(oauthRecords.grantId, grantId)));
}

export async function pruneExpiredOAuthRecords(db: Db, now: Date): Promise<number> {
  const gone = await db.delete(oauthRecords).where(lt(oauthRecords.expiresAt, now)).returning({ id: oauthRecords.id });
  return gone.length;
}

export interface GrantRow {
  id: string;
  payload: Record<string, unknown>;
  clientName: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

/** The live grants of a user, newest first. */
export async function listGrantsOfAccount(db: Db, accountId: string, now: Date): Promise<GrantRow[]> {
  return db
    .select({ id: oauthRecords.id, payload: oauthRecords.payload, clientName: oauthRecords.clientName, createdAt: oauthRecords.createdAt, lastUsedAt: oauthRecords.lastUsedAt, expiresAt: oauthRecords.expiresAt })
    .from(oauthRecords)
    .where(and(eq(oauthRecords.model, 'Grant'), eq(oauthRecords.accountId, accountId), live(now)))
    .orderBy(desc(oauthRecords.createdAt), oauthRecords.id);
}

/**
 * Deletes a user's grant and every record issued under it (tokens, codes) in one statement;
 * false when the user has no such grant (another user's grant is left alone).
 */
export async function deleteGrantOfAccount(db: Db, accountId: string, grantId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const gone = await tx
      .delete(oauthRecords)
      .where(and(eq(oauthRecords.model, 'Grant'), eq(oauthRecords.id, grantId), eq(oauthRecords.accountId, accountId)))
      .returning({ id: oauthRecords.id });
    if (gone.length === 0) return false;
    await tx.delete(oauthRecords).where(eq(oauthRecords.grantId, grantId));
    return true;
  });
}

export async function setGrantClientName(db: Db, grantId: string, clientName: string): Promise<void> {
  await db.update(oauthRecords).set({ clientName }).where(and(eq(oauthRecords.model, 'Grant'), eq(oauthRecords.id, grantId)));
}

export async function touchGrant(db: Db, grantId: string, at: Date): Promise<void> {
  await db.update(oauthRecords).set({ lastUsedAt: at }).where(and(eq(oauthRecords.model, 'Grant'), eq(oauthRecords.id, grantId)));
}

/** The stored key set `id`, or null. */
export async function readOAuthKeys(db: Db, id: string): Promise<{ keys: unknown[] } | null> {
  const [row] = await db.select({ value: oauthKeys.value }).from(oauthKeys).where(eq(oauthKeys.id, id)).limit(1);
  return row?.value ?? null;
}

/** Stores a key set unless one exists (the first process to start wins); returns the stored one. */
export async function insertOAuthKeysOnce(db: Db, id: string, value: { keys: unknown[] }): Promise<{ keys: unknown[] }> {
  await db.insert(oauthKeys).values({ id, value }).onConflictDoNothing();
  const stored = await readOAuthKeys(db, id);
  if (!stored) throw new Error(`oauth key set ${id} could not be stored`);
  return stored;
}

/** Count of a model's live records (diagnostics and tests). */
export async function countOAuthRecords(db: Db, model: string, now: Date): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(oauthRecords).where(and(eq(oauthRecords.model, model), live(now)));
  return row?.n ?? 0;
}
