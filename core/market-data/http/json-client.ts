/**
 * Rate-limit-safe JSON GETs for one HTTP provider:
 * - a per-provider limiter (p-queue: `requestsPerMinute` starts per minute, `concurrency` in flight);
 * - retries with exponential backoff and equal jitter on 429, 5xx, timeouts and dropped
 *   connections (cockatiel), never shorter than `Retry-After`; a 429 also pauses the provider's
 *   whole queue for the Retry-After period, so other symbols do not hammer it meanwhile;
 * - a per-attempt timeout (AbortSignal.timeout);
 * - a circuit breaker (cockatiel, consecutive 5xx/timeout/network failures) that fails fast
 *   while the provider is down; 429s do not open it (they are pacing, not failure).
 * - a rejected API key (401/403) fails every later call without a request.
 * Errors are ProviderError; URLs in messages carry no query string, so API keys never leak.
 */
import { BrokenCircuitError, circuitBreaker, ConsecutiveBreaker, DelegateBackoff, handleWhen, retry, type IRetryBackoffContext } from 'cockatiel';
import PQueue from 'p-queue';
import type { Logger } from '../../logger.ts';
import type { HttpProviderConfig } from './provider-config.ts';
import { ProviderError, type ProviderName } from '../provider.ts';
import { backoffDelay, parseRetryAfter } from './retry-after.ts';

export interface JsonClient {
  /** GETs `url` and parses its JSON body; throws ProviderError after retries. */
  getJson(url: URL, signal?: AbortSignal): Promise<unknown>;
}

export interface JsonClientOptions {
  fetch?: typeof fetch;
  log?: Logger;
  random?: () => number;
}

const isProviderError = (e: unknown): e is ProviderError => e instanceof ProviderError;

function statusError(provider: ProviderName, res: Response, where: string): ProviderError {
  const s = res.status;
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now()) ?? undefined;
  if (s === 429) return new ProviderError(provider, 'rate_limited', `${where}: HTTP 429`, { status: s, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  if (s >= 500) return new ProviderError(provider, 'server', `${where}: HTTP ${s}`, { status: s, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  if (s === 401 || s === 403) return new ProviderError(provider, 'auth', `${where}: HTTP ${s} (check the API key and plan)`, { status: s });
  if (s === 404) return new ProviderError(provider, 'not_found', `${where}: HTTP 404`, { status: s });
  return new ProviderError(provider, 'rejected', `${where}: HTTP ${s}`, { status: s });
}

/** One GET with a timeout: JSON body on 2xx, ProviderError otherwise (no retry here). */
async function fetchOnce(provider: ProviderName, fetchFn: typeof fetch, timeoutMs: number, url: URL, signal?: AbortSignal): Promise<unknown> {
  const where = `${provider} ${url.pathname}`;
  const timeout = AbortSignal.timeout(timeoutMs);
  let res: Response;
  let text: string;
  try {
    res = await fetchFn(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, headers: { accept: 'application/json' } });
    text = await res.text();
  } catch (err) {
    if (signal?.aborted) throw new ProviderError(provider, 'aborted', `${where}: aborted`, { cause: err });
    if (timeout.aborted) throw new ProviderError(provider, 'timeout', `${where}: no answer within ${timeoutMs} ms`, { cause: err });
    throw new ProviderError(provider, 'network', `${where}: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok) throw statusError(provider, res, where);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ProviderError(provider, 'malformed', `${where}: response is not valid JSON`, { cause: err });
  }
}

/** The provider's request queue, with a pause that a 429's Retry-After extends (never shortens). */
function createPacer(cfg: HttpProviderConfig): { queue: PQueue; pauseFor: (ms: number) => void } {
  const queue = new PQueue({ concurrency: cfg.concurrency, intervalCap: cfg.requestsPerMinute, interval: 60_000 });
  let resumeAt = 0;
  const pauseFor = (ms: number) => {
    const until = Date.now() + Math.min(ms, cfg.maxRetryAfterMs);
    if (until <= resumeAt) return;
    resumeAt = until;
    queue.pause();
    setTimeout(() => Date.now() >= resumeAt - 5 && queue.start(), until - Date.now()).unref();
  };
  return { queue, pauseFor };
}

/** Retry (transient errors, backoff never shorter than Retry-After) and circuit breaker (5xx, timeouts, network). */
function createPolicies(provider: ProviderName, cfg: HttpProviderConfig, opts: JsonClientOptions) {
  const random = opts.random ?? Math.random;
  const breaker = circuitBreaker(handleWhen((e) => isProviderError(e) && (e.kind === 'server' || e.kind === 'timeout' || e.kind === 'network')), {
    halfOpenAfter: cfg.breakerHalfOpenMs,
    breaker: new ConsecutiveBreaker(cfg.breakerThreshold),
  });
  const retrying = retry(handleWhen((e) => isProviderError(e) && e.transient), {
    maxAttempts: cfg.maxAttempts - 1,
    backoff: new DelegateBackoff((ctx: IRetryBackoffContext<unknown>) => {
      const err = 'error' in ctx.result ? ctx.result.error : undefined;
      const retryAfterMs = isProviderError(err) ? err.opts.retryAfterMs : undefined;
      return backoffDelay({ attempt: ctx.attempt, baseMs: cfg.baseDelayMs, maxMs: cfg.maxDelayMs, retryAfterMs, maxRetryAfterMs: cfg.maxRetryAfterMs, random });
    }),
  });
  retrying.onRetry((e) => opts.log?.debug({ provider, attempt: e.attempt, delayMs: Math.round(e.delay), reason: 'error' in e ? String(e.error) : 'result' }, 'market data retry'));
  return { breaker, retrying };
}

/** Creates the client of one provider; one per provider per process keeps its limiter honest. */
export function createJsonClient(provider: ProviderName, cfg: HttpProviderConfig, opts: JsonClientOptions = {}): JsonClient {
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const { queue, pauseFor } = createPacer(cfg);
  const { breaker, retrying } = createPolicies(provider, cfg, opts);
  /** A rejected key fails every later call at once instead of spending the quota. */
  let authFailure: ProviderError | null = null;
  const attempt = async (url: URL, signal?: AbortSignal): Promise<unknown> => {
    if (authFailure) throw authFailure;
    try {
      return await fetchOnce(provider, fetchFn, cfg.timeoutMs, url, signal);
    } catch (err) {
      if (isProviderError(err) && err.kind === 'rate_limited') pauseFor(err.opts.retryAfterMs ?? cfg.baseDelayMs);
      if (isProviderError(err) && err.kind === 'auth') authFailure = err;
      throw err;
    }
  };
  return {
    async getJson(url, signal) {
      try {
        return await retrying.execute(() => queue.add(() => breaker.execute(() => attempt(url, signal))), signal);
      } catch (err) {
        if (err instanceof BrokenCircuitError) throw new ProviderError(provider, 'circuit_open', `${provider}: circuit open after repeated failures; not calling it for now`, { cause: err });
        throw err;
      }
    },
  };
}
