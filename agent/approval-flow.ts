/**
 * The two halves of a write the agent may not make on its own. `proposeChange` runs when the
 * model calls a tool that needs approval: the call is checked and described, stored as a pending
 * approval with the state to resume from, and announced as `approval_required`; nothing runs.
 * `applyDecision` runs when the turn resumes: on approve the stored call runs exactly once (on its
 * own time limit, so a client that goes away does not cut the write short), on reject the model
 * is told the user declined; either outcome is stored on the approval and becomes the call's
 * output in the resumed model conversation.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { expiresAt, proposeChange as storeProposal, recordOutcome } from '../core/services/approvals.ts';
import type { ToolCallInput } from '../core/services/conversations.ts';
import { describeChange } from './approval-summary.ts';
import type { RunEmitter } from './events.ts';
import type { LiveTurn, ResumedTurn } from './live-turn.ts';
import { toolMessage, type Proposal, type ResumePoint } from './loop.ts';
import type { ToolCallRequest } from './model.ts';
import { boundArgs, callTool, refusedOutcome, type ToolOutcome, type Toolset } from './tools.ts';
import type { InProcessMcp } from '../mcp-server/in-process.ts';

/** Path of the decision endpoint for an approval. */
export const decideUrl = (id: string) => `/api/v1/chat/approvals/${id}`;

/** What the assistant says while the change waits. */
export function waitingText(summary: string, approvalId: string, expires: Date): string {
  return `Waiting for your approval. I have not made this change; it runs only if you approve it:\n\n${summary}\n\nApprove or reject it (approval ${approvalId}) before ${expires.toISOString().slice(0, 16).replace('T', ' ')} UTC.`;
}

export interface ProposeContext {
  t: LiveTurn;
  em: RunEmitter;
  toolset: Toolset;
}

/** Checks, describes and stores one write call; a call that could not run is refused back to the model. */
export async function proposeChange(c: ProposeContext, call: ToolCallRequest, at: ResumePoint, shownArgs: Record<string, unknown>): Promise<Proposal> {
  const { t, em } = c;
  void em.emit('tool_call', { tool_call_id: call.id, tool_name: call.name, tool_args: shownArgs });
  const args = boundArgs(call, { portfolioId: t.portfolio.id, toolset: c.toolset });
  if (!args) return { refused: refusedOutcome(call, {}, 'VALIDATION: the arguments are not a JSON object. Hint: call again with a JSON object matching the tool schema.') };
  const check = await describeChange({ deps: t.rt.deps, principal: t.principal, portfolio: t.portfolio, tool: call.name, args });
  if (!check.ok) return { refused: refusedOutcome(call, args, check.error) };
  const row = await storeProposal(t.rt.deps, t.principal, {
    conversationId: t.conv.id, toolCallId: call.id, toolName: call.name, arguments: args, summary: check.summary,
    resume: {
      portfolio_id: t.portfolio.id, mode: t.mode, user_message_id: t.begun.userMessageId, assistant_message_id: t.begun.assistantMessageId,
      messages: at.messages as unknown as Array<Record<string, unknown>>, tool_rounds: at.toolRounds, tool_calls: at.toolCalls,
    },
  });
  const expires = expiresAt(row);
  void em.emit('approval_required', { approval_id: row.id, tool_call_id: call.id, tool_name: call.name, arguments: args, summary: check.summary, expires_at: expires.toISOString(), decide_url: decideUrl(row.id) });
  t.rt.deps.log.info({ conversationId: t.conv.id, approvalId: row.id, tool: call.name }, 'change proposed, awaiting approval');
  return { pending: { approvalId: row.id, callId: call.id, name: call.name, text: waitingText(check.summary, row.id, expires) } };
}

export interface DecisionContext {
  t: LiveTurn & { resume: ResumedTurn };
  em: RunEmitter;
  mcp: InProcessMcp;
  toolset: Toolset;
  /** Stores the call row on the resumed assistant message. */
  record: (row: ToolCallInput) => void;
  /** Whether `tool_result` carries the full structured result. */
  debug: boolean;
}

/** The outcome of the decision, stored on the approval, as the model conversation to resume with. */
export async function applyDecision(c: DecisionContext): Promise<{ messages: ChatCompletionMessageParam[]; start: { toolRounds: number; toolCalls: number } }> {
  const { t, em } = c;
  const { approval, decision, state } = t.resume;
  const call: ToolCallRequest = { id: approval.toolCallId, name: approval.toolName, arguments: JSON.stringify(approval.arguments) };
  let outcome: ToolOutcome;
  if (decision === 'approve') {
    void em.emit('tool_call', { tool_call_id: call.id, tool_name: call.name, tool_args: approval.arguments });
    const timeoutMs = t.rt.limits.toolTimeoutMs;
    outcome = await callTool(c.mcp.client, call, { portfolioId: state.portfolio_id, toolset: c.toolset, timeoutMs, signal: AbortSignal.timeout(timeoutMs), approved: true });
    await recordOutcome(t.rt.deps, approval.id, { status: outcome.ok ? 'approved' : 'failed', result: outcome.ok ? { ok: true, summary: outcome.preview, data: outcome.structured } : { ok: false, error: outcome.error } });
    void em.emit('tool_result', { tool_call_id: outcome.callId, tool_name: outcome.name, ok: outcome.ok, row_count: outcome.rowCount, truncated: outcome.truncated, preview: outcome.preview, duration_ms: outcome.durationMs, ...(c.debug ? { tool_result: outcome.structured ?? outcome.error } : {}) });
    t.rt.deps.log.info({ conversationId: t.conv.id, approvalId: approval.id, tool: call.name, ok: outcome.ok }, 'approved change ran');
  } else {
    outcome = refusedOutcome(call, approval.arguments, `DECLINED: the user rejected this change, so it was not made: ${approval.summary} Hint: tell the user nothing was changed; propose it again only if they ask.`);
    await recordOutcome(t.rt.deps, approval.id, { status: 'rejected', result: { ok: false, declined: true } });
    void em.emit('info', { info_type: 'approval_rejected', approval_id: approval.id, tool_name: call.name });
  }
  c.record({ tool_call_id: outcome.callId, name: outcome.name, arguments: outcome.args, ok: outcome.ok, row_count: outcome.rowCount, truncated: outcome.truncated, result_bytes: outcome.resultBytes, duration_ms: outcome.durationMs, error: outcome.error, round: state.tool_rounds });
  const messages = [...(state.messages as unknown as ChatCompletionMessageParam[]), toolMessage(outcome)];
  return { messages, start: { toolRounds: state.tool_rounds, toolCalls: state.tool_calls } };
}
