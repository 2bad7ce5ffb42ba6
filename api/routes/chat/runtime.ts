/**
 * One agent runtime per app: the model chosen from the environment (OpenAI-compatible when
 * OPENAI_API_KEY or OPENAI_BASE_URL is set, else the offline responder) and the set of running
 * turns, shared by every request; each request gets it with its own service deps (request log).
 */
import type { ServiceDeps } from '../../../core/services/context.ts';
import { createAgentRuntime, createChatModel, type AgentRuntime } from '../../../agent/runtime.ts';
import type { AppDeps } from '../../context.ts';

const runtimes = new WeakMap<AppDeps, AgentRuntime>();

export function agentRuntime(app: AppDeps, deps: ServiceDeps): AgentRuntime {
  let rt = runtimes.get(app);
  if (!rt) {
    const model = createChatModel({ apiKey: app.env.OPENAI_API_KEY, baseURL: app.env.OPENAI_BASE_URL, model: app.env.OPENAI_MODEL });
    rt = createAgentRuntime(deps, model);
    runtimes.set(app, rt);
  }
  return { ...rt, deps };
}
