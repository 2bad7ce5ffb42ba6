/**
 * A view of a database handle that refuses to start a statement once a signal is aborted: the
 * statement in flight finishes, every later `select`, `insert`, `update`, `delete`, `execute` or
 * `transaction` throws an `AbortError` before it reaches the database. A cancelled tool call thus
 * stops at its next query instead of running its remaining queries for nobody.
 */
import type { Db } from './client.ts';

const STARTERS: ReadonlySet<PropertyKey> = new Set(['select', 'selectDistinct', 'selectDistinctOn', 'insert', 'update', 'delete', 'execute', 'transaction', 'with', '$with', '$count', 'refreshMaterializedView']);

/** The error a refused statement throws: a DOMException named `AbortError`, carrying the signal's reason. */
export function abortError(signal: AbortSignal): DOMException {
  const reason: unknown = signal.reason;
  const text = reason instanceof Error ? reason.message : typeof reason === 'string' && reason ? reason : 'the operation was cancelled';
  return new DOMException(text, 'AbortError');
}

export function abortableDb(db: Db, signal: AbortSignal): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || !STARTERS.has(prop)) return value;
      return (...args: unknown[]) => {
        if (signal.aborted) throw abortError(signal);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
