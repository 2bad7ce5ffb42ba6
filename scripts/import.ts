/**
 * `npm run import -- FILE --portfolio ID [--dry-run] [--replace] [--email USER]`: imports a
 * holdings file (SigmaSight CSV, IBKR Flex open positions, Schwab or Fidelity positions) into a
 * portfolio of the own book. Prints the preview (every row, what it becomes, warnings) and every
 * problem with its line and column; with problems nothing is written and the exit code is 1.
 * Otherwise the preview is committed, all or nothing (merge; --replace also closes the open
 * positions the file no longer lists), unless --dry-run. The user is --email, else
 * SIGMASIGHT_USER, else the portfolio's owner. Exit 0 after a commit or a clean dry run, 1 for
 * problems or errors, 2 for bad arguments. After a commit, positions without stored price history
 * get it at once when FMP or Polygon is configured (a progress bar per provider on a terminal);
 * the command then says which symbols have history now and which still do not.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { UUID_LIKE } from '../core/services/context.ts';

const USAGE = 'usage: npm run import -- FILE --portfolio ID [--dry-run] [--replace] [--email USER]';
/** The REST door's limit for a holdings file, kept here so both doors accept the same files. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

function usage(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true, strict: true,
      options: { portfolio: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, replace: { type: 'boolean', default: false }, email: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (err) {
    usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length === 0) usage('give the holdings file to import');
  if (positionals.length > 1) usage(`one file at a time; unexpected argument "${positionals[1]}"`);
  if (values.portfolio === undefined) usage('--portfolio is required: the id of the portfolio to import into (see `npm run portfolios`)');
  if (!UUID_LIKE.test(values.portfolio)) usage(`--portfolio must be a portfolio id (8-4-4-4-12 hex), got "${values.portfolio}"`);
  const file = positionals[0]!;
  if (!existsSync(file) || !statSync(file).isFile()) usage(`no such file: ${file}`);
  if (statSync(file).size > MAX_FILE_BYTES) {
    process.stderr.write(`error: ${file} is larger than 8 MiB; split it into smaller files\n`);
    process.exit(1);
  }
  return { file, portfolio: values.portfolio, dryRun: values['dry-run'], replace: values.replace, email: values.email };
}

const args = parse();
// Loaded after the arguments are checked, so a typo is answered at once.
const [{ commitImport, previewImport }, { principalForEmail }, { createLogger }, { listAllPortfolios }, { runWithDatabase, table }, { createProviders, marketDataConfigFromEnv }, { importHistoryReport, loadImportedHistory }, { progressBars }] = await Promise.all([
  import('../core/services/book-imports.ts'), import('../core/services/local-principal.ts'), import('../core/logger.ts'), import('../db/queries/portfolios.ts'), import('./lib/cli.ts'),
  import('../core/market-data/config.ts'), import('./lib/import-history.ts'), import('./lib/market-data-report.ts'),
]);

const dash = (s: string | null | undefined): string => (s === null || s === undefined || s === '' ? '—' : s);
const grid = (headers: string[], rows: (string | number)[][]): string => table(headers, rows).split('\n').map((l) => l.trimEnd()).join('\n');

await runWithDatabase(async ({ env, dbh }) => {
  await dbh.migrate();
  const log = createLogger({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, destination: 2 });
  const deps = { db: dbh.db, log, clock: () => new Date() };
  const owner = (await listAllPortfolios(dbh.db)).find((p) => p.id === args.portfolio)?.ownerEmail;
  const email = args.email ?? env.SIGMASIGHT_USER ?? owner;
  if (!email) throw new Error(`portfolio ${args.portfolio} not found (see \`npm run portfolios\`)`);
  const principal = await principalForEmail(dbh.db, email, args.email ? '--email' : env.SIGMASIGHT_USER ? 'SIGMASIGHT_USER' : 'the portfolio owner');
  const writer = { principal, door: 'cli' as const };

  const preview = await previewImport(deps, writer, args.portfolio, { text: readFileSync(args.file, 'utf8'), filename: basename(args.file) });
  const s = preview.summary;
  console.log(`${args.file}: ${preview.format ? `${preview.format} format` : 'format not recognised'}, ${s.rows} position row(s), ${preview.skipped.length} skipped, ${s.problems} problem(s); import ${preview.import_id} for ${email}\n`);
  if (preview.rows.length) {
    console.log(grid(
      ['line', 'symbol', 'side', 'quantity', 'entry price', 'entry date', 'action', 'warnings'],
      preview.rows.map((r) => [r.line, r.position.symbol, r.position.side, r.position.side === 'short' ? -r.position.quantity : r.position.quantity, r.position.entry_price, dash(r.position.entry_date), r.action, dash(r.warnings.join('; '))]),
    ));
    console.log('');
  }
  for (const k of preview.skipped) console.log(`skipped line ${k.line}: ${k.reason}`);
  if (preview.skipped.length) console.log('');
  if (preview.problems.length) {
    console.log(grid(['line', 'column', 'message'], preview.problems.map((p) => [p.line, dash(p.column), p.message])));
    console.log('');
    process.stderr.write(`error: ${preview.problems.length} problem(s) in ${args.file}: fix them and run again; nothing was written\n`);
    return 1;
  }
  if (!preview.rows.length) {
    process.stderr.write(`error: ${args.file} lists no positions; nothing was written\n`);
    return 1;
  }
  const closing = args.replace && s.close_on_replace > 0 ? `, close ${s.close_on_replace} open position(s) the file does not list` : '';
  console.log(`${args.replace ? 'replace' : 'merge'}: create ${s.create}, update ${s.update}, unchanged ${s.unchanged}${closing}`);
  if (args.dryRun) {
    console.log('dry run: nothing written; run again without --dry-run to commit');
    return 0;
  }
  const r = await commitImport(deps, writer, args.portfolio, preview.import_id, args.replace ? 'replace' : 'merge');
  console.log(`committed (${r.mode}): created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, closed ${r.closed}`);
  const flagged = preview.rows.filter((row) => row.missing_history).map((row) => row.position.symbol);
  if (flagged.length) {
    const bars = progressBars(process.stdout.isTTY === true);
    const history = await loadImportedHistory({ ...deps, providers: createProviders(marketDataConfigFromEnv(env), { log }) }, { portfolioId: args.portfolio, symbols: flagged, onProgress: bars.onProgress }).finally(() => bars.stop());
    const text = importHistoryReport(history);
    if (text) console.log(text);
  }
  if (r.created + r.updated + r.closed === 0) console.log('nothing changed: the portfolio already matches the file');
  else {
    console.log(`the stored results of portfolio ${args.portfolio} are stale until it is recomputed: the server's scheduled batch recomputes it (BATCH_CRON), or run \`npm run batch -- --portfolio ${args.portfolio}\` now`);
  }
  return 0;
});
