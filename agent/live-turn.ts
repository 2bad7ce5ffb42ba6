/** A turn being streamed: what `run.ts` runs and `finish.ts` closes. */
import type { ApprovalRow, ResumeState } from '../core/services/approvals.ts';
import type { OwnedPortfolio, Principal } from '../core/services/context.ts';
import type { BegunTurn, ConversationRow } from '../core/services/conversations.ts';
import type { Mode } from './personas.ts';
import type { AgentRuntime } from './runtime.ts';

export interface LiveTurn {
  rt: AgentRuntime;
  principal: Principal;
  conv: ConversationRow;
  mode: Mode;
  portfolio: OwnedPortfolio;
  userText: string;
  begun: BegunTurn;
  /** Set when the turn resumes after the user decided on a proposed change (`begun` then holds a new assistant row). */
  resume?: ResumedTurn;
}

export interface ResumedTurn {
  /** The approval, already moved to approved or rejected (exactly once). */
  approval: ApprovalRow;
  decision: 'approve' | 'reject';
  state: ResumeState;
}
