/**
 * What a tool call runs with: the service dependencies and the principal the server acts for.
 * One server instance serves exactly one principal (a stdio user, an HTTP bearer, a chat user),
 * so no tool can reach another user's data.
 */
import type { BatchServiceDeps } from '../core/batch/service.ts';
import type { Principal, ServiceDeps } from '../core/services/context.ts';

export interface McpContext {
  deps: ServiceDeps;
  principal: Principal;
  /** Where tool calls come from, for logs and batch triggers: the chat agent, an HTTP client or stdio. */
  channel: 'agent' | 'http' | 'stdio';
  /** The server's batch runtime (runner, schedule); without one, runs execute in this process. */
  batch?: BatchServiceDeps;
  /**
   * Aborts when the caller cancels this tool call or goes away (the SDK's request signal). Tools
   * get a database view that starts no statement after it fired; long computations may check it.
   */
  signal?: AbortSignal;
  /**
   * The OAuth scopes of the caller's access token (portfolio:read, portfolio:write, batch:run):
   * tools beyond them are left out of the server and their calls refused (see scopes.ts).
   * Absent for session tokens, stdio and the agent, which may call every tool.
   */
  allowedScopes?: readonly string[];
  /**
   * Reports progress of this tool call to the client (MCP `notifications/progress`); present only
   * when the client asked for it with a progress token in the call's `_meta`.
   */
  progress?: (done: number, total: number, message: string) => Promise<void>;
}
