/**
 * In-process notice that a portfolio's answers changed: its book was edited (the stored results
 * are now stale) or a batch run committed new results. Read caches (the analytics micro-cache)
 * drop what they hold for that portfolio, so the next read after a change is never a cached
 * answer from before it.
 */
type Listener = (portfolioId: string) => void;

const listeners = new Set<Listener>();

/** Subscribes to changes; returns the unsubscribe function. */
export function onPortfolioAnswersChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function portfolioAnswersChanged(portfolioIds: Iterable<string>): void {
  for (const id of portfolioIds) for (const l of listeners) l(id);
}
