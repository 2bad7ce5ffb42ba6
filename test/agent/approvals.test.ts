/**
 * The agent never runs a write tool without the user's explicit approval. Driven through the real
 * app: a fake OpenAI-compatible model (and, for the last cases, the offline responder) proposes
 * changes over /chat/send; the user decides over POST /chat/approvals/{id}. What was written is
 * read straight from the positions and portfolio_audit tables.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { callTool, loadToolset } from '../../agent/tools.ts';
import { portfolioAudit, portfolios, positions } from '../../db/schema/index.ts';
import { buildApp, DEMO, get, login, type TestApp } from '../api/helpers.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { mcpFor, seededDb } from '../mcp/mcp-harness.ts';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai.ts';

interface Ev {
  event: string;
  id: number;
  body: Record<string, unknown> & { seq: number; data?: Record<string, unknown> };
}

async function readSse(res: Response): Promise<Ev[]> {
  const events: Ev[] = [];
  const parser = createParser({ onEvent: (m) => events.push({ event: m.event ?? 'message', id: Number(m.id), body: JSON.parse(m.data) as Ev['body'] }) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  return events;
}

const data = (events: Ev[], name: string) => events.filter((e) => e.event === name).map((e) => e.body.data!);
const text = (events: Ev[]) => data(events, 'token').map((d) => String(d['delta'])).join('');
const terminals = (events: Ev[]) => events.filter((e) => e.event === 'done' || e.event === 'error').map((e) => e.event);
const post = (token: string, body: unknown): RequestInit => ({ method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const PORTFOLIO = DEMO.individual.portfolioId;

describeEachDb('write tools wait for the user’s approval', (kind) => {
  let db: TestDb;
  let fake: FakeOpenAi;
  let app: TestApp;
  let token: string;
  let portfolioName: string;

  beforeAll(async () => {
    db = await seededDb(kind);
    fake = await startFakeOpenAi();
    app = buildApp(db, { OPENAI_BASE_URL: fake.baseURL, OPENAI_MODEL: 'fake-model' });
    token = await login(app, DEMO.individual.email);
    const [p] = await db.db.select({ name: portfolios.name }).from(portfolios).where(eq(portfolios.id, PORTFOLIO));
    portfolioName = p!.name;
  });
  afterAll(async () => {
    await fake.close();
    await db.destroy();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  const livePositions = (symbol: string) =>
    db.db.select().from(positions).where(and(eq(positions.portfolioId, PORTFOLIO), eq(positions.symbol, symbol), isNull(positions.deletedAt)));
  const auditRows = () => db.db.select().from(portfolioAudit).where(eq(portfolioAudit.portfolioId, PORTFOLIO));

  async function conversation(a = app, t = token): Promise<string> {
    const res = await a.request('/api/v1/chat/conversations', post(t, {}));
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  async function send(conversationId: string, message: string, a = app, t = token): Promise<Ev[]> {
    const res = await a.request('/api/v1/chat/send', post(t, { conversation_id: conversationId, text: message }));
    expect(res.status).toBe(200);
    return readSse(res);
  }

  /** A send where the fake model calls add_position with `args`: the stream and the approval it ended on. */
  async function propose(args: Record<string, unknown>, callId: string): Promise<{ conversationId: string; events: Ev[]; approvalId: string }> {
    fake.script({ steps: [{ text: 'I can do that.' }, { tool: { id: callId, name: 'add_position', args } }] });
    const conversationId = await conversation();
    const events = await send(conversationId, 'Buy it for me');
    const approval = data(events, 'approval_required')[0];
    expect(approval, JSON.stringify(events.map((e) => e.event))).toBeDefined();
    return { conversationId, events, approvalId: String(approval!['approval_id']) };
  }

  const decide = (approvalId: string, decision: string, a = app, t = token) => a.request(`/api/v1/chat/approvals/${approvalId}`, post(t, { decision }));

  it('a proposed trade is not executed: nothing is written, the stream carries the exact change and the turn ends waiting', async () => {
    const before = { aapl: (await livePositions('AAPL')).length, audit: (await auditRows()).length };
    const args = { symbol: 'AAPL', quantity: 10, entry_price: 190, entry_date: '2026-07-10' };
    const { conversationId, events, approvalId } = await propose(args, 'call_buy_1');

    expect(await livePositions('AAPL')).toHaveLength(before.aapl);
    expect(await auditRows()).toHaveLength(before.audit);
    expect(data(events, 'approval_required')[0]).toEqual({
      approval_id: approvalId, tool_call_id: 'call_buy_1', tool_name: 'add_position', arguments: { ...args, portfolio_id: PORTFOLIO },
      summary: `Add 10 AAPL (long) at 190.00 entered 2026-07-10 to portfolio "${portfolioName}".`,
      expires_at: '2026-07-13T21:15:00.000Z', decide_url: `/api/v1/chat/approvals/${approvalId}`,
    });
    // No tool result: the call was never run.
    expect(data(events, 'tool_call').map((d) => d['tool_name'])).toEqual(['add_position']);
    expect(data(events, 'tool_result')).toEqual([]);
    expect(terminals(events)).toEqual(['done']);
    expect(data(events, 'done')[0]).toMatchObject({ status: 'awaiting_approval', approval_id: approvalId });
    expect(text(events)).toContain('Waiting for your approval');
    expect(fake.requests).toHaveLength(1);

    const stored = await get(app, `/api/v1/chat/approvals/${approvalId}`, token);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ status: 'pending', tool_name: 'add_position', arguments: { ...args, portfolio_id: PORTFOLIO }, conversation_id: conversationId, decided_at: null, result: null });
    const messages = (await get(app, `/api/v1/chat/conversations/${conversationId}/messages`, token)).body.messages as Array<{ role: string; status: string; content: string }>;
    expect(messages.map((m) => [m.role, m.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
    expect(messages[1]!.content).toContain('Waiting for your approval');
    expect(messages[1]!.content).toContain(approvalId);
  });

  it('approved, the position exists, the audit says door agent, the model gets the result and the turn finishes', async () => {
    const { conversationId, approvalId } = await propose({ symbol: 'AAPL', quantity: 10, entry_price: 190, entry_date: '2026-07-09' }, 'call_buy_2');
    fake.script({ steps: [{ text: 'Added 10 AAPL at 190.' }] });
    const res = await decide(approvalId, 'approve');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(res);
    expect(terminals(events)).toEqual(['done']);
    events.forEach((e, i) => i && expect(e.id).toBeGreaterThan(events[i - 1]!.id));
    expect(data(events, 'done')[0]).toMatchObject({ status: 'complete', final_text: 'Added 10 AAPL at 190.' });
    expect(data(events, 'tool_result')[0]).toMatchObject({ tool_call_id: 'call_buy_2', tool_name: 'add_position', ok: true });

    const rows = (await livePositions('AAPL')).filter((p) => p.entryDate === '2026-07-09');
    expect(rows.map((p) => [p.quantity, p.entryPrice, p.positionType])).toEqual([[10, 190, 'LONG']]);
    const audit = (await auditRows()).filter((a) => a.positionId === rows[0]!.id);
    expect(audit.map((a) => [a.door, a.action, a.userId])).toEqual([['agent', 'position.add', DEMO.individual.userId]]);

    // The resumed request carries the call and its output under the model's call id.
    const resumed = fake.requests.at(-1)!.body.messages;
    const output = resumed.find((m) => m['role'] === 'tool' && m['tool_call_id'] === 'call_buy_2');
    expect(String(output!['content'])).toContain('"ok":true');
    expect(resumed.filter((m) => m['role'] === 'assistant').flatMap((m) => (m['tool_calls'] as Array<{ id: string }> | undefined) ?? []).map((c) => c.id)).toEqual(['call_buy_2']);

    const stored = (await get(app, `/api/v1/chat/approvals/${approvalId}`, token)).body;
    expect(stored).toMatchObject({ status: 'approved', decided_at: '2026-07-13T21:00:00.000Z', result: { ok: true } });
    const messages = (await get(app, `/api/v1/chat/conversations/${conversationId}/messages`, token)).body.messages as Array<{ role: string; status: string; content: string; tool_calls: Array<{ name: string; ok: boolean }> }>;
    expect(messages.map((m) => [m.role, m.status])).toEqual([['user', 'complete'], ['assistant', 'complete'], ['assistant', 'complete']]);
    expect(messages[2]!.content).toBe('Added 10 AAPL at 190.');
    expect(messages[2]!.tool_calls.map((c) => [c.name, c.ok])).toEqual([['add_position', true]]);
  });

  it('rejected, nothing is written and the model is told the user declined', async () => {
    const before = (await auditRows()).length;
    const { approvalId } = await propose({ symbol: 'NVDA', quantity: 5, entry_price: 120 }, 'call_buy_3');
    fake.script({ steps: [{ text: 'Understood, I left your book unchanged.' }] });
    const res = await decide(approvalId, 'reject');
    expect(res.status).toBe(200);
    const events = await readSse(res);
    expect(terminals(events)).toEqual(['done']);
    expect(data(events, 'tool_result')).toEqual([]);
    expect(data(events, 'info')).toContainEqual(expect.objectContaining({ info_type: 'approval_rejected', approval_id: approvalId }));
    expect(text(events)).toBe('Understood, I left your book unchanged.');
    expect((await livePositions('NVDA')).filter((p) => p.entryDate === '2026-07-13')).toEqual([]);
    expect(await auditRows()).toHaveLength(before);
    const output = fake.requests.at(-1)!.body.messages.find((m) => m['role'] === 'tool' && m['tool_call_id'] === 'call_buy_3');
    expect(String(output!['content'])).toContain('DECLINED: the user rejected this change');
    expect((await get(app, `/api/v1/chat/approvals/${approvalId}`, token)).body).toMatchObject({ status: 'rejected' });
    // A rejected approval cannot be approved afterwards.
    const late = await decide(approvalId, 'approve');
    expect(late.status).toBe(409);
    expect(((await late.json()) as { detail: string }).detail).toMatch(/already rejected/);
    expect(await auditRows()).toHaveLength(before);
  });

  it('a double approve runs the tool once: sequential and concurrent second submits answer 409', async () => {
    const first = await propose({ symbol: 'MSFT', quantity: 3, entry_price: 400 }, 'call_buy_4');
    fake.script({ steps: [{ text: 'Done.' }] });
    const ok = await decide(first.approvalId, 'approve');
    expect(ok.status).toBe(200);
    await readSse(ok);
    const again = await decide(first.approvalId, 'approve');
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(((await again.json()) as { detail: string }).detail).toMatch(/already approved.*ran once/);
    expect((await livePositions('MSFT')).filter((p) => p.entryDate === '2026-07-13')).toHaveLength(1);

    const second = await propose({ symbol: 'AMZN', quantity: 2, entry_price: 180 }, 'call_buy_5');
    fake.script({ steps: [{ text: 'Done.' }] });
    const both = await Promise.all([decide(second.approvalId, 'approve'), decide(second.approvalId, 'approve')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    await Promise.all(both.map((r) => (r.status === 200 ? readSse(r) : r.text())));
    const written = (await livePositions('AMZN')).filter((p) => p.entryDate === '2026-07-13');
    expect(written).toHaveLength(1);
    expect((await auditRows()).filter((a) => a.positionId === written[0]!.id)).toHaveLength(1);
  });

  it("another user's approval id is 404 (decide and read), and a malformed id or decision is refused before anything runs", async () => {
    const { approvalId } = await propose({ symbol: 'GOOGL', quantity: 1, entry_price: 170 }, 'call_buy_6');
    const other = await login(app, DEMO.hnw.email);
    const foreign = await decide(approvalId, 'approve', app, other);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect((await get(app, `/api/v1/chat/approvals/${approvalId}`, other)).status).toBe(404);
    expect((await decide('not-an-id', 'approve')).status).toBe(404);
    expect((await decide(approvalId, 'maybe')).status).toBe(422);
    expect((await app.request(`/api/v1/chat/approvals/${approvalId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"decision":"approve"}' })).status).toBe(401);
    expect((await get(app, `/api/v1/chat/approvals/${approvalId}`, token)).body).toMatchObject({ status: 'pending' });
    expect((await livePositions('GOOGL')).filter((p) => p.entryDate === '2026-07-13')).toEqual([]);
  });

  it('an approval older than 15 minutes, or superseded by a later message, is expired: 409 and nothing runs', async () => {
    const old = await propose({ symbol: 'META', quantity: 1, entry_price: 500 }, 'call_buy_7');
    const later = buildApp(db, { OPENAI_BASE_URL: fake.baseURL, OPENAI_MODEL: 'fake-model' }, { clock: () => new Date('2026-07-13T21:16:00Z') });
    const expired = await decide(old.approvalId, 'approve', later, await login(later, DEMO.individual.email));
    expect(expired.status).toBe(409);
    expect(((await expired.json()) as { detail: string }).detail).toMatch(/expired: a proposed change can be decided for 15 minutes/);
    expect((await get(app, `/api/v1/chat/approvals/${old.approvalId}`, token)).body).toMatchObject({ status: 'expired' });
    expect((await decide(old.approvalId, 'approve')).status).toBe(409);

    const superseded = await propose({ symbol: 'META', quantity: 2, entry_price: 500 }, 'call_buy_8');
    fake.script({ steps: [{ text: 'Your beta is 1.1.' }] });
    await send(superseded.conversationId, 'Actually, what is my beta?');
    const res = await decide(superseded.approvalId, 'approve');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/superseded/);
    expect((await livePositions('META')).filter((p) => p.entryDate === '2026-07-13')).toEqual([]);
  });

  it('cannot be bypassed: other spellings of a write tool are refused unrun, and one change waits at a time', async () => {
    const before = (await auditRows()).length;
    const args = { symbol: 'TSLA', quantity: 1, entry_price: 250 };
    fake.script(
      { steps: [{ tool: { id: 'call_x1', name: 'Add_Position', args } }, { tool: { id: 'call_x2', name: 'ADD-POSITION', args } }, { tool: { id: 'call_x3', name: 'add_position ', args } }] },
      { steps: [{ tool: { id: 'call_y1', name: 'add_position', args } }, { tool: { id: 'call_y2', name: 'add_position', args: { ...args, quantity: 2 } } }] },
    );
    const conversationId = await conversation();
    const events = await send(conversationId, 'Buy one TSLA at 250');
    const results = data(events, 'tool_result').sort((a, b) => String(a['tool_call_id']).localeCompare(String(b['tool_call_id'])));
    expect(results.map((r) => [r['tool_call_id'], r['ok']])).toEqual([['call_x1', false], ['call_x2', false], ['call_x3', false], ['call_y2', false]]);
    for (const r of results.slice(0, 3)) expect(String(r['preview'])).toMatch(/no tool named .*Hint: call add_position/);
    expect(String(results[3]!['preview'])).toMatch(/^NOT_RUN: one change at a time/);
    const approvals = data(events, 'approval_required');
    expect(approvals.map((a) => [a['tool_call_id'], a['arguments']])).toEqual([['call_y1', { ...args, portfolio_id: PORTFOLIO }]]);
    expect(await auditRows()).toHaveLength(before);
    expect((await livePositions('TSLA')).filter((p) => p.entryDate === '2026-07-13')).toEqual([]);
  });

  it('the agent’s own MCP client refuses a write without the approval path, and an edit is summarised before → after', async () => {
    const mcp = await mcpFor(db, DEMO.individual.email);
    try {
      const toolset = await loadToolset(mcp.client);
      expect([...toolset.requiresApproval].sort()).toEqual(['add_position', 'close_position', 'commit_import', 'create_portfolio', 'delete_position', 'update_position']);
      const before = (await auditRows()).length;
      const out = await callTool(mcp.client, { id: 'c1', name: 'add_position', arguments: JSON.stringify({ symbol: 'ORCL', quantity: 1, entry_price: 100 }) }, { portfolioId: PORTFOLIO, toolset, timeoutMs: 5000, signal: new AbortController().signal });
      expect(out).toMatchObject({ ok: false });
      expect(out.error).toMatch(/^APPROVAL_REQUIRED/);
      expect(await auditRows()).toHaveLength(before);
    } finally {
      await mcp.close();
    }

    const [held] = await db.db.select().from(positions).where(and(eq(positions.portfolioId, PORTFOLIO), eq(positions.symbol, 'AAPL'), eq(positions.entryDate, '2026-07-09'), isNull(positions.deletedAt)));
    expect(held).toBeDefined();
    fake.script({ steps: [{ tool: { id: 'call_edit', name: 'update_position', args: { position_id: held!.id, changes: { quantity: 5, entry_price: 185 } } } }] });
    const conversationId = await conversation();
    const events = await send(conversationId, 'Sell half of the AAPL I bought on the 9th and set the price to 185');
    const approval = data(events, 'approval_required')[0]!;
    expect(approval['summary']).toBe(`Edit long 10 AAPL at 190.00 (entered 2026-07-09) in portfolio "${portfolioName}": quantity 10 → 5; entry price 190.00 → 185.00.`);
    const [unchanged] = await db.db.select().from(positions).where(eq(positions.id, held!.id));
    expect([unchanged!.quantity, unchanged!.entryPrice]).toEqual([10, 190]);

    // A write the tool would refuse is answered to the model, not proposed.
    fake.script({ steps: [{ tool: { id: 'call_bad', name: 'close_position', args: { position_id: '00000000-0000-0000-0000-000000000000', exit_price: 1 } } }] }, { steps: [{ text: 'That position does not exist.' }] });
    const bad = await send(await conversation(), 'Close that position');
    expect(data(bad, 'approval_required')).toEqual([]);
    expect(String(data(bad, 'tool_result')[0]!['preview'])).toMatch(/^NOT_FOUND: position/);
    expect(data(bad, 'done')[0]).toMatchObject({ status: 'complete' });
  });

  it('is documented in /openapi.json with its zod contracts, and the tool list marks the writes', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } };
    const path = doc.paths['/api/v1/chat/approvals/{approval_id}']!;
    expect(Object.keys(path).sort()).toEqual(['get', 'post']);
    expect(Object.keys(path['post'].responses).sort()).toEqual(['200', '401', '404', '409', '422', '429']);
    expect(path['post'].requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApprovalDecision' });
    expect(doc.components.schemas).toHaveProperty('Approval');
    const tools = (await get(app, '/api/v1/agent/tools', token)).body.tools as Array<{ name: string; requires_approval: boolean }>;
    expect(tools.find((t) => t.name === 'add_position')?.requires_approval).toBe(true);
    expect(tools.find((t) => t.name === 'list_positions')?.requires_approval).toBe(false);
    expect(tools.find((t) => t.name === 'preview_import')?.requires_approval).toBe(false);
  });

  it('offline responder: "add 10 AAPL at 190" → approval_required → approve → the position exists and the reply confirms it', async () => {
    const offline = buildApp(db);
    const t = await login(offline, DEMO.individual.email);
    const conversationId = await conversation(offline, t);
    const before = (await livePositions('AAPL')).filter((p) => p.entryDate === '2026-07-13');
    expect(before).toEqual([]);
    const events = await send(conversationId, 'add 10 AAPL at 190', offline, t);
    expect(terminals(events)).toEqual(['done']);
    const approval = data(events, 'approval_required')[0]!;
    expect(approval).toMatchObject({ tool_name: 'add_position', arguments: { symbol: 'AAPL', quantity: 10, entry_price: 190, side: 'long', portfolio_id: PORTFOLIO } });
    expect(approval['summary']).toBe(`Add 10 AAPL (long) at 190.00 entered 2026-07-13 to portfolio "${portfolioName}".`);
    expect((await livePositions('AAPL')).filter((p) => p.entryDate === '2026-07-13')).toEqual([]);

    const res = await decide(String(approval['approval_id']), 'approve', offline, t);
    expect(res.status).toBe(200);
    const resumed = await readSse(res);
    expect(terminals(resumed)).toEqual(['done']);
    const rows = (await livePositions('AAPL')).filter((p) => p.entryDate === '2026-07-13');
    expect(rows.map((p) => [p.quantity, p.entryPrice])).toEqual([[10, 190]]);
    expect((await auditRows()).filter((a) => a.positionId === rows[0]!.id).map((a) => a.door)).toEqual(['agent']);
    expect(text(resumed)).toMatch(/Done: Added long 10 AAPL at 190/);

    // "sell 4 AAPL" on a symbol held twice asks which one; a fresh symbol is reduced through update_position after approval.
    const sell = await send(await conversation(offline, t), 'sell 4 AAPL', offline, t);
    expect(data(sell, 'approval_required')).toEqual([]);
    expect(text(sell)).toMatch(/open AAPL positions/);
    const declined = await send(await conversation(offline, t), 'buy 3 SHOP at 90 short', offline, t);
    const shop = data(declined, 'approval_required')[0]!;
    expect(shop['arguments']).toMatchObject({ symbol: 'SHOP', side: 'short', quantity: 3 });
    const rejected = await readSse(await decide(String(shop['approval_id']), 'reject', offline, t));
    expect(text(rejected)).toContain('You declined the change, so nothing was changed.');
    expect(await livePositions('SHOP')).toEqual([]);
  });
});
