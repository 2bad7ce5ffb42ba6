/**
 * Handlers of the seed-guide agent family. The chat routes share `streamTurn` with the reference
 * `/chat/send`; a missing `conversation_id` starts a conversation on `portfolio_id` (404 when the
 * portfolio is not the caller's, before any stream).
 */
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import type { AgentChatQuerySchema } from '../../../core/contracts/chat.ts';
import { AppError } from '../../../core/errors.ts';
import { requireOwnedPortfolio } from '../../../core/services/context.ts';
import { createConversation, listConversations, requireConversation } from '../../../core/services/conversations.ts';
import { agentToolList } from '../../../agent/catalogue.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';
import { streamTurn } from '../chat/chat-stream.ts';
import { agentRuntime } from '../chat/runtime.ts';
import type * as R from './agent.routes.ts';

type H<Route extends Parameters<typeof import('@hono/zod-openapi').createRoute>[0]> = RouteHandler<Route, AppBindings>;

export const agentHealthHandler: H<typeof R.agentHealthRoute> = async (c) => {
  const rt = agentRuntime(c.get('deps'), serviceDeps(c));
  const tools = await agentToolList(rt.deps);
  return c.json({ status: 'ok' as const, provider: rt.model.provider, model: rt.model.model, tools: tools.length }, 200);
};

export const agentToolsHandler: H<typeof R.agentToolsRoute> = async (c) => c.json({ tools: await agentToolList(serviceDeps(c), c.get('principal')) }, 200);

export const agentSessionsHandler: H<typeof R.agentSessionsRoute> = async (c) =>
  c.json(await listConversations(serviceDeps(c), c.get('principal'), c.req.valid('query')), 200);

async function chat(c: Context<AppBindings>, input: z.infer<typeof AgentChatQuerySchema>): Promise<Response> {
  const deps = serviceDeps(c);
  const principal = c.get('principal');
  const portfolio = await requireOwnedPortfolio(deps.db, principal, input.portfolio_id);
  const message = input.message;
  if (!message) throw new AppError('VALIDATION', 'the request is not valid', { details: { errors: [{ path: 'message', message: 'Required' }] } });
  let conversationId = input.conversation_id;
  if (conversationId) {
    const conv = await requireConversation(deps, principal, conversationId);
    if (conv.portfolioId !== portfolio.id) throw new AppError('VALIDATION', 'conversation_id belongs to another portfolio; omit it to start a conversation on this one');
  } else {
    conversationId = (await createConversation(deps, principal, { portfolio_id: portfolio.id })).id;
  }
  return streamTurn(c, principal, { conversationId, text: message, clientRequestId: input.client_request_id });
}

export const agentChatHandler: H<typeof R.agentChatRoute> = async (c) => (await chat(c, c.req.valid('json'))) as never;

export const agentChatStreamHandler: H<typeof R.agentChatStreamRoute> = async (c) => (await chat(c, c.req.valid('query'))) as never;
