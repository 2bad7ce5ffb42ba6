/**
 * Shared contract of `npm run bench`. Each `scripts/bench/<name>.bench.ts` default-exports a
 * `BenchSuite`; the runner (`scripts/bench.ts`) runs them in file order and prints one table.
 */
export interface BenchRow {
  /** What was measured, e.g. "Greeks, 100,000 options". */
  name: string;
  /** Unit that `perUnitNs` refers to, e.g. "option", "position", "request". */
  unit: string;
  /** Number of units processed in one timed repetition. */
  units: number;
  /** Median wall time of one repetition, milliseconds. */
  medianMs: number;
  /** Median wall time of the same computation in a reference implementation (numpy), if run. */
  referenceMs?: number;
  /** Name of the reference, e.g. "numpy 1.26.4". */
  referenceName?: string;
  /** Free-form extra figures (p50/p99 latency, req/s …). */
  extra?: Record<string, string | number>;
}

export interface BenchSuite {
  name: string;
  run(): Promise<BenchRow[]>;
}

/** Runs `fn` `reps` times after `warmup` runs and returns the median wall time in ms. */
export async function medianMs(fn: () => unknown | Promise<unknown>, reps = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
