/**
 * Micro-cache for analytics GETs: stored batch results change only when a run writes them, so a
 * 200 answer is reused for `ttlMs` per (user, URL). The key carries the user id, so one user's
 * answer is never served to another; a request with `Cache-Control: no-cache` skips the cache.
 * Concurrent misses of one key wait for the first one's answer instead of each reading the
 * database (when an entry expires under load, one read instead of one per connection); if that
 * answer is not a 200, each of them computes its own. `X-Cache: hit|miss` says which happened.
 * A handler that answers through `cacheableJson` hands its serialised body over directly, so a
 * miss keeps it without cloning and reading back the response stream.
 */
import type { Context, MiddlewareHandler, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { LRUCache } from 'lru-cache';
import { onPortfolioAnswersChanged } from '../../core/results-events.ts';
import type { AppBindings } from '../context.ts';

/** Bodies of the responses built by `cacheableJson`. */
const bodies = new WeakMap<Response, string>();

/** `c.json(value, 200)`, whose body the micro-cache can keep as it is. */
export function cacheableJson<T>(c: Context, value: T): Response & TypedResponse<JSONParsed<T>, 200, 'json'> {
  const text = JSON.stringify(value);
  const res = c.body(text, 200, { 'content-type': 'application/json' });
  bodies.set(res, text);
  return res as unknown as Response & TypedResponse<JSONParsed<T>, 200, 'json'>;
}

interface Entry {
  body: string;
  contentType: string;
}

export function microcache(ttlMs: number, max = 5_000): MiddlewareHandler<AppBindings> {
  const cache = new LRUCache<string, Entry>({ max, ttl: ttlMs });
  const inflight = new Map<string, Promise<Entry | undefined>>();
  // an edit of the book or a committed run drops the portfolio's answers (keys carry its id in the URL)
  onPortfolioAnswersChanged((portfolioId) => {
    for (const key of [...cache.keys()]) if (key.includes(portfolioId)) cache.delete(key);
  });
  return async (c, next) => {
    if (c.req.method !== 'GET' || ttlMs <= 0) return next();
    const key = `${c.get('principal').userId} ${c.req.url}`;
    const bypass = /no-cache|no-store/i.test(c.req.header('cache-control') ?? '');
    const pending = bypass ? undefined : inflight.get(key);
    const hit = bypass ? undefined : (cache.get(key) ?? (pending && (await pending)));
    if (hit) return c.body(hit.body, 200, { 'content-type': hit.contentType, 'x-cache': 'hit' });
    let settle: ((e: Entry | undefined) => void) | undefined;
    if (!bypass && !inflight.has(key)) inflight.set(key, new Promise((resolve) => (settle = resolve)));
    let entry: Entry | undefined;
    try {
      await next();
      const res = c.res;
      // set on the response's own headers: `c.header` after the handler would rebuild the response
      res.headers.set('x-cache', 'miss');
      if (res.status === 200) {
        entry = { body: bodies.get(res) ?? (await res.clone().text()), contentType: res.headers.get('content-type') ?? 'application/json' };
        cache.set(key, entry);
      }
    } finally {
      if (settle) {
        inflight.delete(key);
        settle(entry);
      }
    }
  };
}
