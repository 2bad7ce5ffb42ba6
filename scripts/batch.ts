/**
 * `npm run batch -- [--portfolio ID] [--date YYYY-MM-DD] [--skip-reports] [--skip-batch]`:
 * runs the nightly batch now (all portfolios, or one), with a live portfolio × phase display on
 * a terminal (one line per finished portfolio otherwise) and a final table. Exit 0 when every phase succeeded or was skipped by request,
 * 1 when a phase failed (or the run could not start), 2 for bad arguments.
 */
import { parseArgs } from 'node:util';
import { startBatchRuntime } from '../core/batch/runtime.ts';
import { getBatchStatus, startSystemRun } from '../core/batch/service.ts';
import { createLogger } from '../core/logger.ts';
import { UUID_LIKE } from '../core/services/context.ts';
import { renderFinalTable, renderPortfolioLine, renderProgress, LOCAL_OPERATOR } from './lib/batch-display.ts';
import { runWithDatabase } from './lib/cli.ts';

const USAGE = 'usage: npm run batch -- [--portfolio ID] [--date YYYY-MM-DD] [--skip-reports] [--skip-batch]';

function parse() {
  try {
    const { values } = parseArgs({
      options: { portfolio: { type: 'string' }, date: { type: 'string' }, 'skip-reports': { type: 'boolean', default: false }, 'skip-batch': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
      strict: true, allowPositionals: false,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (values.portfolio !== undefined && !UUID_LIKE.test(values.portfolio)) throw new Error(`--portfolio must be a portfolio id (8-4-4-4-12 hex), got "${values.portfolio}"`);
    if (values.date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(values.date) || Number.isNaN(Date.parse(values.date)))) throw new Error(`--date must be a date YYYY-MM-DD, got "${values.date}"`);
    if (values['skip-batch'] && values['skip-reports']) throw new Error('--skip-batch and --skip-reports together leave nothing to do');
    return values;
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const args = parse();

await runWithDatabase(async ({ env, dbh }) => {
  const log = createLogger({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, destination: 2 });
  const runtime = await startBatchRuntime({ env, dbh, log, schedule: false, startupRun: false });
  // Ctrl-C or a supervisor's SIGTERM ends the run as interrupted, so the next run starts at once.
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: interrupting the batch run\n`);
    void runtime.stop({ interruptReason: `interrupted: the batch command stopped on ${signal}` }).finally(() => dbh.close().catch(() => {}).finally(() => process.exit(130)));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const svc = runtime.service;
    const run = await startSystemRun(svc, {
      trigger: 'cli', asOf: args.date ?? null, portfolioIds: args.portfolio ? [args.portfolio] : null, skipReports: args['skip-reports'], skipBatch: args['skip-batch'],
    });
    process.stdout.write(`batch run ${run.run_id} as of ${run.as_of}: ${run.portfolio_ids.length} portfolio(s)\n`);
    const tty = process.stdout.isTTY === true;
    let lines = 0;
    const draw = async () => {
      const text = renderProgress(await getBatchStatus(svc, LOCAL_OPERATOR, run.run_id));
      process.stdout.write(`${lines ? `\x1b[${lines}A\x1b[J` : ''}${text}\n`);
      lines = text.split('\n').length;
    };
    const reported = new Set<string>();
    const log = async () => {
      for (const p of (await getBatchStatus(svc, LOCAL_OPERATOR, run.run_id)).portfolios) {
        if (reported.has(p.portfolio_id) || p.phases.some((x) => x.status === 'queued' || x.status === 'running')) continue;
        reported.add(p.portfolio_id);
        process.stdout.write(`${renderPortfolioLine(p)}\n`);
      }
    };
    const timer = setInterval(() => void (tty ? draw() : log()).catch(() => {}), tty ? 250 : 100);
    await svc.runner.idle();
    clearInterval(timer);
    const status = await getBatchStatus(svc, LOCAL_OPERATOR, run.run_id);
    if (tty) await draw();
    else await log();
    process.stdout.write(`\n${renderFinalTable(status)}\n`);
    return status.progress.failed > 0 ? 1 : 0;
  } finally {
    await runtime.stop();
  }
});
