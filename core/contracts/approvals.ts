/**
 * Approval contracts: a change the chat agent proposed to the user's book (a write tool call it
 * may not run on its own), as the `approval_required` event and `GET /chat/approvals/{id}` show
 * it, and the user's decision that resumes the turn.
 */
import { z } from '@hono/zod-openapi';
import { text } from './common.ts';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'failed'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const ApprovalParamsSchema = z.object({
  approval_id: text().min(1).max(64).openapi({ param: { name: 'approval_id', in: 'path' }, example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }).describe('approval id from the approval_required event'),
});

export const ApprovalDecisionBodySchema = z
  .object({
    decision: z.enum(['approve', 'reject']).describe('approve: run the change exactly as shown, once; reject: do not make it (the agent is told you declined)'),
  })
  .strict()
  .openapi('ApprovalDecision');
export type ApprovalDecision = z.infer<typeof ApprovalDecisionBodySchema>['decision'];

export const ApprovalSchema = z
  .object({
    id: text().describe('approval id'),
    conversation_id: text().describe('conversation the change was proposed in'),
    tool_call_id: text().describe("the model's tool call id"),
    tool_name: text().describe('the write tool that runs on approval'),
    arguments: z.record(text(), z.unknown()).describe('the exact arguments it runs with (portfolio_id bound by the server)'),
    summary: text().describe('the change in plain words, with the values before and after for an edit'),
    status: z.enum(APPROVAL_STATUSES).describe('pending until decided; approved (ran), failed (ran and the tool refused), rejected, or expired (too old, or superseded by a later message)'),
    created_at: text().describe('when the change was proposed (ISO 8601)'),
    expires_at: text().describe('a pending approval can be decided until then (ISO 8601)'),
    decided_at: text().nullable().describe('when it was approved, rejected or expired (ISO 8601)'),
    result: z.record(text(), z.unknown()).nullable().describe('outcome once decided: ok, the tool summary or error'),
  })
  .openapi('Approval');
export type Approval = z.infer<typeof ApprovalSchema>;
