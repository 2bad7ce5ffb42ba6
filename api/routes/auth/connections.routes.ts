import { createRoute } from '@hono/zod-openapi';
import { MessageSchema } from '../../../core/contracts/common.ts';
import { ConnectionIdParams, ConnectionListSchema } from '../../../core/contracts/connections.ts';
import { ok, problems, SECURED } from '../responses.ts';

const tags = ['Auth'];

export const listConnectionsRoute = createRoute({
  method: 'get',
  path: '/api/v1/auth/connections',
  tags,
  summary: 'Applications you have connected over OAuth',
  description: 'The OAuth clients (Claude, ChatGPT, VS Code …) you allowed to use your SigmaSight MCP tools: name, client id, scopes, when you allowed it and when it was last used.',
  security: SECURED,
  responses: { ...ok(ConnectionListSchema, 'Your connections, newest first'), ...problems(401, 429) },
});

export const revokeConnectionRoute = createRoute({
  method: 'delete',
  path: '/api/v1/auth/connections/{connection_id}',
  tags,
  summary: 'Revoke a connection',
  description: 'Deletes the grant and every token issued under it: its access tokens answer 401 from now on and its refresh tokens no longer work. Another user\'s connection id answers 404.',
  security: SECURED,
  request: { params: ConnectionIdParams },
  responses: { ...ok(MessageSchema, 'Revoked'), ...problems(401, 404, 429) },
});
