/** Route contracts of the seed-guide agent family `/api/v1/agent/*`. */
import { createRoute, z } from '@hono/zod-openapi';
import { AgentChatBodySchema, AgentChatQuerySchema, AgentHealthSchema, AgentToolSchema, ConversationSchema, PageQuerySchema } from '../../../core/contracts/chat.ts';
import { ok, problems, SECURED } from '../responses.ts';
import { SSE_RESPONSE } from '../chat/chat.routes.ts';

export const agentHealthRoute = createRoute({
  method: 'get', path: '/api/v1/agent/health', tags: ['Agent'], summary: 'Whether the agent runs on a language model or the offline responder',
  responses: { ...ok(AgentHealthSchema, 'Agent status') },
});

export const agentToolsRoute = createRoute({
  method: 'get', path: '/api/v1/agent/tools', tags: ['Agent'], security: SECURED, summary: 'The tools offered to the model (from the MCP tool list)',
  responses: { ...ok(z.object({ tools: z.array(AgentToolSchema) }).openapi('AgentTools'), 'Tools'), ...problems(401, 429) },
});

export const agentChatRoute = createRoute({
  method: 'post', path: '/api/v1/agent/chat', tags: ['Agent'], security: SECURED, summary: 'Ask the agent about a portfolio; the reply streams as server-sent events',
  description: 'Continues `conversation_id` when given (it must be on `portfolio_id`), else starts a conversation. A foreign portfolio or conversation answers 404 before any stream.',
  request: { body: { content: { 'application/json': { schema: AgentChatBodySchema } }, required: true } },
  responses: { ...SSE_RESPONSE, ...problems(401, 404, 409, 422, 429) },
});

export const agentChatStreamRoute = createRoute({
  method: 'get', path: '/api/v1/agent/chat/stream', tags: ['Agent'], security: SECURED, summary: 'The same as POST /agent/chat, for EventSource (cookie or bearer)',
  request: { query: AgentChatQuerySchema },
  responses: { ...SSE_RESPONSE, ...problems(401, 404, 409, 422, 429) },
});

export const agentSessionsRoute = createRoute({
  method: 'get', path: '/api/v1/agent/sessions', tags: ['Agent'], security: SECURED, summary: 'Your conversations (agent sessions), most recently active first',
  request: { query: PageQuerySchema },
  responses: { ...ok(z.array(ConversationSchema), 'Conversations'), ...problems(401, 422, 429) },
});
