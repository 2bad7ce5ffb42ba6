/**
 * Limits and retry policy of one HTTP market-data provider, and their defaults. The JSON client
 * and the HTTP providers take this; `../config.ts` builds it from the environment.
 */

/** Limits and retry policy of one HTTP provider. */
export interface HttpProviderConfig {
  apiKey: string;
  baseUrl: string;
  /** Requests started per rolling minute (the plan's rate limit). */
  requestsPerMinute: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Per-attempt timeout, milliseconds. */
  timeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff step, doubled per attempt (equal jitter), capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one is cut to this. */
  maxRetryAfterMs: number;
  /** Consecutive 5xx/timeout/network failures that open the circuit. */
  breakerThreshold: number;
  /** How long an open circuit refuses calls before letting one through. */
  breakerHalfOpenMs: number;
}

/** Defaults for everything but the key, the base URL and the plan's rate limit. */
export const HTTP_DEFAULTS: Omit<HttpProviderConfig, 'apiKey' | 'baseUrl' | 'requestsPerMinute'> = {
  concurrency: 4,
  timeoutMs: 15_000,
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  breakerThreshold: 5,
  breakerHalfOpenMs: 60_000,
};
