/** Agent test harness: a seeded database, a runtime over the fake OpenAI server, and a frame collector. */
import { expect } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import type { Principal } from '../../core/services/context.ts';
import { createConversation } from '../../core/services/conversations.ts';
import { principalForEmail } from '../../core/services/local-principal.ts';
import type { SseFrame } from '../../agent/events.ts';
import type { TurnLimits } from '../../agent/loop.ts';
import type { ChatModel } from '../../agent/model.ts';
import { createAgentRuntime, createChatModel, type AgentRuntime } from '../../agent/runtime.ts';
import { prepareTurn, type TurnInput } from '../../agent/turn.ts';
import { demoClock } from '../mcp/mcp-harness.ts';
import type { TestDb } from '../helpers/db.ts';

export { DEMO, seededDb } from '../mcp/mcp-harness.ts';

export interface Frame {
  event: string;
  id: number;
  body: Record<string, unknown> & { seq: number; data?: Record<string, unknown> };
}

export function fakeModel(baseURL: string, maxRetries = 0): ChatModel {
  return createChatModel({ baseURL, model: 'fake-model', maxRetries, timeoutMs: 10_000 });
}

export function runtimeFor(db: TestDb, model: ChatModel, opts: { limits?: Partial<TurnLimits>; heartbeatMs?: number; flushMs?: number } = {}): AgentRuntime {
  const deps = { db: db.db, log: createLogger({ level: 'silent' }), clock: demoClock };
  const base = createAgentRuntime(deps, model);
  return { ...base, limits: { ...base.limits, ...opts.limits }, heartbeatMs: opts.heartbeatMs ?? base.heartbeatMs, flushMs: opts.flushMs ?? 20 };
}

export async function newConversation(rt: AgentRuntime, principal: Principal, mode?: 'green' | 'blue' | 'indigo' | 'violet'): Promise<string> {
  return (await createConversation(rt.deps, principal, { mode })).id;
}

export const principalOf = (db: TestDb, email: string) => principalForEmail(db.db, email);

/** Runs one send to completion and returns its parsed frames. */
export async function send(rt: AgentRuntime, principal: Principal, input: TurnInput, signal = new AbortController().signal, onFrame?: (f: Frame) => void): Promise<Frame[]> {
  const frames: Frame[] = [];
  const turn = await prepareTurn(rt, principal, input);
  await turn.run(async (f: SseFrame) => {
    const frame = { event: f.event, id: Number(f.id), body: JSON.parse(f.data) as Frame['body'] };
    frames.push(frame);
    onFrame?.(frame);
  }, signal);
  return frames;
}

/** The 7.9 invariants: seq strictly increasing, equal to the SSE id, at most one terminal event and nothing after it. */
export function expectWellFormed(frames: Frame[], terminal: 'done' | 'error' | null): void {
  for (let i = 0; i < frames.length; i++) {
    expect(frames[i]!.id).toBe(frames[i]!.body.seq);
    if (i > 0) expect(frames[i]!.id).toBeGreaterThan(frames[i - 1]!.id);
  }
  const terminals = frames.filter((f) => f.event === 'done' || f.event === 'error');
  if (terminal === null) expect(terminals).toHaveLength(0);
  else {
    expect(terminals.map((f) => f.event)).toEqual([terminal]);
    expect(frames.at(-1)!.event).toBe(terminal);
  }
}

export const textOf = (frames: Frame[]) => frames.filter((f) => f.event === 'token').map((f) => String(f.body.data!['delta'])).join('');
export const dataOf = (frames: Frame[], event: string) => frames.filter((f) => f.event === event).map((f) => f.body.data!);
