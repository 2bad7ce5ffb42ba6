/**
 * A user's OAuth connections: each grant they gave an application (client, scopes, when, last
 * use), and revoking one with every token issued under it. Scoped to the user: another user's
 * connection id answers NOT_FOUND, as an unknown one does.
 */
import type { Db } from '../../../db/client.ts';
import { deleteGrantOfAccount, listGrantsOfAccount } from '../../../db/queries/oauth.ts';
import type { Connection } from '../../contracts/connections.ts';
import { notFound } from '../../errors.ts';
import { mcpScopesOf } from './scopes.ts';

export async function listConnections(db: Db, userId: string, now: Date): Promise<Connection[]> {
  const rows = await listGrantsOfAccount(db, userId, now);
  return rows.map((r) => {
    const resources = (r.payload['resources'] ?? {}) as Record<string, string>;
    const clientId = String(r.payload['clientId'] ?? '');
    return {
      id: r.id,
      client_id: clientId,
      client_name: r.clientName ?? clientId,
      scopes: mcpScopesOf(Object.values(resources).join(' ')),
      created_at: r.createdAt.toISOString(),
      last_used_at: r.lastUsedAt?.toISOString() ?? null,
    };
  });
}

/** Deletes the connection and all its tokens; `forget` drops them from this process's token cache. */
export async function revokeConnection(db: Db, userId: string, id: string, forget: (grantId: string) => void): Promise<void> {
  if (!(await deleteGrantOfAccount(db, userId, id))) throw notFound('connection', id);
  forget(id);
}
