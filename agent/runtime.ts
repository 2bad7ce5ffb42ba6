/**
 * What the chat routes hand the agent: service deps, the model (OpenAI-compatible or offline),
 * the turn limits and timers, and the set of conversations with a turn in flight (turns are
 * serialised per conversation in this process; a second concurrent send gets CONFLICT).
 */
import type { ServiceDeps } from '../core/services/context.ts';
import { DEFAULT_LIMITS, type TurnLimits } from './loop.ts';
import { OpenAiChatModel, type ChatModel } from './model.ts';
import { OfflineChatModel } from './offline/model.ts';
import { HEARTBEAT_MS } from './events.ts';
import type { Toolset } from './tools.ts';

export interface AgentRuntime {
  deps: ServiceDeps;
  model: ChatModel;
  limits: TurnLimits;
  heartbeatMs: number;
  /** How often streamed assistant text is saved, ms. */
  flushMs: number;
  /** Include full tool results in `tool_result` events. */
  debugToolResults: boolean;
  active: Set<string>;
  /** The tool list, read once from `tools/list` and shared by every turn (the catalogue is fixed per process). */
  toolset: { current: Promise<Toolset> | null };
}

export interface ModelSettings {
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  model: string;
  fetch?: typeof fetch;
  maxRetries?: number;
  timeoutMs?: number;
  maxOutputTokens?: number;
}

/** The OpenAI-compatible model when a key or base URL is configured, else the offline responder. */
export function createChatModel(s: ModelSettings): ChatModel {
  if (!s.apiKey && !s.baseURL) return new OfflineChatModel();
  return new OpenAiChatModel({
    model: s.model,
    apiKey: s.apiKey,
    baseURL: s.baseURL,
    maxRetries: s.maxRetries ?? 2,
    timeoutMs: s.timeoutMs ?? 60_000,
    maxOutputTokens: s.maxOutputTokens ?? 4_000,
    ...(s.fetch ? { fetch: s.fetch } : {}),
  });
}

export function createAgentRuntime(deps: ServiceDeps, model: ChatModel, overrides: Partial<Omit<AgentRuntime, 'deps' | 'model' | 'active' | 'toolset'>> = {}): AgentRuntime {
  return {
    deps,
    model,
    limits: overrides.limits ?? DEFAULT_LIMITS,
    heartbeatMs: overrides.heartbeatMs ?? HEARTBEAT_MS,
    flushMs: overrides.flushMs ?? 1_000,
    debugToolResults: overrides.debugToolResults ?? false,
    active: new Set(),
    toolset: { current: null },
  };
}
