/** Handlers of the approvals routes: read one approval, or decide it and stream the resumed turn. */
import type { RouteHandler } from '@hono/zod-openapi';
import { prepareDecision } from '../../../agent/resume.ts';
import { getApproval } from '../../../core/services/approvals.ts';
import { serviceDeps, type AppBindings } from '../../context.ts';
import { streamPrepared } from './chat-stream.ts';
import { agentRuntime } from './runtime.ts';
import type * as R from './approvals.routes.ts';

type H<Route extends Parameters<typeof import('@hono/zod-openapi').createRoute>[0]> = RouteHandler<Route, AppBindings>;

export const getApprovalHandler: H<typeof R.getApprovalRoute> = async (c) =>
  c.json(await getApproval(serviceDeps(c), c.get('principal'), c.req.valid('param').approval_id), 200);

export const decideApprovalHandler: H<typeof R.decideApprovalRoute> = async (c) => {
  const rt = agentRuntime(c.get('deps'), serviceDeps(c));
  const turn = await prepareDecision(rt, c.get('principal'), c.req.valid('param').approval_id, c.req.valid('json').decision);
  return streamPrepared(c, turn) as never;
};
