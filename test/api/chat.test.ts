import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../agent/fake-openai.ts';
import { buildApp, DEMO, get, login, type TestApp } from './helpers.ts';
import { seededDb } from '../mcp/mcp-harness.ts';
import type { TestDb } from '../helpers/db.ts';

interface Ev {
  event: string;
  id: number;
  body: Record<string, unknown> & { seq: number; data?: Record<string, unknown> };
}

/** Reads a whole SSE response with eventsource-parser; `stopAfter` cancels the body after that event (a client going away). */
async function readSse(res: Response, stopAfter?: string): Promise<Ev[]> {
  const events: Ev[] = [];
  const parser = createParser({ onEvent: (m) => events.push({ event: m.event ?? 'message', id: Number(m.id), body: JSON.parse(m.data) as Ev['body'] }) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
    if (stopAfter && events.some((e) => e.event === stopAfter)) {
      await reader.cancel();
      break;
    }
  }
  return events;
}

function expectSeq(events: Ev[], terminal: 'done' | 'error'): void {
  events.forEach((e, i) => {
    expect(e.id).toBe(e.body.seq);
    if (i) expect(e.id).toBeGreaterThan(events[i - 1]!.id);
  });
  expect(events.filter((e) => e.event === 'done' || e.event === 'error').map((e) => e.event)).toEqual([terminal]);
}

const json = (token: string, body: unknown, method = 'POST'): RequestInit => ({ method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describeEachDb('chat routes', (kind) => {
  let db: TestDb;
  let fake: FakeOpenAi;
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    db = await seededDb(kind);
    fake = await startFakeOpenAi();
    app = buildApp(db, { OPENAI_BASE_URL: fake.baseURL, OPENAI_MODEL: 'fake-model' });
    token = await login(app, DEMO.individual.email);
  });
  afterAll(async () => {
    await fake.close();
    await db.destroy();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it("answers a foreign portfolio_id with 404 problem+json before any stream, on both agent chat routes", async () => {
    const post = await app.request('/api/v1/agent/chat', json(token, { message: 'beta?', portfolio_id: DEMO.hnw.portfolioId }));
    expect(post.status).toBe(404);
    expect(post.headers.get('content-type')).toContain('application/problem+json');
    const stream = await app.request(`/api/v1/agent/chat/stream?message=beta&portfolio_id=${DEMO.hnw.portfolioId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(stream.status).toBe(404);
    expect(fake.requests).toHaveLength(0);
    expect((await get(app, '/api/v1/agent/sessions', token)).body).toEqual([]);
  });

  it('serves the reference family: create, send over SSE, messages with tool calls, mode, list, delete', async () => {
    const created = await app.request('/api/v1/chat/conversations', json(token, {}));
    expect(created.status).toBe(201);
    const conv = (await created.json()) as { id: string; portfolio_id: string; mode: string };
    expect(conv).toMatchObject({ portfolio_id: DEMO.individual.portfolioId, mode: 'green' });

    fake.script({ steps: [{ tool: { id: 'call_1', name: 'list_user_portfolios', args: {} } }] }, { steps: [{ text: 'One portfolio.' }] });
    const res = await app.request('/api/v1/chat/send', json(token, { conversation_id: conv.id, text: 'Which portfolios?', client_request_id: 'k1' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(res);
    expectSeq(events, 'done');
    expect(events.map((e) => e.event).filter((e) => e !== 'heartbeat')).toEqual(['message_created', 'start', 'response_id', 'tool_call', 'tool_result', 'token', 'done']);

    const page = await get(app, `/api/v1/chat/conversations/${conv.id}/messages`, token);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total_count: 2, has_more: false });
    expect(page.body.messages[1]).toMatchObject({ role: 'assistant', status: 'complete', content: 'One portfolio.', tool_calls: [{ tool_call_id: 'call_1', name: 'list_user_portfolios', ok: true, row_count: 1, round: 1 }] });

    const mode = await app.request(`/api/v1/chat/conversations/${conv.id}/mode`, json(token, { mode: 'blue' }, 'PUT'));
    expect(await mode.json()).toMatchObject({ id: conv.id, previous_mode: 'green', new_mode: 'blue' });
    const list = await get(app, '/api/v1/chat/conversations?limit=5', token);
    expect(list.body.map((c: { id: string }) => c.id)).toContain(conv.id);
    expect((await get(app, `/api/v1/chat/conversations/${conv.id}`, token)).body).toMatchObject({ mode: 'blue', title: 'Which portfolios?' });

    const other = await login(app, DEMO.hnw.email);
    expect((await get(app, `/api/v1/chat/conversations/${conv.id}`, other)).status).toBe(404);
    expect((await app.request('/api/v1/chat/send', json(other, { conversation_id: conv.id, text: 'hi' }))).status).toBe(404);
    expect((await app.request(`/api/v1/chat/conversations/${conv.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${other}` } })).status).toBe(404);
    expect((await app.request(`/api/v1/chat/conversations/${conv.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    expect((await get(app, `/api/v1/chat/conversations/${conv.id}/messages`, token)).status).toBe(404);
  });

  it('streams GET /agent/chat/stream for EventSource with the auth_token cookie, then continues the conversation', async () => {
    fake.script({ steps: [{ text: 'Hello ' }, { text: 'there.' }] }, { steps: [{ text: 'Again.' }] });
    const res = await app.request(`/api/v1/agent/chat/stream?message=${encodeURIComponent('hi there')}&portfolio_id=${DEMO.individual.portfolioId}`, { headers: { cookie: `auth_token=${token}`, 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(200);
    const events = await readSse(res);
    expectSeq(events, 'done');
    const conversationId = String(events[0]!.body['conversation_id']);
    expect(events.at(-1)!.body.data).toMatchObject({ final_text: 'Hello there.', status: 'complete', tool_rounds: 0, usage: { input_tokens: 100, output_tokens: 20 } });

    const next = await app.request('/api/v1/agent/chat', json(token, { message: 'again', portfolio_id: DEMO.individual.portfolioId, conversation_id: conversationId }));
    expectSeq(await readSse(next), 'done');
    expect(fake.requests[1]!.body.messages.map((m) => m['content'])).toContain('Hello there.');
    expect((await get(app, '/api/v1/agent/sessions', token)).body.map((c: { id: string }) => c.id)).toContain(conversationId);
  });

  it('a client that goes away aborts the model request and leaves the message aborted with its text', async () => {
    fake.script({ steps: [{ text: 'Partial ' }, { hang: true }] });
    const conv = (await (await app.request('/api/v1/chat/conversations', json(token, {}))).json()) as { id: string };
    const res = await app.request('/api/v1/chat/send', json(token, { conversation_id: conv.id, text: 'go' }));
    const events = await readSse(res, 'token');
    expect(events.some((e) => e.event === 'done' || e.event === 'error')).toBe(false);
    await expect.poll(() => fake.requests[0]?.aborted, { timeout: 5000 }).toBe(true);
    await expect.poll(async () => (await get(app, `/api/v1/chat/conversations/${conv.id}/messages`, token)).body.messages[1], { timeout: 5000 }).toMatchObject({ status: 'aborted', content: 'Partial ' });
  });

  it('refuses bad input and missing auth with problem+json; health and tools describe the agent', async () => {
    expect((await app.request('/api/v1/chat/send', json(token, { conversation_id: 'x', text: '   ' }))).status).toBe(422);
    expect((await app.request('/api/v1/chat/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await get(app, '/api/v1/agent/tools')).status).toBe(401);
    const noMessage = await get(app, `/api/v1/agent/chat/stream?portfolio_id=${DEMO.individual.portfolioId}`, token);
    expect(noMessage.status).toBe(422);
    expect(noMessage.body.errors).toEqual([{ path: 'message', message: 'Required' }]);
    const health = await get(app, '/api/v1/agent/health');
    expect(health.body).toMatchObject({ status: 'ok', provider: 'openai', model: 'fake-model' });
    const tools = await get(app, '/api/v1/agent/tools', token);
    expect(tools.body.tools.map((t: { name: string }) => t.name)).toContain('list_user_portfolios');
    for (const t of tools.body.tools as Array<{ parameters: { properties: Record<string, unknown> } }>) expect(t.parameters.properties).not.toHaveProperty('portfolio_id');
    expect(health.body.tools).toBe(tools.body.tools.length);
  });
});
