/** Route contracts of the reference chat family `/api/v1/chat/*` (api.md 11). */
import { createRoute, z } from '@hono/zod-openapi';
import { ConversationSchema, CreateConversationBodySchema, MessagesPageSchema, MessagesQuerySchema, ModeBodySchema, ModeChangedSchema, PageQuerySchema, SendBodySchema } from '../../../core/contracts/chat.ts';
import { ok, problems, SECURED } from '../responses.ts';
import { text } from '../../../core/contracts/common.ts';

const C = '/api/v1/chat/conversations';
const IdParams = z.object({ conversation_id: text().min(1).max(64).describe('conversation id') });

/** The SSE answer of a send (agent.md 7.3): event, id (= seq) and one JSON data line per event. */
export const SSE_RESPONSE = {
  200: { content: { 'text/event-stream': { schema: text().describe('server-sent events: message_created, start, response_id, token, tool_call, tool_result, heartbeat, info, then one done or error') } }, description: 'The reply as server-sent events' },
};

export const createConversationRoute = createRoute({
  method: 'post', path: C, tags: ['Chat'], security: SECURED, summary: 'Start a conversation on one of your portfolios',
  request: { body: { content: { 'application/json': { schema: CreateConversationBodySchema } }, required: false } },
  responses: { 201: { content: { 'application/json': { schema: ConversationSchema } }, description: 'The new conversation' }, ...problems(401, 404, 422, 429) },
});

export const listConversationsRoute = createRoute({
  method: 'get', path: C, tags: ['Chat'], security: SECURED, summary: 'Your conversations, most recently active first',
  request: { query: PageQuerySchema },
  responses: { ...ok(z.array(ConversationSchema), 'Conversations'), ...problems(401, 422, 429) },
});

export const getConversationRoute = createRoute({
  method: 'get', path: `${C}/{conversation_id}`, tags: ['Chat'], security: SECURED, summary: 'One of your conversations',
  request: { params: IdParams },
  responses: { ...ok(ConversationSchema, 'The conversation'), ...problems(401, 404, 429) },
});

export const setModeRoute = createRoute({
  method: 'put', path: `${C}/{conversation_id}/mode`, tags: ['Chat'], security: SECURED, summary: 'Switch the persona of a conversation from its next turn',
  request: { params: IdParams, body: { content: { 'application/json': { schema: ModeBodySchema } }, required: true } },
  responses: { ...ok(ModeChangedSchema, 'The change'), ...problems(401, 404, 422, 429) },
});

export const deleteConversationRoute = createRoute({
  method: 'delete', path: `${C}/{conversation_id}`, tags: ['Chat'], security: SECURED, summary: 'Delete a conversation and its messages',
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...problems(401, 404, 429) },
});

export const listMessagesRoute = createRoute({
  method: 'get', path: `${C}/{conversation_id}/messages`, tags: ['Chat'], security: SECURED, summary: 'Messages of a conversation, oldest first, with their tool calls',
  request: { params: IdParams, query: MessagesQuerySchema },
  responses: { ...ok(MessagesPageSchema, 'A page of messages'), ...problems(401, 404, 422, 429) },
});

export const sendRoute = createRoute({
  method: 'post', path: '/api/v1/chat/send', tags: ['Chat'], security: SECURED, summary: 'Send a message; the reply streams as server-sent events',
  description: 'Errors before the stream opens are problem+json (404 conversation, 409 a reply already streaming, 422). After it opens, a failure is the one terminal `error` event.',
  request: { body: { content: { 'application/json': { schema: SendBodySchema } }, required: true } },
  responses: { ...SSE_RESPONSE, ...problems(401, 404, 409, 422, 429) },
});
