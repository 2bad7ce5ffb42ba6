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
export async function medianMs(fn: () => unknown | Promise<unknown>, reps = 5, warmup = 1, setup?: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < warmup; i++) {
    await setup?.();
    await fn();
  }
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    await setup?.();
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
    const out = spawnSync('python3', ['-c', script, dir, ...args], { encoding: 'utf8', env: pythonEnv() });
    if (out.status !== 0) return null;
    return finish(JSON.parse(out.stdout.trim().split('\n').pop()!) as T, dir);
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Environment variables that pin OpenBLAS to a kernel or cache size other than the one it detects.
 * Some shared machines set them (`OPENBLAS_CORETYPE=Haswell` with `OPENBLAS_L2_SIZE` on an AVX-512
 * CPU), which puts numpy on an older, slower kernel; every numpy child of the bench runs without
 * them, so SigmaSight is compared with numpy as it runs on a machine left at its defaults.
 */
export const BLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

/**
 * glibc malloc settings of every numpy child: blocks up to 32 MiB come from the heap and up to
 * 128 MiB of freed heap is kept. With glibc's defaults a numpy expression's temporaries (800 kB
 * each for 100,000 values) are returned to the system after each call and faulted in again on the
 * next: about 3,000 page faults per Greeks call, 45 ms instead of 6 ms of CPU on a virtual machine
 * where a fault costs ~15 µs. The numpy figure is meant to be numpy's compute, not that tax
 * (SigmaSight's timed calls reuse their buffers); each numpy figure reports its faults per call.
 */
export const NUMPY_MALLOC = { MALLOC_MMAP_THRESHOLD_: String(32 << 20), MALLOC_TRIM_THRESHOLD_: String(128 << 20) } as const;

/** Environment of a numpy child: this process's, without {@link BLAS_OVERRIDES}, with {@link NUMPY_MALLOC}. */
export function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NUMPY_MALLOC };
  for (const k of BLAS_OVERRIDES) delete env[k];
  return env;
}

/**
 * Python `blas_info()`: a one-line description of every OpenBLAS loaded in the process ("OpenBLAS
 * 0.3.31.188.0 SkylakeX, 1 thread"), from threadpoolctl when installed, else from the library itself
 * (its `openblas_get_corename` / `_get_config` / `_get_num_threads`, under numpy's and scipy's
 * symbol prefixes and suffixes, through ctypes on the paths in /proc/self/maps), and any
 * {@link BLAS_OVERRIDES} variable still set. Call it after the imports that load BLAS.
 */
const PY_BLAS_INFO = `
def blas_info():
    libs = []
    try:
        from threadpoolctl import threadpool_info
        for i in threadpool_info():
            if i.get('internal_api') == 'openblas':
                libs.append('%s %s %s, %d thread%s' % (os.path.basename(i['filepath']).split('-')[0], 'OpenBLAS ' + str(i.get('version')), i.get('architecture'), i['num_threads'], '' if i['num_threads'] == 1 else 's'))
    except Exception:
        pass
    if not libs:
        import ctypes
        try:
            paths = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'openblas' in l.rsplit('/', 1)[-1].lower() and '.so' in l})
        except OSError:
            paths = []
        for p in paths:
            try:
                lib = ctypes.CDLL(p)
            except OSError:
                continue
            def call(stem, restype):
                for pre in ('', 'scipy_'):
                    for suf in ('', '64_', '_64'):
                        f = getattr(lib, pre + stem + suf, None)
                        if f is not None:
                            f.restype = restype
                            return f()
            core, cfg, n = call('openblas_get_corename', ctypes.c_char_p), call('openblas_get_config', ctypes.c_char_p), call('openblas_get_num_threads', ctypes.c_int)
            if core is None:
                continue
            ver = cfg.decode().split()[1] if cfg else '?'
            libs.append('%s OpenBLAS %s %s, %s thread%s' % (os.path.basename(p).split('-')[0], ver, core.decode(), n, '' if n == 1 else 's'))
    left = [k for k in (${BLAS_OVERRIDES.map((k) => `'${k}'`).join(', ')}) if k in os.environ]
    return '; '.join(libs or ['BLAS kernel unknown']) + (' (set: ' + ', '.join(left) + ')' if left else '')
`;

/**
 * Pins BLAS threads from argv[2] (before numpy loads), imports numpy, names the data folder `d`
 * and defines `blas_info()` ({@link PY_BLAS_INFO}).
 */
export const PY_PRELUDE = `import os, sys
if len(sys.argv) > 2: os.environ['OPENBLAS_NUM_THREADS'] = os.environ['OMP_NUM_THREADS'] = sys.argv[2]
import time, json, resource, numpy as np
d = sys.argv[1]
faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
${PY_BLAS_INFO}`;

/** A reference's name with the BLAS it ran on, as the runner prints it next to the numpy figure. */
export const referenceName = (name: string, blas: string): string => `${name} [${blas}]`;

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
  /** Minor page faults per timed call. */
  faults: number;
  /** "numpy <version><label> [<BLAS kernel>]". */
  name: string;
  /** The BLAS the child ran on (`blas_info()`), e.g. "libscipy_openblas64_ OpenBLAS 0.3.31.188.0 SkylakeX, 1 thread". */
  blas: string;
}

/**
 * Times a numpy twin. `body` is Python that loads its arrays from the folder `d` and defines
 * `run()`; the shared prelude and timing loop around it report the median and the minimum wall
 * time and the median CPU time of `run()` in ms.
 */
export function numpyTimed(body: string, arrays: Record<string, ArrayBufferView>, opts: NumpyTimedOptions = {}): NumpyTiming | null {
  const { label = '', threads, reps = 5, warmup = 1 } = opts;
  const timing = `
times, cpu, f = [], [], 0
for i in range(${reps + warmup}):
    if i == ${warmup}: f = faults()
    t0 = time.perf_counter(); c0 = time.process_time(); run()
    times.append((time.perf_counter() - t0) * 1e3); cpu.append((time.process_time() - c0) * 1e3)
f = (faults() - f) / ${reps}
times, cpu = sorted(times[${warmup}:]), sorted(cpu[${warmup}:])
print(json.dumps({'ms': times[len(times) // 2], 'minMs': times[0], 'cpuMs': cpu[len(cpu) // 2], 'faults': f, 'numpy': np.__version__, 'blas': blas_info()}))
`;
  return runPython<Omit<NumpyTiming, 'name'> & { numpy: string }, NumpyTiming>(
    PY_PRELUDE + body + timing,
    arrays,
    (r) => ({ ms: r.ms, minMs: r.minMs, cpuMs: r.cpuMs, faults: r.faults, blas: r.blas, name: referenceName(`numpy ${r.numpy}${label}`, r.blas) }),
    threads ? [String(threads)] : [],
  );
}

/** One timed call of run() in a numpy twin served by {@link numpyServer}. */
export interface NumpyCall {
  /** Wall time of run(), ms (`time.perf_counter`). */
  ms: number;
  /** CPU time of the Python process during run(), ms (`time.process_time`, all threads). */
  cpuMs: number;
  /** Minor page faults during the call (numpy twins only). */
  faults?: number;
}

export interface NumpyServer {
  /** "numpy <version>" plus the label and the BLAS kernel in brackets. */
  name: string;
  /** The BLAS the child runs on (`blas_info()`). */
  blas: string;
  /** The child's first line: numpy, blas and whatever the body put in a dict `HELLO` (e.g. other versions). */
  hello: Record<string, unknown>;
  /** The data folder `d`, where the body may write files for the suite to read; removed by close(). */
  dir: string;
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
print(json.dumps(dict(globals().get('HELLO', {}), numpy=np.__version__, blas=blas_info())), flush=True)
for line in sys.stdin:
    out = []
    for i in range(int(line)):
        f0 = faults(); t0 = time.perf_counter(); c0 = time.process_time(); run()
        c1 = time.process_time(); t1 = time.perf_counter()
        out.append({'ms': (t1 - t0) * 1e3, 'cpuMs': (c1 - c0) * 1e3, 'faults': faults() - f0})
    print(json.dumps(out), flush=True)
`;
  const child = spawn('python3', ['-c', PY_PRELUDE + body + loop, dir, ...(opts.threads ? [String(opts.threads)] : [])], { stdio: ['pipe', 'pipe', 'ignore'], env: pythonEnv() });
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
    const hello = (await next()) as { numpy: string; blas: string };
    return {
      name: referenceName(`numpy ${hello.numpy}${opts.label ?? ''}`, hello.blas),
      blas: hello.blas,
      hello,
      dir,
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

/** `n` back-to-back calls of `fn`, each timed: wall (`performance.now`) and process CPU time (`process.cpuUsage`). */
export function timedCalls(fn: () => unknown, n: number): NumpyCall[] {
  const calls: NumpyCall[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    calls.push({ ms, cpuMs: (c.user + c.system) / 1e3 });
  }
  return calls;
}

/** Median of any sample (sorted copy). */
export const median = (xs: readonly number[]): number => medianOf([...xs].sort((a, b) => a - b));

/** Median over rounds of (median `k` of round i of `a` / median `k` of round i of `b`): the ratio least moved by load that comes and goes. */
export const roundRatio = (a: readonly NumpyCall[][], b: readonly NumpyCall[][], k: 'ms' | 'cpuMs' = 'ms'): number =>
  median(a.map((r, i) => median(r.map((c) => c[k])) / median(b[i]!.map((c) => c[k]))));

/** Mean page faults per call over every round that recorded them. */
export const faultsPerCall = (rounds: readonly NumpyCall[][]): number => {
  const calls = rounds.flat();
  return calls.reduce((s, c) => s + (c.faults ?? 0), 0) / Math.max(1, calls.length);
};
