/**
 * Micro-cache for analytics GETs: stored batch results change only when a run writes them, so a
 * 200 answer is reused for `ttlMs` per (user, URL). The key carries the user id, so one user's
 * answer is never served to another; a request with `Cache-Control: no-cache` skips the cache.
 * `X-Cache: hit|miss` says which happened.
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
  return async (c, next) => {
    if (c.req.method !== 'GET' || ttlMs <= 0) return next();
    const key = `${c.get('principal').userId} ${c.req.url}`;
    const bypass = /no-cache|no-store/i.test(c.req.header('cache-control') ?? '');
    const hit = bypass ? undefined : cache.get(key);
    if (hit) return c.body(hit.body, 200, { 'content-type': hit.contentType, 'x-cache': 'hit' });
    await next();
    c.header('x-cache', 'miss');
    if (c.res.status === 200) cache.set(key, { body: await c.res.clone().text(), contentType: c.res.headers.get('content-type') ?? 'application/json' });
  };
}
