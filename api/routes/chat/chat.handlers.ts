/** Handlers of the reference chat family: each reads the validated input and calls one service. */
import type { RouteHandler } from '@hono/zod-openapi';
import { createConversation, deleteConversation, listConversationMessages, listConversations, requireConversation, setConversationMode, toConversation } from '../../../core/services/conversations.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';
import { streamTurn } from './chat-stream.ts';
import type * as R from './chat.routes.ts';

type H<Route extends Parameters<typeof import('@hono/zod-openapi').createRoute>[0]> = RouteHandler<Route, AppBindings>;

export const createConversationHandler: H<typeof R.createConversationRoute> = async (c) => {
  const body = c.req.valid('json') ?? {};
  return c.json(toConversation(await createConversation(serviceDeps(c), c.get('principal'), body)), 201);
};

export const listConversationsHandler: H<typeof R.listConversationsRoute> = async (c) =>
  c.json(await listConversations(serviceDeps(c), c.get('principal'), c.req.valid('query')), 200);

export const getConversationHandler: H<typeof R.getConversationRoute> = async (c) =>
  c.json(toConversation(await requireConversation(serviceDeps(c), c.get('principal'), c.req.valid('param').conversation_id)), 200);

export const setModeHandler: H<typeof R.setModeRoute> = async (c) =>
  c.json(await setConversationMode(serviceDeps(c), c.get('principal'), c.req.valid('param').conversation_id, c.req.valid('json').mode), 200);

export const deleteConversationHandler: H<typeof R.deleteConversationRoute> = async (c) => {
  await deleteConversation(serviceDeps(c), c.get('principal'), c.req.valid('param').conversation_id);
  return c.body(null, 204);
};

export const listMessagesHandler: H<typeof R.listMessagesRoute> = async (c) =>
  c.json(await listConversationMessages(serviceDeps(c), c.get('principal'), c.req.valid('param').conversation_id, c.req.valid('query')), 200);

export const sendHandler: H<typeof R.sendRoute> = async (c) => {
  const body = c.req.valid('json');
  return streamTurn(c, c.get('principal'), { conversationId: body.conversation_id, text: body.text, clientRequestId: body.client_request_id }) as never;
};
