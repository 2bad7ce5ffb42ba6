/** A turn being streamed: what `run.ts` runs and `finish.ts` closes. */
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
}
