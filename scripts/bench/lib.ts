import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** Median of an ascending-sorted sample. */
export const medianOf = (sorted: readonly number[]): number => sorted[Math.floor(sorted.length / 2)]!;

/** Seeded uniform generator on [0, 1) (mulberry32), so every run and its numpy twin see the same data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw by Box–Muller from a uniform generator. */
export const gauss = (r: () => number): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/** Reads a file of little-endian float64 values written by numpy's `tofile`. */
export function readF64(file: string): Float64Array {
  const buf = readFileSync(file);
  return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/**
 * Runs `script` with python3: argv[1] is a temporary folder holding each array as `<name>.bin`,
 * then `args`. The JSON on the script's last stdout line is passed, with the folder, to `finish`
 * before the folder is removed. Returns null when python3 or numpy is missing or the script fails,
 * so a machine without them still benchmarks SigmaSight alone.
 */
export function runPython<T, R>(script: string, arrays: Record<string, ArrayBufferView>, finish: (parsed: T, dir: string) => R, args: string[] = []): R | null {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-bench-'));
  try {
    for (const [name, a] of Object.entries(arrays)) writeFileSync(join(dir, `${name}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const out = spawnSync('python3', ['-c', script, dir, ...args], { encoding: 'utf8' });
    if (out.status !== 0) return null;
    return finish(JSON.parse(out.stdout.trim().split('\n').pop()!) as T, dir);
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Pins BLAS threads from argv[2] (before numpy loads), imports numpy, and names the data folder `d`. */
const PY_PRELUDE = `import os, sys
if len(sys.argv) > 2: os.environ['OPENBLAS_NUM_THREADS'] = os.environ['OMP_NUM_THREADS'] = sys.argv[2]
import time, json, numpy as np
d = sys.argv[1]
`;

export interface NumpyTimedOptions {
  /** Appended to "numpy <version>" in the row's reference name. */
  label?: string;
  /** BLAS threads for numpy; unset leaves numpy's default. */
  threads?: number;
  /** Timed repetitions after `warmup` untimed ones; the median is reported. */
  reps?: number;
  warmup?: number;
}

export interface NumpyTiming {
  /** Median wall time of run(), ms. */
  ms: number;
  /** Minimum wall time, ms. */
  minMs: number;
  /** Median process CPU time (`time.process_time`, all threads), ms. */
  cpuMs: number;
  name: string;
}

/**
 * Times a numpy twin. `body` is Python that loads its arrays from the folder `d` and defines
 * `run()`; the shared prelude and timing loop around it report the median and the minimum wall
 * time and the median CPU time of `run()` in ms.
 */
export function numpyTimed(body: string, arrays: Record<string, ArrayBufferView>, opts: NumpyTimedOptions = {}): NumpyTiming | null {
  const { label = '', threads, reps = 5, warmup = 1 } = opts;
  const timing = `
times, cpu = [], []
for i in range(${reps + warmup}):
    t0 = time.perf_counter(); c0 = time.process_time(); run()
    times.append((time.perf_counter() - t0) * 1e3); cpu.append((time.process_time() - c0) * 1e3)
times, cpu = sorted(times[${warmup}:]), sorted(cpu[${warmup}:])
print(json.dumps({'ms': times[len(times) // 2], 'minMs': times[0], 'cpuMs': cpu[len(cpu) // 2], 'numpy': np.__version__}))
`;
  return runPython<Omit<NumpyTiming, 'name'> & { numpy: string }, NumpyTiming>(
    PY_PRELUDE + body + timing,
    arrays,
    (r) => ({ ms: r.ms, minMs: r.minMs, cpuMs: r.cpuMs, name: `numpy ${r.numpy}${label}` }),
    threads ? [String(threads)] : [],
  );
}

/** One timed call of run() in a numpy twin served by {@link numpyServer}. */
export interface NumpyCall {
  /** Wall time of run(), ms (`time.perf_counter`). */
  ms: number;
  /** CPU time of the Python process during run(), ms (`time.process_time`, all threads). */
  cpuMs: number;
}

export interface NumpyServer {
  /** "numpy <version>" plus the label. */
  name: string;
  /** Runs run() `n` times back to back and returns the timing of each call. */
  calls(n: number): Promise<NumpyCall[]>;
  close(): void;
}

/**
 * Starts a long-lived numpy twin that, per request, runs `run()` n times back to back (as numpy is
 * timed on its own, BLAS threads kept busy) and returns each call's timing. A suite can then
 * alternate blocks of SigmaSight and numpy calls over several rounds, so both see the same machine
 * load, the same number of warm-up and timed calls, and the same statistic. `body` is as for
 * {@link numpyTimed}.
 * Resolves to null when python3 or numpy is missing or the script fails to start.
 */
export async function numpyServer(body: string, arrays: Record<string, ArrayBufferView>, opts: { label?: string; threads?: number } = {}): Promise<NumpyServer | null> {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-bench-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  for (const [name, a] of Object.entries(arrays)) writeFileSync(join(dir, `${name}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const loop = `
print(json.dumps({'numpy': np.__version__}), flush=True)
for line in sys.stdin:
    out = []
    for i in range(int(line)):
        t0 = time.perf_counter(); c0 = time.process_time(); run()
        out.append({'ms': (time.perf_counter() - t0) * 1e3, 'cpuMs': (time.process_time() - c0) * 1e3})
    print(json.dumps(out), flush=True)
`;
  const child = spawn('python3', ['-c', PY_PRELUDE + body + loop, dir, ...(opts.threads ? [String(opts.threads)] : [])], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<unknown> => {
    const r = await lines.next();
    if (r.done) throw new Error('numpy twin exited');
    return JSON.parse(r.value) as unknown;
  };
  const close = () => {
    child.stdin.end();
    child.kill();
    cleanup();
  };
  child.on('error', () => undefined);
  try {
    const hello = (await next()) as { numpy: string };
    return {
      name: `numpy ${hello.numpy}${opts.label ?? ''}`,
      calls: async (n) => {
        child.stdin.write(`${n}\n`);
        return (await next()) as NumpyCall[];
      },
      close,
    };
  } catch {
    close();
    return null;
  }
}
