/** OAuth connections: the applications a user has authorized to use SigmaSight's MCP tools. */
import { z } from '@hono/zod-openapi';
import { MCP_SCOPES } from '../auth/oauth/scopes.ts';
import { text } from './common.ts';

export const ConnectionSchema = z
  .object({
    id: text().describe('connection id (the OAuth grant id); DELETE it to revoke the connection'),
    client_id: text().describe('OAuth client id: an https URL for a client known by its metadata document, else the id given at dynamic registration'),
    client_name: text().describe('the application as it named itself when you authorized it'),
    scopes: z.array(z.enum(MCP_SCOPES)).describe('what the application may do: portfolio:read, portfolio:write, batch:run'),
    created_at: text().describe('UTC ISO-8601 time you authorized it'),
    last_used_at: text().nullable().describe('UTC ISO-8601 time one of its access tokens was last used (recorded at most once a minute), or null'),
  })
  .openapi('Connection');
export type Connection = z.infer<typeof ConnectionSchema>;

export const ConnectionListSchema = z
  .object({ connections: z.array(ConnectionSchema).describe('newest first') })
  .openapi('ConnectionList');
export type ConnectionList = z.infer<typeof ConnectionListSchema>;

export const ConnectionIdParams = z.object({
  connection_id: text().min(1).max(128).describe('connection id').openapi({ param: { name: 'connection_id', in: 'path' }, example: 'b6Jw0xkQe1mNq2Zr9TtUv' }),
});
