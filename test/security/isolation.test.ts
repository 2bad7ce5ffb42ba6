/**
 * Tenant isolation, scanned over every door. Every list and status read (each GET route of the
 * app's own `/openapi.json` with the caller's own ids or none, each read-only MCP tool, each MCP
 * resource) is scanned for other users' data: their ids, names, chat texts and symbols only they
 * hold; none may appear. Then each demo user calls every route and every MCP tool with each other
 * user's portfolio, position, conversation and run ids: REST answers 404 problem+json, MCP a
 * NOT_FOUND tool error, nothing in the answer carries the other user's data, and nothing is
 * created, changed or deleted. The own reads come first, so the per-user caches hold each
 * owner's answers when the others ask for the same URLs.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { principalForEmail } from '../../core/services/local-principal.ts';
import { agentApprovals, batchRuns, conversations, holdingsImports, messages, oauthRecords, portfolioAudit, portfolios, positions, toolCalls } from '../../db/schema/index.ts';
import { connectInProcess, type InProcessMcp } from '../../mcp-server/in-process.ts';
import { TEST_NOW } from '../helpers/batch.ts';
import { describeEachDb } from '../helpers/db.ts';
import { buildCall, foreignCalls, operations, ownCalls, ownChoices, toolSlots, type Call, type Operation } from './isolation-requests.ts';
import { buildWorld, leaks, type Member, type World } from './isolation-world.ts';

/** Foreign-id answers other than 404, each with its reason (`METHOD path slot`). None today. */
const NOT_404: Record<string, { status: number; reason: string }> = {};

/** Arguments a tool needs besides its id slots, for a valid call by `me`. */
const TOOL_ARGS: Record<string, (me: Member) => Record<string, unknown>> = {
  get_current_quotes: (me) => ({ symbols: [...me.symbols].sort()[0] }),
  run_custom_stress_test: () => ({ shocks: [{ factor: 'Market', shock: -0.1 }] }),
  add_position: () => ({ symbol: 'AAPL', quantity: 1, entry_price: 1, entry_date: '2026-07-01' }),
  update_position: () => ({ changes: { notes: 'changed by someone else' } }),
  close_position: () => ({ exit_price: 1 }),
  preview_import: () => ({ content: 'symbol,quantity,entry_price\nAAPL,1,1\n' }),
  run_historical_replay: () => ({ start_date: '2023-03-08', end_date: '2023-03-15' }),
  simulate_trade: (me) => ({ trades: [{ action: 'add', symbol: [...me.symbols].sort()[0], quantity: 10, position_id: null }] }),
};
/** The array element a nested id slot is sent in (`tool slot`). */
const NESTED_ELEMENT: Record<string, Record<string, unknown>> = {
  'simulate_trade trades[].position_id': { action: 'remove', symbol: null, quantity: null },
};

describeEachDb('tenant isolation scan', (kind) => {
  let w: World;
  let ops: Operation[];
  let before: Record<string, unknown>;
  const mcp = new Map<Member, InProcessMcp>();
  let tools: Tool[];
  beforeAll(async () => {
    w = await buildWorld(kind);
    ops = operations((await (await w.app.request('/openapi.json')).json()) as Parameters<typeof operations>[0]);
    for (const m of w.members) {
      const principal = await principalForEmail(w.db.db, m.email);
      mcp.set(m, await connectInProcess({ deps: { db: w.db.db, log: createLogger({ level: 'silent' }), clock: () => TEST_NOW }, principal, channel: 'agent', batch: w.batch }, 'isolation-scan'));
    }
    const lists = await Promise.all(w.members.map(async (m) => (await mcp.get(m)!.client.listTools()).tools));
    if (new Set(lists.map((l) => l.map((t) => t.name).join())).size !== 1) throw new Error('users are offered different tools: scan each list');
    tools = lists[0]!;
  }, 120_000);
  afterAll(async () => {
    for (const c of mcp.values()) await c.close();
    await w?.db.destroy();
  });

  const send = (m: Member, c: Call) =>
    w.app.request(c.url, { method: c.method, headers: { authorization: `Bearer ${m.token}`, ...(c.body ? { 'content-type': 'application/json' } : {}) }, ...(c.body ? { body: JSON.stringify(c.body) } : {}) });

  it('has records of every kind for every user, and a scan that reaches every id slot', () => {
    for (const m of w.members) for (const [k, ids] of Object.entries(m.ids)) expect(ids.length, `${m.email} ${k}`).toBeGreaterThanOrEqual(k === 'position' || k === 'message' ? 2 : 1);
    expect([...new Set(ops.flatMap((o) => o.slots.map((s) => `${s.where}:${s.name}`)))]).toEqual(
      expect.arrayContaining(['path:portfolio_id', 'path:job_id', 'path:conversation_id', 'query:portfolio_id', 'query:position_ids', 'query:conversation_id', 'body:portfolio_id', 'body:conversation_id']),
    );
    expect(tools.filter((t) => toolSlots(t.inputSchema).length).length).toBeGreaterThanOrEqual(17);
  });

  it('shows no other user’s data on any GET route called with the caller’s own ids', async () => {
    let calls = 0;
    const failures: string[] = [];
    const reads = ops.filter((o) => o.method === 'GET');
    for (const me of w.members) {
      for (const op of reads) {
        for (const call of ownCalls(op, me, w.shared)) {
          const res = await send(me, call);
          const text = await res.text();
          calls++;
          if (res.status !== 200 && !(call.bare && res.status === 422)) failures.push(`${me.email} → GET ${call.url}: ${res.status} ${text.slice(0, 200)}`);
          for (const l of leaks(w, me, text)) failures.push(`${me.email} → GET ${call.url}: leaks ${l}`);
        }
      }
    }
    expect(failures).toEqual([]);
    console.info(`REST list/status scan: ${reads.length} GET routes, ${calls} calls`);
    // The scan sees the caller's own data, so a leak of someone else's would show.
    const own = await send(w.members[0]!, buildCall(ops.find((o) => o.path.endsWith('/chat/conversations/{conversation_id}/messages'))!, w.members[0]!, (s) => w.members[0]!.ids[s.kind][0]));
    expect(await own.text()).toContain(w.members[0]!.private.find((p) => p.endsWith('1tag'))!);
  });

  it('shows no other user’s data in any read-only tool or resource called for the caller’s own book', async () => {
    let calls = 0;
    const failures: string[] = [];
    /** The MCP Apps views (ui://) are static pages, the same bytes for every user: compared across users instead of scanned (their minified script has identifier-like words). */
    const views = new Map<string, string>();
    for (const me of w.members) {
      const client = mcp.get(me)!.client;
      // run_portfolio_batch starts work (a batch run); its foreign-id refusal is scanned below.
      for (const tool of tools.filter((t) => t.annotations?.readOnlyHint)) {
        // The first variant leaves every id out (the caller's default portfolio); a tool that needs an id may refuse it with VALIDATION.
        const variants = ownChoices(me, w.shared).map((choose) => {
          const args = toolArgs(tool, me);
          for (const slot of toolSlots(tool.inputSchema).filter((s) => !s.leaf)) args[slot.top] = choose({ kind: slot.kind, required: false }) ?? null;
          return JSON.stringify(args);
        });
        for (const [i, args] of [...new Set(variants)].entries()) {
          const res = (await client.callTool({ name: tool.name, arguments: JSON.parse(args) })) as CallToolResult;
          calls++;
          const refused = i === 0 && res.content[0]?.type === 'text' && res.content[0].text.startsWith('VALIDATION:');
          if (res.isError && !refused) failures.push(`${me.email} → ${tool.name}(${args}): ${JSON.stringify(res.content).slice(0, 200)}`);
          for (const l of leaks(w, me, JSON.stringify(res))) failures.push(`${me.email} → ${tool.name}(${args}): leaks ${l}`);
        }
      }
      const listed = (await client.listResources()).resources;
      expect(listed.length).toBeGreaterThanOrEqual(3);
      for (const r of listed) {
        const text = JSON.stringify(await client.readResource({ uri: r.uri }));
        if (r.uri.startsWith('ui://')) {
          if ((views.get(r.uri) ?? text) !== text) failures.push(`${me.email} → ${r.uri}: differs from another user's copy of the view`);
          views.set(r.uri, text);
          continue;
        }
        for (const l of leaks(w, me, `${r.uri} ${r.name} ${text}`)) failures.push(`${me.email} → ${r.uri}: leaks ${l}`);
      }
    }
    expect(failures).toEqual([]);
    expect(views.size).toBe(3);
    console.info(`MCP list/status scan: ${tools.filter((t) => t.annotations?.readOnlyHint).length} read-only tools, ${calls} calls, and every listed resource`);
  });

  it('answers every route called with another user’s ids with 404 problem+json and none of their data', async () => {
    before = await tableState(w);
    let calls = 0;
    const failures: string[] = [];
    /** The MCP Apps views (ui://) are static pages, the same bytes for every user: compared across users instead of scanned (their minified script has identifier-like words). */
    const views = new Map<string, string>();
    for (const me of w.members) {
      for (const other of w.members.filter((o) => o !== me)) {
        for (const op of ops.filter((o) => o.slots.length)) {
          for (const { slot, call } of foreignCalls(op, me, other)) {
            const res = await send(me, call);
            const text = await res.text();
            calls++;
            const label = `${me.email} → ${call.method} ${call.url} ${call.body ? JSON.stringify(call.body) : ''}`;
            const want = NOT_404[`${op.method} ${op.path} ${slot.name}`]?.status ?? 404;
            if (res.status !== want) failures.push(`${label}: ${res.status} (want ${want}) ${text.slice(0, 200)}`);
            else if (res.headers.get('content-type') !== 'application/problem+json') failures.push(`${label}: content-type ${res.headers.get('content-type')}`);
            for (const l of leaks(w, me, text, call.sent)) failures.push(`${label}: leaks ${l}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    console.info(`REST foreign-id scan: ${ops.filter((o) => o.slots.length).length} operations with id slots, ${calls} calls`);
    expect(calls).toBeGreaterThanOrEqual(6 * 25);
  });

  it('answers every MCP tool called with another user’s ids with a NOT_FOUND tool error and none of their data', async () => {
    let calls = 0;
    const failures: string[] = [];
    /** The MCP Apps views (ui://) are static pages, the same bytes for every user: compared across users instead of scanned (their minified script has identifier-like words). */
    const views = new Map<string, string>();
    for (const me of w.members) {
      const client = mcp.get(me)!.client;
      for (const other of w.members.filter((o) => o !== me)) {
        for (const tool of tools) {
          for (const slot of toolSlots(tool.inputSchema)) {
            const foreign = other.ids[slot.kind][0]!;
            const values = slot.list ? [foreign, `${me.ids[slot.kind][0]},${other.ids[slot.kind][1]}`] : [foreign];
            for (const v of values) {
              const args = toolArgs(tool, me);
              // the other id slots name the caller's own records, so only this one is foreign
              for (const own of toolSlots(tool.inputSchema)) if (own !== slot && !own.leaf && (tool.inputSchema.required ?? []).includes(own.top)) args[own.top] = me.ids[own.kind][0];
              args[slot.top] = slot.leaf ? [{ ...NESTED_ELEMENT[`${tool.name} ${slot.path}`], [slot.leaf]: v }] : v;
              const res = (await client.callTool({ name: tool.name, arguments: args })) as CallToolResult;
              calls++;
              const text = JSON.stringify(res);
              const label = `${me.email} → ${tool.name}(${JSON.stringify(args)})`;
              const first = res.content[0]?.type === 'text' ? res.content[0].text : '';
              if (!res.isError || !first.startsWith('NOT_FOUND:')) failures.push(`${label}: ${text.slice(0, 200)}`);
              for (const l of leaks(w, me, text, v.split(','))) failures.push(`${label}: leaks ${l}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    console.info(`MCP foreign-id scan: ${tools.filter((t) => toolSlots(t.inputSchema).length).length} tools with id slots, ${calls} calls`);
  });

  it('reads no other user’s resource over MCP', async () => {
    for (const me of w.members) {
      const client = mcp.get(me)!.client;
      for (const other of w.members.filter((o) => o !== me)) {
        for (const uri of [`sigmasight://portfolios/${other.ids.portfolio[0]}`, `sigmasight://reports/${other.ids.portfolio[0]}/latest`]) {
          const err = await client.readResource({ uri }).then((r) => new Error(`read: ${JSON.stringify(r).slice(0, 200)}`), (e: unknown) => e as Error);
          expect(err.message, `${me.email} → ${uri}`).toMatch(/not found/i);
          expect(leaks(w, me, err.message, [other.ids.portfolio[0]!])).toEqual([]);
        }
      }
    }
  });

  it('created, changed and deleted nothing through the foreign-id calls', async () => {
    expect(await tableState(w)).toEqual(before);
  });
});

/** Arguments of a valid call by `me` with every id slot left out; throws when a required input has no value. */
function toolArgs(tool: Tool, me: Member): Record<string, unknown> {
  const args = { ...TOOL_ARGS[tool.name]?.(me) };
  const slots = new Set(toolSlots(tool.inputSchema).filter((s) => !s.leaf).map((s) => s.top));
  for (const req of tool.inputSchema.required ?? []) {
    if (!(req in args) && !slots.has(req)) throw new Error(`tool ${tool.name} needs "${req}": give it a value in TOOL_ARGS`);
  }
  return args;
}

/** Row counts of what a foreign call could create or delete, and every conversation's mode. */
async function tableState(w: World): Promise<Record<string, unknown>> {
  const db = w.db.db;
  const n = async (t: typeof batchRuns | typeof conversations | typeof messages | typeof toolCalls) => (await db.select({ n: count() }).from(t))[0]!.n;
  const modes = await db.select({ id: conversations.id, mode: conversations.mode, title: conversations.title }).from(conversations).orderBy(conversations.id);
  const mine = await Promise.all(w.members.map(async (m) => (await db.select({ n: count() }).from(conversations).where(eq(conversations.userId, m.userId)))[0]!.n));
  const book = {
    positions: await db.select({ id: positions.id, q: positions.quantity, exit: positions.exitDate, deleted: positions.deletedAt, notes: positions.notes, updated: positions.updatedAt }).from(positions).orderBy(positions.id),
    portfolios: await db.select({ id: portfolios.id, name: portfolios.name, deleted: portfolios.deletedAt, updated: portfolios.updatedAt }).from(portfolios).orderBy(portfolios.id),
    audit: (await db.select({ n: count() }).from(portfolioAudit))[0]!.n,
    imports: await db.select({ id: holdingsImports.id, status: holdingsImports.status }).from(holdingsImports).orderBy(holdingsImports.id),
    approvals: await db.select({ id: agentApprovals.id, status: agentApprovals.status, decided: agentApprovals.decidedAt }).from(agentApprovals).orderBy(agentApprovals.id),
    grants: await db.select({ id: oauthRecords.id, account: oauthRecords.accountId }).from(oauthRecords).where(eq(oauthRecords.model, 'Grant')).orderBy(oauthRecords.id),
  };
  return { runs: await n(batchRuns), conversations: await n(conversations), messages: await n(messages), toolCalls: await n(toolCalls), modes, mine, book };
}
