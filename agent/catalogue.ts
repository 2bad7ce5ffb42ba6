/**
 * The tools the model is offered, as `GET /agent/tools` shows them: listed from the in-process
 * MCP server and converted exactly as the loop converts them (portfolio id bound server-side).
 */
import type { Principal, ServiceDeps } from '../core/services/context.ts';
import { connectInProcess } from '../mcp-server/in-process.ts';
import { loadToolset } from './tools.ts';

/** Listing tools runs no service, so a caller-less listing (for health) acts for nobody. */
const NOBODY: Principal = { userId: '00000000-0000-0000-0000-000000000000', email: 'nobody@localhost', role: 'user' };

export interface AgentTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  read_only: boolean;
  requires_approval: boolean;
}

export async function agentToolList(deps: ServiceDeps, principal: Principal = NOBODY): Promise<AgentTool[]> {
  const mcp = await connectInProcess({ deps, principal, channel: 'agent' });
  try {
    const set = await loadToolset(mcp.client);
    return set.functions.map((f, i) => ({
      name: f.function.name,
      description: f.function.description ?? '',
      parameters: (f.function.parameters ?? {}) as Record<string, unknown>,
      read_only: set.tools[i]?.annotations?.readOnlyHint ?? false,
      requires_approval: set.requiresApproval.has(f.function.name),
    }));
  } finally {
    await mcp.close();
  }
}
