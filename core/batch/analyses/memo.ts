/**
 * A bounded in-process memo of analysis results keyed by a SHA-1 digest of every input they are
 * computed from. A nightly run recomputes only what changed: a VaR backtest adds one new day and
 * finds the 249 others under the same digests (same book held that day, same closes and rates in
 * its window); a rerun of the same date finds everything. Any change to an input — a position
 * edited, a close corrected, a different window — gives another digest, so a memoised result is
 * always the result a fresh computation would give. Least recently used entries go first.
 */
import { createHash, type Hash } from 'node:crypto';

/** Everything memoised in this process, for `clearAnalysisMemos`. */
const CLEARABLE = new Set<{ clear(): void }>();

/** Forgets every memoised analysis and loaded history (benchmarks time a cold computation with it). */
export function clearAnalysisMemos(): void {
  for (const m of CLEARABLE) m.clear();
}

/** Registers a cache that `clearAnalysisMemos` empties. */
export function registerClearable(m: { clear(): void }): void {
  CLEARABLE.add(m);
}

export class AnalysisMemo<V> {
  readonly #entries = new Map<string, V>();
  hits = 0;
  misses = 0;
  constructor(private readonly capacity: number) {
    CLEARABLE.add(this);
  }

  /** The entry for `key` without computing it (undefined when absent). */
  peek(key: string): V | undefined {
    return this.#entries.get(key);
  }

  /** Stores an entry computed elsewhere. */
  set(key: string, v: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, v);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }

  get(key: string, compute: () => V): V {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.hits++;
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    this.misses++;
    const v = compute();
    this.set(key, v);
    return v;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** A digest builder: JSON for structured inputs, raw bytes for numeric arrays. */
export function digest(): { json(v: unknown): void; floats(a: Float64Array): void; done(): string; hash: Hash } {
  const hash = createHash('sha1');
  return {
    hash,
    json: (v) => void hash.update(JSON.stringify(v) + '\u0000'),
    floats: (a) => void hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)),
    done: () => hash.digest('hex'),
  };
}

/**
 * Window fingerprints of a close series in O(1) a window: each close is mixed with its date into
 * two independent 32-bit values (from its IEEE-754 bits, so any change of a close changes them),
 * and prefix sums of those give the pair of window sums Σ_{i∈[lo,hi)} for any window — exact in
 * float64, since 2^32 × a few thousand dates stays below 2^53. 64 bits of fingerprint a window.
 */
export class WindowFingerprints {
  readonly #prefix = new WeakMap<Float64Array, [Float64Array, Float64Array]>();
  readonly #dateMix: Uint32Array;

  constructor(dates: readonly string[]) {
    this.#dateMix = Uint32Array.from(dates, (d) => {
      let x = 0x811c9dc5;
      for (let i = 0; i < d.length; i++) x = Math.imul(x ^ d.charCodeAt(i), 0x01000193);
      return x >>> 0;
    });
  }

  #sums(series: Float64Array): [Float64Array, Float64Array] {
    let p = this.#prefix.get(series);
    if (p) return p;
    const bits = new Uint32Array(series.buffer, series.byteOffset, series.length * 2);
    const a = new Float64Array(series.length + 1);
    const b = new Float64Array(series.length + 1);
    for (let i = 0; i < series.length; i++) {
      const lo = bits[2 * i]!, hi = bits[2 * i + 1]!, d = this.#dateMix[i]!;
      let x = Math.imul(lo ^ d, 0x9e3779b1) ^ Math.imul(hi ^ (d >>> 7), 0x85ebca77);
      x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
      let y = Math.imul(hi ^ d, 0xcc9e2d51) ^ Math.imul(lo ^ (d << 3), 0x1b873593);
      y = Math.imul(y ^ (y >>> 13), 0x68e31da4) >>> 0;
      a[i + 1] = a[i]! + x;
      b[i + 1] = b[i]! + y;
    }
    p = [a, b];
    this.#prefix.set(series, p);
    return p;
  }

  /** The fingerprint of series[lo, hi) as two integers. */
  window(series: Float64Array, lo: number, hi: number): [number, number] {
    const [a, b] = this.#sums(series);
    return [a[hi]! - a[lo]!, b[hi]! - b[lo]!];
  }
}

/**
 * Results computed from one market history object and other inputs named by a digest: while the
 * market data is unchanged the history loader hands out the same object (market-history.ts), so
 * a rerun on the same date finds its result here; a new history object starts empty.
 */
export class PerHistoryMemo<V> {
  #byHistory = new WeakMap<object, Map<string, V>>();
  constructor() {
    CLEARABLE.add(this);
  }
  clear(): void {
    this.#byHistory = new WeakMap();
  }
  get(history: object, key: string, compute: () => V): V {
    let m = this.#byHistory.get(history);
    if (!m) this.#byHistory.set(history, (m = new Map()));
    if (m.has(key)) return m.get(key)!;
    const v = compute();
    m.set(key, v);
    if (m.size > 5_000) m.delete(m.keys().next().value!);
    return v;
  }
}
