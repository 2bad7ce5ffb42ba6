/**
 * The background Monte Carlo worker's entry point (a worker thread started by
 * monte-carlo-background.ts): computes the answer of each job it is sent and posts it back.
 * A job that throws is answered with its message; the batch then computes it in the main thread,
 * where the error is reported as the phase's own.
 */
import { parentPort } from 'node:worker_threads';
import { computeMonteCarlo } from './monte-carlo.ts';
import type { MonteCarloJob, MonteCarloJobAnswer } from './monte-carlo-background.ts';

parentPort!.on('message', (job: MonteCarloJob) => {
  let answer: MonteCarloJobAnswer;
  try {
    answer = { id: job.id, ok: true, payload: computeMonteCarlo(job.lb, job.model, job.paths, job.seed) };
  } catch (err) {
    answer = { id: job.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(answer);
});
