/**
 * Micro-cache for analytics GETs: stored batch results change only when a run writes them, so a
 * 200 answer is reused for `ttlMs` per (user, URL). The key carries the user id, so one user's
 * answer is never served to another; a request with `Cache-Control: no-cache` skips the cache.
 * Concurrent misses of one key wait for the first one's answer instead of each reading the
 * database (when an entry expires under load, one read instead of one per connection); if that
 * answer is not a 200, each of them computes its own. `X-Cache: hit|miss` says which happened.
 */
import type { MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import type { AppBindings } from '../context.ts';

interface Entry {
  body: string;
  contentType: string;
}

export function microcache(ttlMs: number, max = 5_000): MiddlewareHandler<AppBindings> {
  const cache = new LRUCache<string, Entry>({ max, ttl: ttlMs });
  const inflight = new Map<string, Promise<Entry | undefined>>();
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
      c.header('x-cache', 'miss');
      if (c.res.status === 200) {
        entry = { body: await c.res.clone().text(), contentType: c.res.headers.get('content-type') ?? 'application/json' };
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
