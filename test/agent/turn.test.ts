import pino from 'pino';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { listConversationMessages } from '../../core/services/conversations.ts';
import type { Principal } from '../../core/services/context.ts';
import type { AgentRuntime } from '../../agent/runtime.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai.ts';
import { dataOf, DEMO, expectWellFormed, fakeModel, newConversation, principalOf, runtimeFor, seededDb, send, textOf, type Frame } from './harness.ts';

const tool = (id: string, name = 'list_user_portfolios', args: Record<string, unknown> = {}) => ({ tool: { id, name, args } });

describeEachDb('chat turn against a fake OpenAI server', (kind) => {
  let db: TestDb;
  let fake: FakeOpenAi;
  let rt: AgentRuntime;
  let me: Principal;
  beforeAll(async () => {
    db = await seededDb(kind);
    fake = await startFakeOpenAi();
    me = await principalOf(db, DEMO.individual.email);
  });
  afterAll(async () => {
    await fake.close();
    await db.destroy();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    rt = runtimeFor(db, fakeModel(fake.baseURL));
  });

  it('runs two tool rounds, feeds each output back under its call id, then answers', async () => {
    fake.script(
      { steps: [{ text: 'Let me look. ' }, tool('call_a'), tool('call_b', 'list_user_portfolios', { portfolio_id: DEMO.hnw.portfolioId })] },
      { steps: [tool('call_c')] },
      { steps: [{ text: 'You have ' }, { text: 'one portfolio.' }], usage: { prompt_tokens: 300, completion_tokens: 7 } },
    );
    const conversationId = await newConversation(rt, me, 'blue');
    const frames = await send(rt, me, { conversationId, text: 'Which portfolios do I have?' });
    expectWellFormed(frames, 'done');
    expect(frames.slice(0, 2).map((f) => f.event)).toEqual(['message_created', 'start']);
    expect(frames.filter((f) => f.event === 'tool_call').map((f) => f.body.data!['tool_call_id'])).toEqual(['call_a', 'call_b', 'call_c']);
    const results = dataOf(frames, 'tool_result');
    const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(results.map((r) => [r['tool_call_id'], r['ok'], r['row_count'], r['truncated']]).sort(byId)).toEqual([
      ['call_a', true, 1, false],
      ['call_b', true, 1, false],
      ['call_c', true, 1, false],
    ]);
    expect(String(results[0]!['preview'])).toContain(DEMO.individual.portfolioId);
    expect(textOf(frames)).toBe('Let me look. You have one portfolio.');
    const done = dataOf(frames, 'done')[0]!;
    expect(done).toMatchObject({ final_text: 'Let me look. You have one portfolio.', tool_calls_count: 3, tool_rounds: 2, status: 'complete', usage: { input_tokens: 500, output_tokens: 47, reasoning_tokens: 0 } });

    expect(fake.requests).toHaveLength(3);
    const first = fake.requests[0]!.body;
    expect(first.stream).toBe(true);
    expect(first.parallel_tool_calls).toBe(true);
    expect(first.tools!.map((t) => t.function.name)).toContain('list_user_portfolios');
    const second = fake.requests[1]!.body.messages;
    const assistant = second.find((m) => m['role'] === 'assistant')!;
    expect(assistant['content']).toBe('Let me look. ');
    expect((assistant['tool_calls'] as Array<{ id: string }>).map((c) => c.id)).toEqual(['call_a', 'call_b']);
    expect(second.filter((m) => m['role'] === 'tool').map((m) => m['tool_call_id'])).toEqual(['call_a', 'call_b']);
    expect(fake.requests[2]!.body.messages.filter((m) => m['role'] === 'tool')).toHaveLength(3);

    const page = await listConversationMessages(rt.deps, me, conversationId, { limit: 10, offset: 0 });
    expect(page.messages.map((m) => [m.role, m.status])).toEqual([['user', 'complete'], ['assistant', 'complete']]);
    const stored = page.messages[1]!;
    expect(stored.content).toBe('Let me look. You have one portfolio.');
    expect(stored.model).toBe('fake-model');
    expect(stored.tool_calls.map((c) => [c.tool_call_id, c.round, c.ok, c.row_count]).sort(byId)).toEqual([['call_a', 1, true, 1], ['call_b', 1, true, 1], ['call_c', 2, true, 1]]);
    // The model never picks the portfolio: a foreign id it sent is not passed on.
    expect(stored.tool_calls.find((c) => c.tool_call_id === 'call_b')!.arguments).toEqual({});
  });

  it.each([
    ['an error payload', { streamError: 'model exploded' }],
    ['a cut connection', { cut: true as const }],
  ])('a model failure mid-stream (%s) ends with one error event, keeps the partial text, and the next turn works', async (_name, failure) => {
    fake.script({ steps: [{ text: 'Your beta is ' }, { delayMs: 60 }, failure] });
    const conversationId = await newConversation(rt, me);
    const frames = await send(rt, me, { conversationId, text: 'beta?' });
    expectWellFormed(frames, 'error');
    const err = dataOf(frames, 'error')[0]!;
    expect(err).toMatchObject({ code: 'UPSTREAM', error_type: 'LLM_ERROR', partial: true });
    expect(fake.requests).toHaveLength(1); // never retried once text had streamed
    const page = await listConversationMessages(rt.deps, me, conversationId, { limit: 10, offset: 0 });
    expect(page.messages[1]).toMatchObject({ role: 'assistant', status: 'error', content: 'Your beta is ', error: { code: 'UPSTREAM' } });

    fake.script({ steps: [{ text: 'Recovered.' }] });
    const again = await send(rt, me, { conversationId, text: 'again' });
    expectWellFormed(again, 'done');
    expect(textOf(again)).toBe('Recovered.');
    // The interrupted answer is in the history the model sees, marked as interrupted.
    const history = fake.requests[1]!.body.messages.map((m) => String(m['content']));
    expect(history.some((c) => c.startsWith('Your beta is ') && c.includes('interrupted'))).toBe(true);
  });

  it('retries a request that failed before any token, and maps a rate limit to RATE_LIMITED', async () => {
    const retrying = runtimeFor(db, fakeModel(fake.baseURL, 1));
    fake.script({ status: 500, steps: [] }, { steps: [{ text: 'second attempt' }] });
    const ok = await send(retrying, me, { conversationId: await newConversation(retrying, me), text: 'hi' });
    expectWellFormed(ok, 'done');
    expect(textOf(ok)).toBe('second attempt');
    expect(fake.requests).toHaveLength(2);

    fake.script({ status: 429, steps: [] });
    const limited = await send(rt, me, { conversationId: await newConversation(rt, me), text: 'hi' });
    expectWellFormed(limited, 'error');
    expect(dataOf(limited, 'error')[0]).toMatchObject({ code: 'RATE_LIMITED', error_type: 'RATE_LIMITED', partial: false });
  });

  it('a client disconnect aborts the model request, sends nothing more and stores the message as aborted', async () => {
    fake.script({ steps: [{ text: 'Thinking about ' }, { hang: true }] });
    const conversationId = await newConversation(rt, me);
    const client = new AbortController();
    const frames = await send(rt, me, { conversationId, text: 'long question' }, client.signal, (f) => {
      if (f.event === 'token') client.abort();
    });
    expectWellFormed(frames, null);
    await expect.poll(() => fake.requests[0]?.aborted).toBe(true);
    const page = await listConversationMessages(rt.deps, me, conversationId, { limit: 10, offset: 0 });
    expect(page.messages[1]).toMatchObject({ status: 'aborted', content: 'Thinking about ' });
    expect(rt.active.size).toBe(0);
  });

  it('a client disconnect while a tool runs cancels the tool: it starts no further query, and the call is stored as aborted', async () => {
    // The database as the tool sees it: counts reads, and the client goes away at the tool's first one.
    const client = new AbortController();
    let toolRunning = false;
    let readsAfterDisconnect = 0;
    const counting = new Proxy(db.db, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || (prop !== 'select' && prop !== 'execute')) return value;
        return (...args: unknown[]) => {
          if (client.signal.aborted) readsAfterDisconnect++;
          else if (toolRunning) client.abort();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const logs: Array<{ msg: string; tool?: string }> = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as { msg: string; tool?: string }) });
    const base = runtimeFor(db, fakeModel(fake.baseURL));
    const watched: AgentRuntime = { ...base, deps: { ...base.deps, db: counting as typeof db.db, log } };
    fake.script({ steps: [tool('call_slow')] });
    const conversationId = await newConversation(watched, me);
    const frames = await send(watched, me, { conversationId, text: 'my portfolios?' }, client.signal, (f) => {
      if (f.event === 'tool_call') toolRunning = true;
    });
    expect(client.signal.aborted).toBe(true);
    expectWellFormed(frames, null);
    expect(frames.filter((f) => f.event === 'tool_result')).toHaveLength(0);
    // The cancelled handler ends at its next statement instead of running its remaining queries.
    await expect.poll(() => logs.find((l) => l.tool === 'list_user_portfolios')?.msg).toBe('tool call cancelled');
    expect(readsAfterDisconnect).toBe(0);
    expect(fake.requests).toHaveLength(1);
    const page = await listConversationMessages(rt.deps, me, conversationId, { limit: 10, offset: 0 });
    expect(page.messages[1]).toMatchObject({ status: 'aborted' });
    expect(page.messages[1]!.tool_calls).toHaveLength(1);
    expect(page.messages[1]!.tool_calls[0]).toMatchObject({ tool_call_id: 'call_slow', name: 'list_user_portfolios', ok: false, round: 1 });
    expect(page.messages[1]!.tool_calls[0]!.error).toMatch(/^ABORTED: the turn stopped before the tool answered/);
    expect(watched.active.size).toBe(0);
  });

  it('a retried client_request_id returns the same turn without a second run', async () => {
    fake.script({ steps: [{ text: 'Only once.' }] });
    const conversationId = await newConversation(rt, me);
    const first = await send(rt, me, { conversationId, text: 'hello', clientRequestId: 'req-1' });
    const second = await send(rt, me, { conversationId, text: 'hello', clientRequestId: 'req-1' });
    expectWellFormed(second, 'done');
    expect(fake.requests).toHaveLength(1);
    const ids = (f: Frame[]) => f[0]!.body;
    expect(ids(second)).toMatchObject({ user_message_id: ids(first)['user_message_id'], assistant_message_id: ids(first)['assistant_message_id'], replayed: true });
    expect(textOf(second)).toBe('Only once.');
    const page = await listConversationMessages(rt.deps, me, conversationId, { limit: 10, offset: 0 });
    expect(page.total_count).toBe(2);
  });

  it('sends timer heartbeats during a silent model and keeps seq increasing across them', async () => {
    const slow = runtimeFor(db, fakeModel(fake.baseURL), { heartbeatMs: 25 });
    fake.script({ steps: [{ delayMs: 200 }, { text: 'done thinking' }] });
    const frames = await send(slow, me, { conversationId: await newConversation(slow, me), text: 'think' });
    expectWellFormed(frames, 'done');
    const firstToken = frames.findIndex((f) => f.event === 'token');
    expect(frames.slice(0, firstToken).filter((f) => f.event === 'heartbeat').length).toBeGreaterThanOrEqual(3);
  });

  it('after the round limit makes one last call with tools disabled, and refuses calls past the per-turn budget', async () => {
    const limited = runtimeFor(db, fakeModel(fake.baseURL), { limits: { maxRounds: 2, maxToolCalls: 3 } });
    fake.script({ steps: [tool('r1a'), tool('r1b')] }, { steps: [tool('r2a'), tool('r2b')] }, { steps: [{ text: 'final words' }] });
    const frames = await send(limited, me, { conversationId: await newConversation(limited, me), text: 'loop' });
    expectWellFormed(frames, 'done');
    const results = dataOf(frames, 'tool_result');
    expect(results.filter((r) => r['ok'] === false).map((r) => r['tool_call_id'])).toEqual(['r2b']);
    expect(String(results.find((r) => r['tool_call_id'] === 'r2b')!['preview'])).toMatch(/^TOOL_BUDGET_EXCEEDED/);
    expect(dataOf(frames, 'info')).toEqual([{ info_type: 'limit_reached', limit: 'rounds', tools_disabled: true }]);
    expect(fake.requests.map((r) => r.body.tool_choice)).toEqual(['auto', 'auto', 'none']);
    expect(dataOf(frames, 'done')[0]).toMatchObject({ tool_rounds: 2, tool_calls_count: 3, final_text: 'final words' });
  });

  it('answers /mode with start, message, done, stores no message, and refuses a concurrent send', async () => {
    const conversationId = await newConversation(rt, me);
    const frames = await send(rt, me, { conversationId, text: '/mode violet' });
    expectWellFormed(frames, 'done');
    expect(frames.map((f) => f.event)).toEqual(['start', 'message', 'done']);
    expect(frames[1]!.body).toMatchObject({ delta: 'Mode changed to violet', role: 'system' });
    expect((await listConversationMessages(rt.deps, me, conversationId, { limit: 10, offset: 0 })).total_count).toBe(0);

    fake.script({ steps: [{ delayMs: 150 }, { text: 'slow' }] });
    const running = send(rt, me, { conversationId, text: 'first' });
    await expect.poll(() => rt.active.has(conversationId)).toBe(true);
    await expect(send(rt, me, { conversationId, text: 'second' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(dataOf(await running, 'start')[0]).toMatchObject({ mode: 'violet' });
    expect(fake.requests[0]!.body.messages[0]!['content']).toMatch(/not investment advice/);
  });

  it("refuses another user's conversation with NOT_FOUND before anything streams", async () => {
    const other = await principalOf(db, DEMO.hnw.email);
    const conversationId = await newConversation(rt, me);
    await expect(send(rt, other, { conversationId, text: 'hi' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fake.requests).toHaveLength(0);
  });
});
