/** Route contracts of the approvals of agent write proposals, `/api/v1/chat/approvals/*`. */
import { createRoute } from '@hono/zod-openapi';
import { ApprovalDecisionBodySchema, ApprovalParamsSchema, ApprovalSchema } from '../../../core/contracts/approvals.ts';
import { text } from '../../../core/contracts/common.ts';
import { ok, problems, SECURED } from '../responses.ts';

const P = '/api/v1/chat/approvals/{approval_id}';

export const getApprovalRoute = createRoute({
  method: 'get', path: P, tags: ['Chat'], security: SECURED, summary: 'A change the agent proposed: what it does, its status and, once decided, its outcome',
  request: { params: ApprovalParamsSchema },
  responses: { ...ok(ApprovalSchema, 'The approval'), ...problems(401, 404, 429) },
});

export const decideApprovalRoute = createRoute({
  method: 'post', path: P, tags: ['Chat'], security: SECURED, summary: 'Approve or reject a change the agent proposed; the resumed reply streams as server-sent events',
  description:
    'The agent never runs a write tool on its own: it proposes the exact change (`approval_required` event) and its turn ends waiting. ' +
    'approve runs the stored call exactly once and the agent answers with its result; reject tells the agent you declined, and nothing is changed. ' +
    'The stream has the same events as /chat/send and ends with one `done` or `error`. Before it opens, errors are problem+json: ' +
    '404 for an unknown or another user\'s approval; 409 when it was already decided (a second submit never runs the change again; GET shows the outcome), ' +
    'when it expired (15 minutes after it was proposed, or a later message in the conversation superseded it), or while a reply is streaming in the conversation; 422 for a bad body.',
  request: { params: ApprovalParamsSchema, body: { content: { 'application/json': { schema: ApprovalDecisionBodySchema } }, required: true } },
  responses: {
    200: { content: { 'text/event-stream': { schema: text().describe('server-sent events: message_created, start, tool_call and tool_result of the approved change (or info approval_rejected), response_id, token…, then one done or error') } }, description: 'The resumed reply as server-sent events' },
    ...problems(401, 404, 409, 422, 429),
  },
});
