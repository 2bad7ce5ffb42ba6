/**
 * The calculation batch as an MCP task, driven by an independent requester (the ext-tasks
 * client session over the SDK client) through the stateless /mcp handler: on 2025-11-25 the
 * server advertises tasks and the tool's task support, a task-augmented call answers a task at
 * once, polling reaches completed and tasks/result is the finished run; on 2026-07-28 the same
 * through the tasks extension (tasks/get carries the result). Task ids are run ids: the result
 * matches get_batch_status, another user's task id is not found, tasks/list lists the caller's
 * own, a token without batch:run may not follow tasks, a run that ends interrupted is a failed
 * task (2025-11-25) or an error result (2026-07-28), and a client that asks for no task still
 * gets the job id at once. Raw answers are checked against the published wire schemas.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { createTaskSessionFromClient, toolDeclarationFromMcpTool, type TaskEnabledSession } from '@modelcontextprotocol/ext-tasks/client';
import { taskId as asTaskId, type JsonValue } from '@modelcontextprotocol/ext-tasks/core';
import { CallToolResultV1Schema, CreateTaskResultV1Schema, GetTaskResultV1Schema, ListTasksResultV1Schema, ServerCapabilitiesV1Schema, TaskStatusNotificationV1Schema, ToolV1Schema } from '@modelcontextprotocol/ext-tasks/core/v1';
import { CreateTaskResultV2Schema, GetTaskResultV2Schema, hasTaskServerCapabilityV2 } from '@modelcontextprotocol/ext-tasks/core/v2';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startSystemRun, type BatchServiceDeps } from '../../core/batch/service.ts';
import { createLogger } from '../../core/logger.ts';
import { interruptRuns } from '../../db/queries/batch-runs.ts';
import { principalForEmail } from '../../core/services/local-principal.ts';
import type { McpContext } from '../../mcp-server/context.ts';
import { handleMcpHttp, mcpServerPool } from '../../mcp-server/http.ts';
import { connectInProcess } from '../../mcp-server/in-process.ts';
import { batchDeps } from '../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { DEMO, demoClock, seededDb } from './mcp-harness.ts';

const URL_MCP = 'http://sigmasight.test/mcp';
const MODERN = '2026-07-28';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface RunOutput { run_id: string; job_id: string; status: string; portfolio_ids: string[]; reused: boolean }

describeEachDb('the batch as an MCP task', (kind) => {
  let db: TestDb;
  let svc: BatchServiceDeps;
  let hnw: McpContext;
  let individual: McpContext;
  const clients: Client[] = [];

  const connect = async (ctx: McpContext, modern = false) => {
    const c = new Client({ name: 'tasks-test', version: '1' }, modern ? { versionNegotiation: { mode: { pin: MODERN } } } : {});
    await c.connect(new StreamableHTTPClientTransport(new URL(URL_MCP), { fetch: async (url, init) => handleMcpHttp(new Request(url, init), ctx) }));
    clients.push(c);
    return c;
  };

  /** One JSON-RPC request to /mcp as sent on the wire (2026-07-28: the standard headers and the per-request envelope). */
  let nextId = 1;
  const post = async (ctx: McpContext, method: string, params: Record<string, unknown>, modern = false) => {
    const name = params['name'] ?? params['taskId'];
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': modern ? MODERN : '2025-11-25' };
    if (modern) Object.assign(headers, { 'mcp-method': method, ...(typeof name === 'string' ? { 'mcp-name': name } : {}) });
    const res = await handleMcpHttp(new Request(URL_MCP, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }) }), ctx);
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('text/event-stream') ? text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).at(-1)! : text;
    return { status: res.status, ...(JSON.parse(json) as { result?: Record<string, unknown>; error?: { code: number; message: string } }) };
  };
  /** The per-request envelope of a 2026-07-28 request, with or without the tasks extension. */
  const envelope = (tasks: boolean) => ({
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': tasks ? { extensions: { 'io.modelcontextprotocol/tasks': {} } } : {},
  });

  beforeAll(async () => {
    db = await seededDb(kind);
    svc = batchDeps(db);
    const base = { deps: { db: db.db, log: createLogger({ level: 'silent' }), clock: demoClock }, channel: 'http' as const, batch: svc };
    hnw = { ...base, principal: await principalForEmail(db.db, DEMO.hnw.email) };
    individual = { ...base, principal: await principalForEmail(db.db, DEMO.individual.email) };
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await svc?.runner.idle();
    await db?.destroy();
  });

  let v1Task = '';

  it('2025-11-25: advertises tasks, answers a task-augmented call with a task at once, and its result is the finished run', async () => {
    const client = await connect(hnw);
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    const caps = ServerCapabilitiesV1Schema.parse(client.getServerCapabilities());
    expect(caps.tasks?.requests?.tools?.call).toEqual({});
    expect(caps.tasks?.list).toEqual({});
    expect(caps.tasks?.cancel).toBeUndefined();
    const { tools } = await client.listTools();
    expect(ToolV1Schema.parse(tools.find((t) => t.name === 'run_portfolio_batch')).execution).toEqual({ taskSupport: 'optional' });
    expect(tools.find((t) => t.name === 'get_batch_status')?.execution).toBeUndefined();

    const session: TaskEnabledSession = createTaskSessionFromClient(client, { endpointId: 'sigmasight-v1' });
    try {
      const t0 = performance.now();
      const execution = await session.callTool('run_portfolio_batch', { portfolio_id: DEMO.hnw.portfolioId, force: true }, { task: { preference: 'require' } });
      expect(performance.now() - t0).toBeLessThan(10_000);
      expect(execution.kind).toBe('task');
      const taskId = execution.handle!.taskId;
      expect(taskId).toMatch(UUID);
      v1Task = taskId;
      const seen: string[] = [];
      const { outcome, lastTask } = await execution.settle({ onEvent: (e) => void (e.type === 'task' && seen.push(e.task.status)) });
      expect(outcome.status, JSON.stringify(outcome)).toBe('completed');
      expect(lastTask?.status).toBe('completed');
      // the task is answered while the run still works, and polling follows it to the end
      expect(seen[0]).toBe('working');
      expect(seen.at(-1)).toBe('completed');
      expect(lastTask?.suggestedPollIntervalMs).toBeUndefined();
      const result = CallToolResultV1Schema.parse(outcome.status === 'completed' ? outcome.result : null);
      const out = result.structuredContent as unknown as RunOutput;
      expect(out.run_id).toBe(taskId);
      expect(out.job_id).toBe(taskId);
      expect(['succeeded', 'partial']).toContain(out.status);
      expect(out.portfolio_ids).toEqual([DEMO.hnw.portfolioId]);
      expect(result.isError).toBeFalsy();
      // the same run as get_batch_status tells, and the summary a model reads
      const status = (await client.callTool({ name: 'get_batch_status', arguments: { job_id: taskId } })).structuredContent as { status: string; portfolio_ids: string[] };
      expect(status.status).toBe(out.status);
      expect(status.portfolio_ids).toEqual(out.portfolio_ids);
      expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining(taskId) });
    } finally {
      await session.close();
    }
  }, 240_000);

  it('2025-11-25 on the wire: CreateTaskResult, tasks/get, tasks/result and tasks/list in the published shapes', async () => {
    expect(v1Task).toMatch(UUID);
    const created = await post(hnw, 'tools/call', { name: 'run_portfolio_batch', arguments: { portfolio_id: DEMO.hnw.portfolioId }, task: { ttl: 60_000 } });
    const { task } = CreateTaskResultV1Schema.parse(created.result);
    // the run of the first test covers today's date: the call joins it instead of starting another
    expect(task.taskId).toBe(v1Task);
    expect(task.statusMessage).toMatch(/^an existing run for \d{4}-\d{2}-\d{2} is followed/);

    // a server built afresh (another process of the pool, or one after a restart) answers the task from the database
    const built = mcpServerPool().built;
    mcpServerPool().clear();
    const got = GetTaskResultV1Schema.parse((await post(hnw, 'tasks/get', { taskId: v1Task })).result);
    expect(mcpServerPool().built).toBe(built + 1);
    expect(got).toMatchObject({ taskId: v1Task, status: 'completed', ttl: null });
    expect(Date.parse(got.lastUpdatedAt)).toBeGreaterThanOrEqual(Date.parse(got.createdAt));
    const result = (await post(hnw, 'tasks/result', { taskId: v1Task })).result;
    const parsed = CallToolResultV1Schema.parse(result);
    expect(parsed._meta?.['io.modelcontextprotocol/related-task']).toEqual({ taskId: v1Task });
    expect((parsed.structuredContent as unknown as RunOutput).run_id).toBe(v1Task);

    const listed = ListTasksResultV1Schema.parse((await post(hnw, 'tasks/list', {})).result);
    expect(listed.tasks.map((t) => t.taskId)).toContain(v1Task);
    expect((await post(hnw, 'tasks/list', { cursor: 'nope' })).error?.code).toBe(-32602);
    // no cancellation on this revision, and a tool without task support refuses a task-augmented call
    expect((await post(hnw, 'tasks/cancel', { taskId: v1Task })).error?.code).toBe(-32601);
    expect((await post(hnw, 'tools/call', { name: 'list_user_portfolios', arguments: {}, task: {} })).error?.code).toBe(-32601);
    // an argument error starts nothing and is the tool's own message
    const bad = await post(hnw, 'tools/call', { name: 'run_portfolio_batch', arguments: { portfolio: 'x' }, task: {} });
    expect(bad.error).toMatchObject({ code: -32602, message: expect.stringMatching(/^VALIDATION: .*unknown argument "portfolio"/) });
  });

  it('another user\'s task id is not found, and tasks/list shows only the caller\'s runs', async () => {
    const other = await connect(individual);
    const session = createTaskSessionFromClient(other, { endpointId: 'sigmasight-v1-other' });
    try {
      await expect(session.task(asTaskId(v1Task)).snapshot()).rejects.toThrow(/not found/i);
      const listed = await session.listTasks();
      expect(listed.tasks.map((t) => t.taskId)).not.toContain(v1Task);
      for (const t of listed.tasks) {
        const r = (await other.callTool({ name: 'get_batch_status', arguments: { job_id: t.taskId } })) as CallToolResult;
        expect(r.isError, t.taskId).toBeFalsy();
      }
    } finally {
      await session.close();
    }
    for (const method of ['tasks/get', 'tasks/result']) {
      const r = await post(individual, method, { taskId: v1Task });
      expect(r.error, method).toMatchObject({ code: -32602, message: expect.stringMatching(/not found/i) });
    }
    // the same for an id that is no run at all
    expect((await post(hnw, 'tasks/get', { taskId: 'not-a-run' })).error?.code).toBe(-32602);
  });

  it('a token without batch:run sees no tasks and may not follow them; one with it may', async () => {
    const readOnly = { ...hnw, allowedScopes: ['portfolio:read'] };
    const c = await connect(readOnly);
    expect(c.getServerCapabilities()?.tasks).toBeUndefined();
    for (const method of ['tasks/get', 'tasks/result', 'tasks/list']) {
      const r = await post(readOnly, method, { taskId: v1Task });
      expect(r.status, method).toBe(403);
      expect(r.error?.message).toMatch(/insufficient_scope: this call needs batch:run/);
    }
    const batcher = { ...hnw, allowedScopes: ['portfolio:read', 'batch:run'] };
    expect(GetTaskResultV1Schema.parse((await post(batcher, 'tasks/get', { taskId: v1Task })).result).status).toBe('completed');
  });

  it('a client that asks for no task still gets the job id at once', async () => {
    const client = await connect(individual);
    const r = (await client.callTool({ name: 'run_portfolio_batch', arguments: { portfolio_id: DEMO.individual.portfolioId, force: true } })) as CallToolResult;
    const out = r.structuredContent as unknown as RunOutput;
    expect(['queued', 'running']).toContain(out.status);
    expect(out.job_id).toMatch(UUID);
    expect(out.reused).toBe(false);
    await svc.runner.idle();
  }, 240_000);

  it('2026-07-28: the tasks extension, with tasks/get carrying the finished run', async () => {
    const client = await connect(hnw, true);
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect(hasTaskServerCapabilityV2(client.getServerCapabilities())).toBe(true);
    expect(client.getServerCapabilities()?.tasks).toBeUndefined();
    const rawDispatch = async (request: JsonValue) => {
      const { method, params } = request as { method: string; params: Record<string, unknown> };
      const r = await post(hnw, method, params, true);
      return r.error ? { kind: 'error' as const, error: r.error } : { kind: 'result' as const, result: r.result as JsonValue };
    };
    const session = createTaskSessionFromClient(client, { endpointId: 'sigmasight-v2', rawDispatch, v2RequestFraming: { protocolVersion: MODERN, clientInfo: { name: 'tasks-test', version: '1' }, clientCapabilities: {} } });
    let taskId = '';
    try {
      const execution = await session.callTool('run_portfolio_batch', { portfolio_id: DEMO.hnw.portfolioId, force: true }, { task: { preference: 'require' } });
      expect(execution.kind).toBe('task');
      taskId = execution.handle!.taskId;
      expect(taskId).toMatch(UUID);
      expect(taskId).not.toBe(v1Task);
      const { outcome } = await execution.settle();
      expect(outcome.status, JSON.stringify(outcome)).toBe('completed');
      const out = (outcome.status === 'completed' ? (outcome.result as CallToolResult).structuredContent : null) as unknown as RunOutput;
      expect(out.run_id).toBe(taskId);
      expect(['succeeded', 'partial']).toContain(out.status);
      expect(out.portfolio_ids).toEqual([DEMO.hnw.portfolioId]);
    } finally {
      await session.close();
    }

    // on the wire: CreateTaskResult and the detailed task in the published shapes
    const created = await post(hnw, 'tools/call', { name: 'run_portfolio_batch', arguments: { portfolio_id: DEMO.hnw.portfolioId }, _meta: envelope(true) }, true);
    expect(CreateTaskResultV2Schema.parse(created.result)).toMatchObject({ resultType: 'task', taskId, ttlMs: null });
    const got = GetTaskResultV2Schema.parse((await post(hnw, 'tasks/get', { taskId, _meta: envelope(true) }, true)).result);
    expect(got).toMatchObject({ resultType: 'complete', status: 'completed', taskId });
    expect(got.status === 'completed' && (got.result['structuredContent'] as unknown as RunOutput).run_id).toBe(taskId);
    expect((await post(hnw, 'tasks/cancel', { taskId, _meta: envelope(true) }, true)).result).toMatchObject({ resultType: 'complete' });
    // not the caller's, not declared, and the same call without the extension answered directly
    expect((await post(individual, 'tasks/get', { taskId, _meta: envelope(true) }, true)).error?.code).toBe(-32602);
    expect((await post(individual, 'tasks/cancel', { taskId, _meta: envelope(true) }, true)).error?.code).toBe(-32602);
    expect((await post(hnw, 'tasks/get', { taskId, _meta: envelope(false) }, true)).error?.code).toBe(-32021);
    const direct = await post(hnw, 'tools/call', { name: 'run_portfolio_batch', arguments: { portfolio_id: DEMO.hnw.portfolioId }, _meta: envelope(false) }, true);
    expect(direct.result).toMatchObject({ resultType: 'complete', structuredContent: { run_id: taskId, reused: true } });
  }, 240_000);

  it('over a connection that carries notifications (the in-process client), the server also announces the task as it moves on', async () => {
    const mcp = await connectInProcess({ ...hnw, channel: 'agent' }, 'tasks-test');
    const seen: unknown[] = [];
    mcp.client.fallbackNotificationHandler = async (n) => void seen.push(n);
    // the in-memory link hands objects over unserialised, so the declaration is taken from the listed tool as JSON
    const declaration = toolDeclarationFromMcpTool(JSON.parse(JSON.stringify((await mcp.client.listTools()).tools.find((t) => t.name === 'run_portfolio_batch'))));
    const session = createTaskSessionFromClient(mcp.client, { endpointId: 'sigmasight-in-process', tools: { currentTool: (name) => (name === declaration.name ? declaration : undefined) } });
    try {
      const execution = await session.callTool('run_portfolio_batch', { portfolio_id: DEMO.hnw.portfolioId, force: true }, { task: { preference: 'require' } });
      const taskId = execution.handle!.taskId;
      expect((await execution.settle()).outcome.status).toBe('completed');
      const statuses = () => seen.map((n) => TaskStatusNotificationV1Schema.parse({ jsonrpc: '2.0', ...(n as object) }).params);
      await vi.waitFor(() => expect(statuses().at(-1)?.status).toBe('completed'), { timeout: 10_000 });
      expect(statuses().every((t) => t.taskId === taskId)).toBe(true);
      expect(statuses().at(-1)?.statusMessage).toMatch(/^run (succeeded|partial)/);
    } finally {
      await session.close();
      await mcp.close();
    }
  }, 240_000);

  it('a run that ends interrupted: a failed task on 2025-11-25, a completed task with an error result on 2026-07-28', async () => {
    // a run claimed by a runner that never executes it stays queued until it is interrupted, as when its server stops
    const held: BatchServiceDeps = { ...svc, runner: { submit: () => {}, idle: async () => {} } };
    const { run_id: taskId } = await startSystemRun(held, { trigger: 'cli', portfolioIds: [DEMO.hnw.portfolioId] });
    const working = GetTaskResultV1Schema.parse((await post(hnw, 'tasks/get', { taskId })).result);
    expect(working).toMatchObject({ taskId, status: 'working', pollInterval: 1000 });
    expect(GetTaskResultV2Schema.parse((await post(hnw, 'tasks/get', { taskId, _meta: envelope(true) }, true)).result)).toMatchObject({ status: 'working', pollIntervalMs: 1000 });
    expect(await interruptRuns(db.db, [taskId], 'the server stopped')).toEqual([taskId]);

    expect(GetTaskResultV1Schema.parse((await post(hnw, 'tasks/get', { taskId })).result)).toMatchObject({ status: 'failed', statusMessage: 'run interrupted: the server stopped' });
    const result = CallToolResultV1Schema.parse((await post(hnw, 'tasks/result', { taskId })).result);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ run_id: taskId, status: 'interrupted' });
    const v2 = GetTaskResultV2Schema.parse((await post(hnw, 'tasks/get', { taskId, _meta: envelope(true) }, true)).result);
    expect(v2.status).toBe('completed');
    expect(v2.status === 'completed' && v2.result).toMatchObject({ resultType: 'complete', isError: true, structuredContent: { status: 'interrupted' } });
  });

  it('2026-07-28: a client without the extension still gets the job id at once', async () => {
    const client = await connect(individual, true);
    const r = (await client.callTool({ name: 'run_portfolio_batch', arguments: { portfolio_id: DEMO.individual.portfolioId, force: true } })) as CallToolResult;
    const out = r.structuredContent as unknown as RunOutput;
    expect(['queued', 'running']).toContain(out.status);
    expect(out.job_id).toMatch(UUID);
    await svc.runner.idle();
  }, 240_000);
});
