/**
 * `npm run validate`: checks the installation, one pass/warn/fail line each — Node version,
 * configuration, database reachable, migrations current, demo users present, bundled data
 * loaded, API reachable if running, language model configured or offline mode. Exit 1 on a fail.
 */
import { connectDatabase } from '../core/database.ts';
import { EnvError, readEnv, type Env } from '../core/env.ts';
import { countPrices } from '../db/queries/market-prices.ts';
import { migrationStatus } from '../db/queries/migrations.ts';
import { tableCounts } from '../db/queries/portfolios.ts';

type Level = 'pass' | 'warn' | 'fail';
const results: Level[] = [];
function report(level: Level, what: string, detail: string): void {
  results.push(level);
  console.log(`${level.toUpperCase().padEnd(4)}  ${what.padEnd(20)} ${detail}`);
}

const major = Number(process.versions.node.split('.')[0]);
report(major >= 22 ? 'pass' : 'fail', 'node', `${process.version}${major >= 22 ? '' : ' (SigmaSight needs Node ≥ 22.12; run through npm so the pinned Node 24 is used)'}`);

let env: Env | undefined;
try {
  env = readEnv();
  report('pass', 'configuration', 'environment variables valid');
} catch (err) {
  for (const line of err instanceof EnvError ? err.lines : [String(err)]) report('fail', 'configuration', line);
}

if (env) {
  try {
    const dbh = await connectDatabase(env);
    report('pass', 'database', `${dbh.target} answers`);
    try {
      const pending = (await migrationStatus(dbh.db)).filter((m) => !m.applied);
      report(pending.length ? 'fail' : 'pass', 'migrations', pending.length ? `${pending.length} pending: run \`npm run db:migrate\`` : 'all applied');
      if (!pending.length) {
        const counts = await tableCounts(dbh.db);
        report(counts.users >= 3 ? 'pass' : 'fail', 'demo users', counts.users >= 3 ? `${counts.users} users, ${counts.portfolios} portfolios, ${counts.positions} positions` : 'missing: run `npm run seed`');
        const prices = await countPrices(dbh.db);
        report(prices.rows >= 122_000 ? 'pass' : 'fail', 'bundled market data', `${prices.rows} price rows, last date ${prices.lastDate ?? 'none'}${prices.rows >= 122_000 ? '' : ': run `npm run seed`'}`);
      }
    } finally {
      await dbh.close();
    }
  } catch (err) {
    report('fail', 'database', (err as Error).message);
  }

  const url = `http://localhost:${env.PORT}/health`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    report(res.ok ? 'pass' : 'fail', 'api', `${url} answered ${res.status}`);
  } catch {
    report('warn', 'api', `not running at ${url} (start it with \`npm start\`)`);
  }

  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) report('pass', 'language model', `${env.OPENAI_BASE_URL ?? 'OpenAI'} with model ${env.OPENAI_MODEL}`);
  else report('warn', 'language model', 'no OPENAI_API_KEY or OPENAI_BASE_URL: chat runs in offline mode');
}

const fails = results.filter((r) => r === 'fail').length;
const warns = results.filter((r) => r === 'warn').length;
console.log(`\n${fails} failed, ${warns} warnings, ${results.length - fails - warns} passed`);
process.exit(fails ? 1 : 0);
