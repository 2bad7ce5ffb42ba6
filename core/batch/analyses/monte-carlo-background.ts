/**
 * Monte Carlo VaR on a second core: the batch hands a portfolio's simulation to one worker thread
 * when its second-wave phases begin, goes on with the VaR backtest and the contributions in the
 * main thread, and takes the answer in the Monte Carlo phase. The answer is the one the main
 * thread would compute (same code, same seed); it is memoised under the same input digest.
 *
 * The worker is started once per process and kept, unreferenced while idle so it never holds a
 * process open. Where it cannot run (no worker file beside this one, as in a single-file bundle,
 * or a worker that fails), `startInBackground` answers null and the phase computes in the main
 * thread, so the figures never depend on it.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MonteCarloPayload } from '../../contracts/risk-analyses.ts';
import type { LabelledBook } from './book-at.ts';
import { MC_PATHS, MC_SEED, memoiseMonteCarlo } from './monte-carlo.ts';
import type { StyleRiskModel } from './style-model.ts';

export interface MonteCarloJob { id: number; lb: LabelledBook; model: StyleRiskModel; paths: number; seed: number }
export type MonteCarloJobAnswer = { id: number; ok: true; payload: MonteCarloPayload | null } | { id: number; ok: false; message: string };

const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './monte-carlo-worker.ts' : './monte-carlo-worker.js', import.meta.url);

/** Jobs answered by the worker, and jobs it could not answer (computed in the main thread instead). */
export const backgroundStats = { answered: 0, declined: 0 };

let worker: Worker | null = null;
/** Set once the worker is known not to work in this process, or when it is switched off. */
let unavailable = false;

/** Switches the background worker off (every simulation then runs in the main thread) or on again. */
export async function useBackgroundMonteCarlo(on: boolean): Promise<void> {
  if (!on) await stopMonteCarloWorker();
  unavailable = !on;
}
let nextId = 1;
const pending = new Map<number, (answer: MonteCarloJobAnswer | null) => void>();

function settleAll(): void {
  for (const done of pending.values()) done(null);
  pending.clear();
}

function start(): Worker | null {
  if (worker || unavailable) return worker;
  const path = fileURLToPath(ENTRY);
  if (!existsSync(path)) {
    unavailable = true;
    return null;
  }
  try {
    // TypeScript sources (npm start, the CLI, tests) load through tsx like the main thread.
    worker = new Worker(ENTRY, { execArgv: path.endsWith('.ts') ? ['--import', 'tsx'] : [], name: 'sigmasight-monte-carlo' });
  } catch {
    unavailable = true;
    return null;
  }
  worker.unref();
  worker.on('message', (answer: MonteCarloJobAnswer) => {
    const done = pending.get(answer.id);
    pending.delete(answer.id);
    if (pending.size === 0) worker?.unref();
    done?.(answer);
  });
  worker.on('error', () => {
    unavailable = true;
    settleAll();
  });
  worker.on('exit', () => {
    worker = null;
    settleAll();
  });
  return worker;
}

/** Starts the worker ahead of its first job (its modules load while the first-wave phases run). */
export function warmMonteCarloWorker(): void {
  start();
}

/**
 * Starts the simulation of `lb` under `model` on the worker; the promise gives its answer, or
 * undefined when the worker could not give one (compute it in the main thread then).
 */
export function startInBackground(lb: LabelledBook, model: StyleRiskModel, inputDigest: string): Promise<MonteCarloPayload | null | undefined> | null {
  const w = start();
  if (!w) return null;
  const id = nextId++;
  const answer = new Promise<MonteCarloJobAnswer | null>((resolve) => pending.set(id, resolve));
  if (pending.size === 1) w.ref();
  try {
    w.postMessage({ id, lb, model, paths: MC_PATHS, seed: MC_SEED } satisfies MonteCarloJob);
  } catch {
    pending.delete(id);
    return null;
  }
  return answer.then((a) => {
    if (!a || !a.ok) {
      backgroundStats.declined++;
      return undefined;
    }
    backgroundStats.answered++;
    memoiseMonteCarlo(inputDigest, a.payload);
    return a.payload;
  });
}

/** Stops the worker (tests and a server's shutdown); a later job starts a new one. */
export async function stopMonteCarloWorker(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
  settleAll();
}
