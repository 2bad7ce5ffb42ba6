/**
 * oidc-provider's adapter interface over the database (oauth_records). Tokens presented by value
 * (access and refresh tokens, codes, registration access tokens) are stored under the SHA-256 of
 * the value with the value itself removed from the payload; a lookup by value hashes again and
 * puts the value back. `onRevoked` hears of every deleted token and revoked grant, so caches of
 * validated tokens in this process drop them at once.
 */
import { hash } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../../../db/client.ts';
import {
  consumeOAuthRecord, deleteOAuthRecord, deleteOAuthRecordsOfGrant, findOAuthRecord, findOAuthRecordByUid, upsertOAuthRecord,
} from '../../../db/queries/oauth.ts';

/** Models whose id is a bearer value: stored hashed. */
const HASHED = new Set(['AccessToken', 'RefreshToken', 'AuthorizationCode', 'RegistrationAccessToken', 'ClientCredentials', 'DeviceCode', 'BackchannelAuthenticationRequest', 'InitialAccessToken', 'PreAuthorizedCode']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RevocationListener {
  token(model: string, id: string): void;
  grant(grantId: string): void;
}

export const sha256 = (value: string): string => hash('sha256', value, 'hex');

export function createAdapterFactory(db: Db, listener: RevocationListener, clock: () => Date = () => new Date()) {
  return class DbAdapter implements Adapter {
    readonly hashed: boolean;
    constructor(readonly model: string) {
      this.hashed = HASHED.has(model);
    }

    private key(id: string): string {
      return this.hashed ? sha256(id) : id;
    }

    private restore(id: string | null, row: { payload: Record<string, unknown>; consumedAt: Date | null } | null): AdapterPayload | undefined {
      if (!row) return undefined;
      const payload = { ...row.payload } as AdapterPayload;
      if (id !== null && this.hashed) payload.jti = id;
      if (row.consumedAt) payload.consumed = Math.floor(row.consumedAt.getTime() / 1000);
      return payload;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const stored: Record<string, unknown> = { ...payload };
      if (this.hashed) delete stored['jti'];
      const accountId = typeof payload.accountId === 'string' && UUID.test(payload.accountId) ? payload.accountId : null;
      await upsertOAuthRecord(db, {
        model: this.model,
        id: this.key(id),
        payload: stored,
        grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
        accountId,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        expiresAt: typeof expiresIn === 'number' && expiresIn > 0 ? new Date(clock().getTime() + expiresIn * 1000) : null,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return this.restore(id, await findOAuthRecord(db, this.model, this.key(id), clock()));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.restore(null, await findOAuthRecordByUid(db, this.model, uid, clock()));
    }

    async findByUserCode(): Promise<AdapterPayload | undefined> {
      return undefined; // the device flow is off
    }

    async consume(id: string): Promise<void> {
      await consumeOAuthRecord(db, this.model, this.key(id), clock());
    }

    async destroy(id: string): Promise<void> {
      await deleteOAuthRecord(db, this.model, this.key(id));
      if (this.model === 'Grant') listener.grant(id);
      else listener.token(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await deleteOAuthRecordsOfGrant(db, this.model, grantId);
      listener.grant(grantId);
    }
  };
}
