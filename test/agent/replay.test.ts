/** STYLE "Tests → Agent": inject `fetch` into the OpenAI client, replay recorded streams, assert the SSE frames. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createChatModel } from '../../agent/runtime.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { DEMO, expectWellFormed, newConversation, principalOf, runtimeFor, seededDb, send } from './harness.ts';

const recorded = (name: string) => readFileSync(new URL(`../fixtures/agent/${name}`, import.meta.url), 'utf8');

describeEachDb('recorded streams through an injected fetch', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await seededDb(kind);
  });
  afterAll(() => db.destroy());

  it('turns a recorded tool round and answer into the expected frame sequence', async () => {
    const replies = [recorded('tool-round.sse'), recorded('answer.sse')];
    const bodies: string[] = [];
    const fetch = (async (_url: string | URL | Request, init?: RequestInit) => {
      bodies.push(String(init?.body));
      return new Response(replies.shift()!, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }) as typeof globalThis.fetch;
    const model = createChatModel({ apiKey: 'sk-test-not-used', model: 'gpt-4o-mini', fetch });
    const rt = runtimeFor(db, model);
    const me = await principalOf(db, DEMO.individual.email);
    const frames = await send(rt, me, { conversationId: await newConversation(rt, me), text: 'Which portfolios do I have?' });
    expectWellFormed(frames, 'done');
    expect(frames.map((f) => f.event)).toEqual(['message_created', 'start', 'response_id', 'tool_call', 'tool_result', 'token', 'token', 'done']);
    expect(frames[2]!.body.data).toEqual({ response_id: 'chatcmpl-rec1', provider: 'openai' });
    expect(frames[3]!.body.data).toEqual({ tool_call_id: 'call_rec_1', tool_name: 'list_user_portfolios', tool_args: {} });
    expect(frames.at(-1)!.body.data).toMatchObject({ final_text: 'You have one portfolio.', usage: { input_tokens: 1832, output_tokens: 17, reasoning_tokens: 0 }, tool_rounds: 1, model_used: 'gpt-4o-mini' });
    expect(bodies).toHaveLength(2);
    expect(JSON.parse(bodies[1]!).messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_rec_1' });
  });
});
