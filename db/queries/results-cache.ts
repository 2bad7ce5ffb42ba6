/**
 * Read-through cache of decoded stored results, validated on every use against the database by
 * one cheap statement the caller runs first (see `overviewInputs` in results.ts). That statement
 * returns two tokens:
 *
 * - `stamp`: the database snapshot (`pg_current_snapshot()`, which changes whenever any
 *   transaction that wrote anything commits or aborts). An entry stamped with the current
 *   snapshot is current: nothing was written since it was validated.
 * - `version`: computed only when the stamp differs, from the exact rows the read depends on —
 *   row versions (`xmin`) and counts of every table it reads — so any committed write to those
 *   rows (a new run, a rerun of the same date, an edited, closed or deleted position) yields a
 *   new version, and a write elsewhere does not.
 *
 * A value is read after its tokens, so it is never older than they say. Entries are per database
 * client (two databases in one process never share one), per caller's key (which carries the
 * user id), bounded in number, and frozen: callers share them read-only. Concurrent misses of
 * one key and version share one read. A transaction handle bypasses the cache.
 */
import { PgTransaction } from 'drizzle-orm/pg-core';
import { LRUCache } from 'lru-cache';
import type { Db } from '../client.ts';
import { preparedRead, runPrepared, type PreparedRead } from './results-prepared.ts';

export interface CacheEntry<T> {
  /** Snapshot at which `version` was last confirmed. */
  stamp: string;
  version: string;
  value: T;
}

interface PerDb<T> {
  entries: LRUCache<string, CacheEntry<T>>;
  inflight: Map<string, Promise<T>>;
}

/** Freezes `v` and everything reachable from it (plain objects and arrays). */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

export interface VersionedCache<T> {
  /** The entry of `key`, if any; null when `db` cannot be cached (a transaction handle). */
  peek(db: Db, key: string): CacheEntry<T> | undefined | null;
  /**
   * The value of `key` at `version` (confirmed at snapshot `stamp`): the entry's when it holds
   * that version (its stamp moves to `stamp`), else `read()`, kept when `keep` allows.
   */
  get(db: Db, key: string, stamp: string, version: string, read: () => Promise<T>): Promise<T>;
}

export function versionedCache<T>(opts: { max: number; keep?: (value: T) => boolean }): VersionedCache<T> {
  const perDb = new WeakMap<object, PerDb<T>>();
  const stateOf = (db: Db): PerDb<T> | null => {
    if (db instanceof PgTransaction) return null;
    const client = (db as { $client?: unknown }).$client;
    if (!client || (typeof client !== 'object' && typeof client !== 'function')) return null;
    let s = perDb.get(client);
    if (!s) perDb.set(client, (s = { entries: new LRUCache({ max: opts.max }), inflight: new Map() }));
    return s;
  };
  return {
    peek(db, key) {
      const s = stateOf(db);
      return s ? s.entries.get(key) : null;
    },
    async get(db, key, stamp, version, read) {
      const s = stateOf(db);
      if (!s) return read();
      const hit = s.entries.get(key);
      if (hit && hit.version === version) {
        hit.stamp = stamp;
        return hit.value;
      }
      const flight = `${key}\0${version}`;
      const pending = s.inflight.get(flight);
      if (pending) return pending;
      const p = read().then(
        (value) => {
          s.inflight.delete(flight);
          if (!opts.keep || opts.keep(value)) s.entries.set(key, { stamp, version, value: deepFreeze(value) });
          return value;
        },
        (err: unknown) => {
          s.inflight.delete(flight);
          throw err;
        },
      );
      s.inflight.set(flight, p);
      return p;
    },
  };
}

/** The database snapshot: changes whenever a transaction that wrote anything commits or aborts. */
const SNAPSHOT = preparedRead('select pg_current_snapshot()::text', []);

/** What `validatedRead` answers when the version statement returned no row (the caller may not read). */
export const NOT_READABLE: unique symbol = Symbol('not readable');

/**
 * `read()` through `cache` under `key`, validated by the database on every call: an entry
 * confirmed at the current snapshot is returned after one trivial statement; otherwise
 * `version` (a prepared read whose one row is the snapshot and the version of the rows `read`
 * depends on, and which returns no row when the caller may not read them) decides whether the
 * entry still holds, and only a changed version calls `read()`. `NOT_READABLE` when `version`
 * returned no row.
 */
export async function validatedRead<T>(db: Db, cache: VersionedCache<T>, key: string, version: PreparedRead, params: readonly string[], read: () => Promise<T>): Promise<T | typeof NOT_READABLE> {
  const entry = cache.peek(db, key);
  if (entry === null) return read();
  if (entry) {
    const [[snapshot] = []] = await runPrepared(db, SNAPSHOT, []);
    if (snapshot === entry.stamp) return entry.value;
  }
  const [[stamp, v] = []] = await runPrepared(db, version, params);
  if (!stamp || !v) return NOT_READABLE;
  return cache.get(db, key, stamp, v, read);
}
