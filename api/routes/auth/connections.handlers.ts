import type { RouteHandler } from '@hono/zod-openapi';
import { listConnections, revokeConnection } from '../../../core/auth/oauth/connections.ts';
import type { AppBindings } from '../../context.ts';
import type { listConnectionsRoute, revokeConnectionRoute } from './connections.routes.ts';

const now = (c: { get(k: 'deps'): AppBindings['Variables']['deps'] }) => (c.get('deps').clock ?? (() => new Date()))();

export const listConnectionsHandler: RouteHandler<typeof listConnectionsRoute, AppBindings> = async (c) =>
  c.json({ connections: await listConnections(c.get('deps').dbh.db, c.get('principal').userId, now(c)) }, 200);

export const revokeConnectionHandler: RouteHandler<typeof revokeConnectionRoute, AppBindings> = async (c) => {
  const { connection_id: id } = c.req.valid('param');
  const oauth = c.get('oauth');
  await revokeConnection(c.get('deps').dbh.db, c.get('principal').userId, id, (grantId) => oauth.peek()?.forgetGrant(grantId));
  c.get('log').info({ connectionId: id }, 'oauth connection revoked');
  return c.json({ message: 'Connection revoked', success: true }, 200);
};
