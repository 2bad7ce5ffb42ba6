/**
 * Long-running tool calls as MCP tasks, for clients that ask for one. On the 2025-11-25 revision
 * tasks are core protocol: the server capability `tasks` (tool calls, listing), the tool's
 * `execution.taskSupport: 'optional'`, a `tools/call` with `params.task` answered by a
 * CreateTaskResult, then `tasks/get`, `tasks/result` (which waits for the end) and `tasks/list`;
 * over a connection that carries notifications (stdio, the in-process client) the server also
 * sends `notifications/tasks/status` as the task moves on.
 * On 2026-07-28 they are the `io.modelcontextprotocol/tasks` extension: a client declares it in
 * the request's capabilities, the call is answered with `resultType: 'task'`, and `tasks/get`
 * carries the result once the task is done; `tasks/cancel` is acknowledged. The wire shapes and
 * the request parameters checked here are those published in @modelcontextprotocol/ext-tasks.
 *
 * A task is work its tool already keeps in the database (a batch run): the task id is that work's
 * id and every request reads its state afresh, scoped to the caller like any other read. Tasks
 * therefore outlive stateless HTTP requests and are answered by any server of the pool; another
 * user's task id answers "not found", and `tasks/list` lists the caller's own. A call that asks
 * for no task is answered exactly as before.
 */
import { MissingRequiredClientCapabilityError, ProtocolError, ProtocolErrorCode, type CallToolResult, type McpServer, type ServerContext } from '@modelcontextprotocol/server';
import { GetTaskRequestV1Schema, GetTaskResultRequestV1Schema, ListTasksRequestV1Schema, TaskMetadataV1Schema, type CreateTaskResultV1, type ListTasksResultV1, type TaskV1 } from '@modelcontextprotocol/ext-tasks/core/v1';
import { CancelTaskRequestV2Schema, GetTaskRequestV2Schema, hasTaskClientCapabilityV2, TASKS_EXTENSION_ID_V2, type CreateTaskResultV2, type GetTaskResultV2 } from '@modelcontextprotocol/ext-tasks/core/v2';
import { toAppError, type ErrorCode } from '../core/errors.ts';
import { cancellableDeps } from '../core/services/context.ts';
import type { McpContext } from './context.ts';
import { toolErrorText } from './tools/define.ts';

/** Where a task stands: still working, finished (its result is the tool's answer), or finished with the work failed (the result says how). */
export type TaskState = 'working' | 'completed' | 'failed';

export interface TaskSnapshot {
  taskId: string;
  state: TaskState;
  /** What the work is doing, or how it ended, for the user or the model. */
  message: string;
  createdAt: string;
  lastUpdatedAt: string;
  /** The tool's answer once the work ended (`isError` when it failed). */
  result?: CallToolResult;
}

/** A tool whose calls may run as tasks, with the durable work behind them. */
export interface TaskTool {
  name: string;
  /** Suggested time between two polls, milliseconds. */
  pollIntervalMs: number;
  /** Recovery hints of the tool's errors (as its calls give them). */
  hints?: Partial<Record<ErrorCode, string>>;
  /** Starts (or joins) the work a call asks for and returns its task at once; @throws AppError as the tool call would fail */
  start(args: unknown, ctx: McpContext): Promise<TaskSnapshot>;
  /** The task as the caller may see it; @throws AppError NOT_FOUND for an id that is not the caller's */
  get(taskId: string, ctx: McpContext): Promise<TaskSnapshot>;
  /** The caller's tasks, newest first, at most `limit`. */
  list(ctx: McpContext, limit: number): Promise<TaskSnapshot[]>;
}

type Handler = (request: any, extra: ServerContext) => Promise<unknown>;

const RELATED_TASK = 'io.modelcontextprotocol/related-task';
/** Tasks per tasks/list page, and the newest the list reaches back to. */
const LIST_PAGE = 50;
const LIST_MAX = 200;
/** How long tasks/result waits for the end of a task before answering with an error to call again. */
const RESULT_WAIT_MS = 15 * 60_000;
const CAPABILITY = { extensions: { [TASKS_EXTENSION_ID_V2]: {} } };
/** Error codes a caller can act on (answered as invalid params rather than as an internal error). */
const CALLER_CODES = new Set<ErrorCode>(['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'TOO_LARGE', 'UNPROCESSABLE', 'FORBIDDEN']);

/** A 2026-07-28 request carries the per-request `_meta` envelope; a 2025 one never does. */
const isModern = (extra: ServerContext) => extra.mcpReq.envelope !== undefined;
const declaresTasks = (extra: ServerContext) => hasTaskClientCapabilityV2({ _meta: extra.mcpReq.envelope ?? {} });

function taskV1(s: TaskSnapshot, pollInterval: number): TaskV1 {
  return { taskId: s.taskId, status: s.state, statusMessage: s.message, createdAt: s.createdAt, lastUpdatedAt: s.lastUpdatedAt, ttl: null, ...(s.state === 'working' ? { pollInterval } : {}) };
}

/** The 2026-07-28 task: work that failed is a tool result with `isError` there (`failed` is kept for protocol errors). */
function taskV2(s: TaskSnapshot, pollIntervalMs: number) {
  const base = { taskId: s.taskId, statusMessage: s.message, createdAt: s.createdAt, lastUpdatedAt: s.lastUpdatedAt, ttlMs: null, pollIntervalMs };
  // the inlined result is the tools/call result of this revision, discriminator included
  return s.state === 'working' || !s.result ? { ...base, status: 'working' as const } : { ...base, status: 'completed' as const, result: { resultType: 'complete', ...s.result } as unknown as Record<string, never> };
}

/**
 * Sends `notifications/tasks/status` (2025-11-25) whenever the task's state or message changes,
 * until it ends, the connection goes away or the wait limit passes. Clients still poll (the
 * notification is optional); this only tells them sooner.
 */
function announce(server: McpServer, ctx: McpContext, tool: TaskTool, first: TaskSnapshot): void {
  const until = Date.now() + RESULT_WAIT_MS;
  let said = `${first.state}\u0000${first.message}`;
  const follow = async () => {
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, tool.pollIntervalMs));
      if (!server.server.transport) return;
      const s = await tool.get(first.taskId, ctx);
      const now = `${s.state}\u0000${s.message}`;
      if (now !== said) {
        said = now;
        // a 2025-11-25 notification the SDK carries but does not type (its task vocabulary has no runtime)
        await server.server.notification({ method: 'notifications/tasks/status', params: taskV1(s, tool.pollIntervalMs) } as never);
      }
      if (s.state !== 'working') return;
    }
  };
  follow().catch((err: unknown) => ctx.deps.log.debug({ err: (err as Error).message, taskId: first.taskId }, 'task status notifications stopped'));
}

/** The error a task request answers for `err`: "not found" for an id that is not the caller's, an internal error (logged) otherwise. */
function taskError(err: unknown, ctx: McpContext, op: string): ProtocolError {
  if (err instanceof ProtocolError) return err;
  const e = toAppError(err);
  if (e.code === 'NOT_FOUND' || e.code === 'VALIDATION') return new ProtocolError(ProtocolErrorCode.InvalidParams, `Failed to retrieve task: Task not found`);
  ctx.deps.log.error({ err, op }, 'task request failed');
  return new ProtocolError(ProtocolErrorCode.InternalError, `${op} failed`);
}

/**
 * Registers task support for `tool` on `server` (before it connects): the capabilities, the
 * tool's task support in tools/list, the task-augmented tools/call and the tasks/* methods. When
 * the caller's scopes left the tool out of the server, the server offers no tasks at all. Task
 * ids are the work's own ids, so one tool's tasks are all a server can tell apart. `handlers` is
 * the server's request handler table (tools/call is decorated).
 */
export function registerTasks(server: McpServer, ctx: McpContext, handlers: Map<string, Handler>, tool: TaskTool): void {
  // the SDK's registered tools (a tool the caller's scopes leave out is no longer among them)
  const registered = (server as unknown as { _registeredTools: Record<string, { execution?: { taskSupport?: 'optional' } }> })._registeredTools;
  const declared = registered[tool.name];
  if (!declared) return;
  declared.execution = { taskSupport: 'optional' };
  server.server.registerCapabilities({ tasks: { list: {}, requests: { tools: { call: {} } } }, ...CAPABILITY });

  const reading = (extra: ServerContext): McpContext => ({ ...ctx, deps: cancellableDeps(ctx.deps, extra.mcpReq.signal), signal: extra.mcpReq.signal });
  const snapshot = async (taskId: string, extra: ServerContext) => tool.get(taskId, reading(extra)).catch((err: unknown) => Promise.reject(taskError(err, ctx, extra.mcpReq.method)));
  const requireDeclared = (extra: ServerContext, method: string) => {
    if (isModern(extra) && !declaresTasks(extra)) throw new MissingRequiredClientCapabilityError({ requiredCapabilities: CAPABILITY }, `${method} needs the ${TASKS_EXTENSION_ID_V2} extension in the request's client capabilities`);
  };

  const call = handlers.get('tools/call');
  if (!call) throw new Error('register the tools before their task support');
  handlers.set('tools/call', async (request: { params?: { name?: unknown; arguments?: unknown; task?: unknown } }, extra) => {
    const params = request.params ?? {};
    const modern = isModern(extra);
    const wantsTask = modern ? declaresTasks(extra) : params.task !== undefined;
    if (!wantsTask) return call(request, extra);
    if (params.name !== tool.name) {
      // 2025-11-25: a task-augmented call of a tool without task support is refused (on 2026-07-28 the server decides, and answers it directly)
      if (!modern && typeof params.name === 'string' && registered[params.name]) throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `Tool ${params.name} does not run as a task; call it without params.task`);
      return call(request, extra);
    }
    if (!modern) {
      const task = TaskMetadataV1Schema.safeParse(params.task);
      if (!task.success) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid params.task: ${task.error.issues.map((i) => i.message).join('; ')}`);
    }
    let s: TaskSnapshot;
    try {
      s = await tool.start(params.arguments, { ...ctx, signal: extra.mcpReq.signal });
    } catch (err) {
      // nothing was started: the tool's own error, as a result (2026-07-28 allows answering directly) or as a JSON-RPC error
      const { code, text } = toolErrorText(err, tool.hints);
      if (code === 'INTERNAL') ctx.deps.log.error({ err, tool: tool.name }, 'task start failed');
      if (modern) return { isError: true, content: [{ type: 'text', text }] } satisfies CallToolResult;
      throw new ProtocolError(CALLER_CODES.has(code) ? ProtocolErrorCode.InvalidParams : ProtocolErrorCode.InternalError, text);
    }
    ctx.deps.log.info({ tool: tool.name, taskId: s.taskId }, 'task created');
    if (modern) {
      const { taskId, statusMessage, createdAt, lastUpdatedAt, ttlMs, pollIntervalMs, status } = taskV2(s, tool.pollIntervalMs);
      return { resultType: 'task', taskId, status, statusMessage, createdAt, lastUpdatedAt, ttlMs, pollIntervalMs } satisfies CreateTaskResultV2;
    }
    // stateless HTTP closes the exchange with the answer; other connections stay to hear how the task moves on
    if (ctx.channel !== 'http' && s.state === 'working') announce(server, ctx, tool, s);
    return { task: taskV1(s, tool.pollIntervalMs), _meta: { 'io.modelcontextprotocol/model-immediate-response': s.message } } satisfies CreateTaskResultV1;
  });

  // tasks/get: 2025-11-25 the task alone; 2026-07-28 the detailed task, with the result once done
  // (the params of both revisions, which have the same shape)
  server.server.setRequestHandler('tasks/get', { params: GetTaskRequestV2Schema.shape.params.or(GetTaskRequestV1Schema.shape.params) }, async ({ taskId }, extra) => {
    requireDeclared(extra, 'tasks/get');
    const s = await snapshot(taskId, extra);
    if (isModern(extra)) return { resultType: 'complete', ...taskV2(s, tool.pollIntervalMs) } satisfies GetTaskResultV2;
    return taskV1(s, tool.pollIntervalMs);
  });

  // tasks/result (2025-11-25): waits for the end of the task, then answers what the call would have
  server.server.setRequestHandler('tasks/result', { params: GetTaskResultRequestV1Schema.shape.params }, async ({ taskId }, extra) => {
    const until = Date.now() + RESULT_WAIT_MS;
    for (let s = await snapshot(taskId, extra); ; s = await snapshot(taskId, extra)) {
      if (s.state !== 'working' && s.result) return { ...s.result, _meta: { ...s.result._meta, [RELATED_TASK]: { taskId } } };
      if (extra.mcpReq.signal.aborted) throw new ProtocolError(ProtocolErrorCode.InternalError, 'tasks/result was cancelled');
      if (Date.now() > until) throw new ProtocolError(ProtocolErrorCode.InternalError, `task ${taskId} is still working; call tasks/result again or poll tasks/get`);
      await new Promise((r) => setTimeout(r, tool.pollIntervalMs));
    }
  });

  // tasks/list (2025-11-25): the caller's tasks, newest first; the cursor is the offset of the next page
  server.server.setRequestHandler('tasks/list', { params: ListTasksRequestV1Schema.shape.params.unwrap() }, async ({ cursor }, extra) => {
    const offset = cursor === undefined ? 0 : Number(cursor);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= LIST_MAX || String(offset) !== (cursor ?? '0')) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid cursor: ${cursor}`);
    const all = await tool.list(reading(extra), Math.min(offset + LIST_PAGE + 1, LIST_MAX)).catch((err: unknown) => Promise.reject(taskError(err, ctx, 'tasks/list')));
    const page = all.slice(offset, offset + LIST_PAGE);
    const next = offset + LIST_PAGE;
    return { tasks: page.map((s) => taskV1(s, tool.pollIntervalMs)), ...(all.length > next ? { nextCursor: String(next) } : {}) } satisfies ListTasksResultV1;
  });

  // tasks/cancel (2026-07-28): acknowledged as the extension requires; a batch run is not stopped part-way, so the task runs to its end.
  // On 2025-11-25 the server does not offer cancellation (no `tasks.cancel` capability).
  server.server.setRequestHandler('tasks/cancel', { params: CancelTaskRequestV2Schema.shape.params }, async ({ taskId }, extra) => {
    if (!isModern(extra)) throw new ProtocolError(ProtocolErrorCode.MethodNotFound, 'Method not found: this server does not cancel tasks');
    requireDeclared(extra, 'tasks/cancel');
    await snapshot(taskId, extra);
    ctx.deps.log.info({ taskId }, 'task cancellation asked; the run continues to its end');
    return { resultType: 'complete' };
  });
}
