/**
 * Approvals of the chat agent's write proposals. When the model calls a tool that changes the
 * user's book, the call is not run: it is stored here as a pending approval with the exact
 * arguments, a plain-language summary and the state needed to resume the turn. The user decides
 * once: the decision is a conditional update from `pending`, so a double submit or a race never
 * runs the tool twice. An approval is decidable for APPROVAL_TTL_MS after it was proposed and
 * until a later message in the conversation supersedes it; another user's id is NOT_FOUND.
 */
import { z } from '@hono/zod-openapi';
import * as q from '../../db/queries/approvals.ts';
import { latestMessageAt } from '../../db/queries/chat.ts';
import type { Approval, ApprovalDecision } from '../contracts/approvals.ts';
import { AppError, notFound } from '../errors.ts';
import { UUID_LIKE, type Principal, type ServiceDeps } from './context.ts';

export type { ApprovalRow } from '../../db/queries/approvals.ts';

/** How long a proposed change can be approved or rejected, ms. */
export const APPROVAL_TTL_MS = 15 * 60_000;

/** What the agent needs to resume a turn after the decision (stored as `resume`). */
export const ResumeStateSchema = z.object({
  portfolio_id: z.string(),
  mode: z.string(),
  user_message_id: z.string(),
  assistant_message_id: z.string(),
  /** The model conversation up to the proposal: the assistant's tool calls and the outputs of the others. */
  messages: z.array(z.record(z.string(), z.unknown())),
  tool_rounds: z.number().int(),
  tool_calls: z.number().int(),
});
export type ResumeState = z.infer<typeof ResumeStateSchema>;

export const expiresAt = (row: Pick<q.ApprovalRow, 'createdAt'>): Date => new Date(row.createdAt.getTime() + APPROVAL_TTL_MS);

export function toApproval(row: q.ApprovalRow): Approval {
  return {
    id: row.id, conversation_id: row.conversationId, tool_call_id: row.toolCallId, tool_name: row.toolName, arguments: row.arguments, summary: row.summary,
    status: row.status, created_at: row.createdAt.toISOString(), expires_at: expiresAt(row).toISOString(), decided_at: row.decidedAt?.toISOString() ?? null, result: row.result ?? null,
  };
}

export interface ProposalInput {
  conversationId: string;
  toolCallId: string;
  toolName: string;
  arguments: Record<string, unknown>;
  summary: string;
  resume: ResumeState;
}

/** Stores a proposed change as pending. */
export async function proposeChange(deps: ServiceDeps, principal: Principal, p: ProposalInput): Promise<q.ApprovalRow> {
  return q.insertApproval(deps.db, { userId: principal.userId, conversationId: p.conversationId, toolCallId: p.toolCallId, toolName: p.toolName, arguments: p.arguments, summary: p.summary, resume: p.resume, createdAt: deps.clock() });
}

/** The caller's approval, or NOT_FOUND (also for a malformed or foreign id). A pending one past its time is marked expired first. */
export async function requireApproval(deps: ServiceDeps, principal: Principal, id: string): Promise<q.ApprovalRow> {
  const row = UUID_LIKE.test(id) ? await q.findApproval(deps.db, principal.userId, id) : null;
  if (!row) throw notFound('approval', id);
  const now = deps.clock();
  if (row.status === 'pending' && expiresAt(row) <= now) {
    await q.expirePending(deps.db, { id: row.id }, now, 'timed_out', new Date(now.getTime() - APPROVAL_TTL_MS));
    return (await q.findApproval(deps.db, principal.userId, id)) ?? row;
  }
  return row;
}

export async function getApproval(deps: ServiceDeps, principal: Principal, id: string): Promise<Approval> {
  return toApproval(await requireApproval(deps, principal, id));
}

/** Why a decision cannot be taken any more, in words (409). */
function notDecidable(row: q.ApprovalRow): AppError {
  const at = row.decidedAt ? ` at ${row.decidedAt.toISOString()}` : '';
  const r = row.result ?? {};
  switch (row.status) {
    case 'expired':
      return new AppError('CONFLICT', r['reason'] === 'superseded'
        ? `approval ${row.id} expired: a later message in the conversation superseded it${at}; ask the agent again to propose the change`
        : `approval ${row.id} expired: a proposed change can be decided for ${APPROVAL_TTL_MS / 60_000} minutes (it was proposed at ${row.createdAt.toISOString()}); ask the agent again to propose it`);
    case 'rejected':
      return new AppError('CONFLICT', `approval ${row.id} was already rejected${at}; nothing was changed`);
    case 'approved':
    case 'failed': {
      const outcome = typeof r['summary'] === 'string' ? `: ${r['summary']}` : typeof r['error'] === 'string' ? `: ${r['error']}` : ' and is being carried out';
      return new AppError('CONFLICT', `approval ${row.id} was already approved${at}; the change ran once${row.status === 'failed' ? ' and failed' : ''}${outcome}. GET /api/v1/chat/approvals/${row.id} shows the outcome`);
    }
    default:
      return new AppError('CONFLICT', `approval ${row.id} is being decided by another request`);
  }
}

/** The caller's approval if it can still be decided; NOT_FOUND or CONFLICT (decided, expired) otherwise. */
export async function requireDecidable(deps: ServiceDeps, principal: Principal, id: string): Promise<{ row: q.ApprovalRow; resume: ResumeState }> {
  const row = await requireApproval(deps, principal, id);
  if (row.status !== 'pending') throw notDecidable(row);
  const resume = ResumeStateSchema.safeParse(row.resume);
  if (!resume.success) throw new AppError('CONFLICT', `approval ${row.id} cannot resume its turn (its stored state is unreadable); ask the agent again`);
  return { row, resume: resume.data };
}

/** Takes the decision: exactly one caller wins; the others get CONFLICT with the stored outcome. */
export async function claimDecision(deps: ServiceDeps, principal: Principal, id: string, decision: ApprovalDecision): Promise<q.ApprovalRow> {
  const at = deps.clock();
  const row = await q.claimDecision(deps.db, { id, userId: principal.userId, status: decision === 'approve' ? 'approved' : 'rejected', at, createdAfter: new Date(at.getTime() - APPROVAL_TTL_MS) });
  if (row) return row;
  throw notDecidable(await requireApproval(deps, principal, id));
}

/** Stores what the approved call did (failed when the tool refused), or the rejection. */
export async function recordOutcome(deps: ServiceDeps, id: string, o: { status: 'approved' | 'rejected' | 'failed'; result: Record<string, unknown> }): Promise<void> {
  await q.setApprovalOutcome(deps.db, id, o);
}

/** A new message in the conversation supersedes the changes still waiting there. */
export async function supersedePending(deps: ServiceDeps, conversationId: string): Promise<number> {
  return q.expirePending(deps.db, { conversationId }, deps.clock(), 'superseded');
}

/** The assistant row for the resumed part of a turn, ordered after every earlier message. */
export async function beginResumedMessage(deps: ServiceDeps, conversationId: string, model: string): Promise<string> {
  const latest = await latestMessageAt(deps.db, conversationId);
  const now = deps.clock();
  return q.insertAssistantMessage(deps.db, { conversationId, model, at: latest && latest >= now ? new Date(latest.getTime() + 1) : now });
}
