/**
 * The user's decision on a proposed change, in two steps like a send: `prepareDecision` refuses
 * as plain HTTP before any stream (NOT_FOUND for another user's approval, CONFLICT when it was
 * already decided, has expired or a reply is streaming in the conversation), then takes the
 * decision — exactly once — and stores a new assistant row; `PreparedTurn.run` streams the
 * resumed turn: the approved call runs, or the model is told the user declined, and it answers.
 */
import type { ApprovalDecision } from '../core/contracts/approvals.ts';
import { AppError } from '../core/errors.ts';
import { beginResumedMessage, claimDecision, recordOutcome, requireDecidable } from '../core/services/approvals.ts';
import { requireOwnedPortfolio, type Principal } from '../core/services/context.ts';
import { requireConversation } from '../core/services/conversations.ts';
import type { LiveTurn } from './live-turn.ts';
import { isMode, type Mode } from './personas.ts';
import { runLiveTurn } from './run.ts';
import type { AgentRuntime } from './runtime.ts';
import type { PreparedTurn } from './turn.ts';

export async function prepareDecision(rt: AgentRuntime, principal: Principal, approvalId: string, decision: ApprovalDecision): Promise<PreparedTurn> {
  const { row, resume } = await requireDecidable(rt.deps, principal, approvalId);
  const conv = await requireConversation(rt.deps, principal, row.conversationId);
  if (rt.active.has(conv.id)) throw new AppError('CONFLICT', 'a reply is still streaming in this conversation; decide once it has finished');
  rt.active.add(conv.id);
  try {
    const portfolio = await requireOwnedPortfolio(rt.deps.db, principal, resume.portfolio_id);
    const approval = await claimDecision(rt.deps, principal, row.id, decision);
    let assistantMessageId: string;
    try {
      assistantMessageId = await beginResumedMessage(rt.deps, conv.id, rt.model.model);
    } catch (err) {
      // Decided but not carried out: say so on the approval rather than leave it looking approved.
      await recordOutcome(rt.deps, approval.id, { status: 'failed', result: { ok: false, error: 'the turn could not be resumed; nothing was changed' } }).catch(() => {});
      throw err;
    }
    const t: LiveTurn = {
      rt, principal, conv, portfolio, mode: (isMode(resume.mode) ? resume.mode : 'green') as Mode, userText: '',
      begun: { userMessageId: resume.user_message_id, assistantMessageId, replay: null },
      resume: { approval, decision, state: resume },
    };
    return { conversationId: conv.id, run: (sink, signal) => runLiveTurn(t, sink, signal) };
  } catch (err) {
    rt.active.delete(conv.id);
    throw err;
  }
}
