/**
 * Shared plumbing for the thin CLI commands: parse the environment, open the database, run, and
 * turn any failure into one message on stderr with a non-zero exit code.
 */
import type { DbHandle } from '../../db/client.ts';
import { connectDatabase, StartupError } from '../../core/database.ts';
import { loadEnv, type Env } from '../../core/env.ts';
import { toAppError } from '../../core/errors.ts';

export interface CliContext {
  env: Env;
  dbh: DbHandle;
}

export async function runWithDatabase(fn: (ctx: CliContext) => Promise<number | void>): Promise<never> {
  const env = loadEnv();
  let dbh: DbHandle | undefined;
  let code = 0;
  try {
    dbh = await connectDatabase(env);
    code = (await fn({ env, dbh })) ?? 0;
  } catch (err) {
    const message = err instanceof StartupError ? err.message : toAppError(err).code === 'INTERNAL' ? (err as Error).message : toAppError(err).message;
    process.stderr.write(`error: ${message}\n`);
    code = 1;
  } finally {
    await dbh?.close().catch(() => {});
  }
  process.exit(code);
}

/** Left-aligned plain-text table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (typeof rows[0]?.[i] === 'number' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const usd = (x: number): string => x.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
