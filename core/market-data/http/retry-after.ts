/** Backoff arithmetic for the HTTP providers (pure, so it is tested exactly). */

/**
 * Milliseconds to wait from a Retry-After header: delta-seconds ("120") or an HTTP-date
 * ("Wed, 21 Oct 2015 07:28:00 GMT", RFC 9110 §10.2.3); null when absent or unparseable.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Delay before retry `attempt` (1 = first retry): exponential base·2^(attempt−1) capped at
 * `maxMs`, with equal jitter (half fixed, half uniform in `random()`), and never shorter than the
 * server's Retry-After (itself capped at `maxRetryAfterMs`).
 */
export function backoffDelay(p: { attempt: number; baseMs: number; maxMs: number; retryAfterMs?: number | undefined; maxRetryAfterMs: number; random: () => number }): number {
  const exp = Math.min(p.maxMs, p.baseMs * 2 ** (p.attempt - 1));
  const jittered = exp / 2 + (p.random() * exp) / 2;
  const floor = p.retryAfterMs === undefined ? 0 : Math.min(p.retryAfterMs, p.maxRetryAfterMs);
  return Math.max(jittered, floor);
}
