/**
 * Scale-out on Postgres with pg-boss: a run job executes the global phases once, then fans out
 * one job per portfolio; any number of worker processes (`npm run worker`, and the server when
 * BATCH_QUEUE is on) take portfolio jobs. Each worker rebuilds the run's market window and factor
 * model once per run (deterministic: the same inputs as the stored symbol betas) and caches it;
 * whichever job finishes last finalises the run. A worker killed mid-job leaves its job to expire
 * and be retried by pg-boss; phases upsert, so the retry replaces rather than duplicates.
 */
import { PgBoss } from 'pg-boss';
import { portfolioAnswersChanged } from '../results-events.ts';
import { countPortfolioDone, getRun, listPhaseRuns, markRunStarted, pendingPhaseCount, type RunStatus } from '../../db/queries/batch-runs.ts';
import { batchTransaction } from './phase-runner.ts';
import { listBatchPortfolios, marketScopeOfPortfolios } from '../../db/queries/batch-portfolios.ts';
import { computeFactorModel } from './factor-model.ts';
import { DEFAULT_RUN_TIMEOUT_MS, finalizeRun, runContext, runGlobalPhases, runPortfolio } from './orchestrator.ts';
import { loadRunMarket } from './run-market.ts';
import type { BatchRunner } from './runner.ts';
import type { BatchDeps, PhaseName, RunContext } from './types.ts';

export const RUN_QUEUE = 'sigmasight-batch-run';
export const PORTFOLIO_QUEUE = 'sigmasight-batch-portfolio';
const JOB_EXPIRE_SECONDS = 15 * 60;
/** Portfolio jobs one poller claims per fetch (they complete together; a crash retries them all, and phases upsert). */
const JOBS_PER_FETCH = 4;

export interface QueueRunner extends BatchRunner {
  stop(): Promise<void>;
}

export interface QueueOptions {
  url: string;
  /** Portfolio jobs this process works at once; 0 = enqueue only, work nothing. */
  concurrency: number;
}

/** Runs the global phases of a claimed run and enqueues its portfolio jobs. */
async function startQueuedRun(deps: BatchDeps, boss: PgBoss, runId: string): Promise<void> {
  const run = await getRun(deps.db, runId);
  if (!run || !['queued', 'running'].includes(run.status)) return;
  await markRunStarted(deps.db, runId, deps.clock(), deps.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
  const ctx = runContext(deps, run);
  await runGlobalPhases(deps, ctx, run.portfolioIds);
  const jobs = run.portfolioIds.map((portfolioId) => ({ data: { runId, portfolioId }, retryLimit: 2, expireInSeconds: JOB_EXPIRE_SECONDS }));
  for (let i = 0; i < jobs.length; i += 500) await boss.insert(PORTFOLIO_QUEUE, jobs.slice(i, i + 500));
  if (!jobs.length) await finalizeRun(deps, runId, run.createdAt);
}

/** Rebuilds (or reuses) a run's shared context in this worker. */
async function sharedContext(deps: BatchDeps, runId: string, cache: Map<string, Promise<{ ctx: RunContext; global: Map<PhaseName, RunStatus> }>>) {
  let hit = cache.get(runId);
  if (!hit) {
    hit = (async () => {
      const run = (await getRun(deps.db, runId))!;
      const ctx = runContext(deps, run);
      const global = new Map<PhaseName, RunStatus>();
      for (const p of await listPhaseRuns(deps.db, runId)) if (p.portfolioId === null) global.set(p.phase as PhaseName, p.status);
      if (!ctx.skipBatch && global.get('factor_model') === 'succeeded') {
        const scope = await marketScopeOfPortfolios(deps.db, run.portfolioIds);
        ctx.market = await loadRunMarket(deps.db, run.asOf, scope.symbols, scope.earliest);
        ctx.model = computeFactorModel(ctx.market, runId);
      }
      return { ctx, global };
    })();
    cache.clear();
    cache.set(runId, hit);
  }
  return hit;
}

/**
 * A fetch of portfolio jobs: per run, one status check, one portfolio lookup, each portfolio's
 * phases, then one update counting them done (and refreshing the heartbeat); whichever fetch
 * counts the run's last portfolio finalises it.
 */
async function runPortfolioJobs(deps: BatchDeps, jobs: readonly { runId: string; portfolioId: string }[], cache: Parameters<typeof sharedContext>[2]): Promise<void> {
  for (const runId of new Set(jobs.map((j) => j.runId))) {
    const run = await getRun(deps.db, runId);
    if (!run || run.status !== 'running') continue;
    const { ctx, global } = await sharedContext(deps, runId, cache);
    const ids = jobs.filter((j) => j.runId === runId).map((j) => j.portfolioId);
    for (const portfolio of await listBatchPortfolios(deps.db, { ids })) await runPortfolio(deps, ctx, portfolio, global);
    const { done, total } = await batchTransaction(deps.db, (tx) => countPortfolioDone(tx, runId, ids.length), { sessionIsAsync: deps.asyncCommitSession });
    if (done >= total && (await pendingPhaseCount(deps.db, runId)) === 0) await finalizeRun(deps, runId, run.createdAt);
  }
}

/** Starts pg-boss (creating its queues) and, with concurrency > 0, works run and portfolio jobs. */
export async function startQueueRunner(deps: BatchDeps, opts: QueueOptions): Promise<QueueRunner> {
  const boss = new PgBoss({ connectionString: opts.url, schema: 'pgboss' });
  boss.on('error', (err) => deps.log.error({ err }, 'job queue error'));
  boss.on('warning', (w) => deps.log.warn({ data: w.data }, `job queue warning: ${w.message}`));
  await boss.start();
  await boss.createQueue(RUN_QUEUE);
  await boss.createQueue(PORTFOLIO_QUEUE);
  const cache = new Map<string, Promise<{ ctx: RunContext; global: Map<PhaseName, RunStatus> }>>();
  if (opts.concurrency > 0) {
    await boss.work<{ runId: string }>(RUN_QUEUE, { pollingIntervalSeconds: 0.5 }, async ([job]) => startQueuedRun(deps, boss, job!.data.runId));
    // Each of the `concurrency` pollers claims a few jobs per fetch and, while fetches come back
    // full, fetches again at once (burst) instead of waiting out the polling interval per job.
    await boss.work<{ runId: string; portfolioId: string }>(
      PORTFOLIO_QUEUE,
      { pollingIntervalSeconds: 0.5, localConcurrency: opts.concurrency, batchSize: JOBS_PER_FETCH, burstWhenBatchFull: true },
      (jobs) => runPortfolioJobs(deps, jobs.map((j) => j.data), cache),
    );
  }
  // Runs this process enqueued finish in whichever process ends their last portfolio job; a light
  // poll (one indexed read per open run each second) tells this process when, so it can report it.
  const pending = new Set<string>();
  let watching: Promise<void> | null = null;
  const watch = (): Promise<void> =>
    (watching ??= (async () => {
      while (pending.size) {
        for (const id of [...pending]) {
          const r = await getRun(deps.db, id).catch(() => undefined);
          if (r && !['queued', 'running'].includes(r.status)) {
            pending.delete(id);
            portfolioAnswersChanged(r.portfolioIds);
            runner.onFinished?.(id, r.status);
          } else if (r === null) pending.delete(id);
        }
        if (pending.size) await new Promise((res) => setTimeout(res, 1_000).unref());
      }
    })().finally(() => (watching = null)));
  const runner: BatchRunner & { stop: () => Promise<void> } = {
    submit(runId) {
      pending.add(runId);
      void boss.send(RUN_QUEUE, { runId }, { retryLimit: 1, expireInSeconds: JOB_EXPIRE_SECONDS }).catch((err: unknown) => deps.log.error({ err, runId }, 'could not enqueue batch run'));
      void watch();
    },
    async idle() {
      while (pending.size) await watch();
    },
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
  return runner;
}
