/**
 * `npm run import`: a file with problems prints them by line and column, exits 1 and writes
 * nothing; --dry-run previews only; a commit writes the book through the cli door and says the
 * results are stale; the same file again changes nothing; --replace closes what the file no
 * longer lists; bad arguments exit 2. One embedded data directory (a copy of the run's seeded one), prepared in-process; each
 * command is a child process (they are slow, so there are few).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../core/bootstrap.ts';
import { createLogger } from '../../core/logger.ts';
import { createPortfolio } from '../../core/services/book-portfolios.ts';
import { createUser } from '../../core/services/users.ts';
import { createDb } from '../../db/client.ts';
import { queryRows } from '../../db/exec.ts';
import { seedPgliteDir } from '../helpers/db.ts';
import { ROOT, runTs } from '../helpers/run.ts';

const EMAIL = 'cli-importer@example.com';
const FIRST = 'symbol,quantity,side,entry_price,entry_date,tags\nAAPL,10,long,150,2025-01-02,core\nMSFT,5,short,400,2025-01-02,\nNVDA,20,long,100,2025-01-02,\n';
const SECOND = 'symbol,quantity,side,entry_price,entry_date,tags\nAAPL,10,long,150,2025-01-02,core\nMSFT,8,short,400,2025-01-02,\nXOM,4,long,110,2025-02-03,\n';

/** Data rows of a printed table: the cells of each line that starts with a line number. */
const tableRows = (out: string): string[][] => out.split('\n').filter((l) => /^\s*\d+\s{2}/.test(l)).map((l) => l.trim().split(/\s{2,}/));

describe('import command', () => {
  let dir: string;
  let pgliteDir: string;
  let portfolioId: string;
  const importTs = (args: string[], env: Record<string, string> = {}) => runTs('scripts/import.ts', args, { PGLITE_DIR: pgliteDir, ...env }, 120_000);
  /** Opens the data directory in this process (the children must not be running). */
  async function inspect<T>(fn: (db: ReturnType<typeof createDb>['db']) => Promise<T>): Promise<T> {
    const h = createDb({ pgliteDir });
    try {
      return await fn(h.db);
    } finally {
      await h.close();
    }
  }
  const book = () => inspect(async (db) => ({
    positions: await queryRows<{ symbol: string; quantity: string; entry_price: string; exit_date: string | null }>(db, sql`select symbol, quantity::text, entry_price::text, exit_date::text from positions where portfolio_id = ${portfolioId} and deleted_at is null order by symbol`),
    audit: await queryRows<{ action: string; door: string }>(db, sql`select action, door::text from portfolio_audit where portfolio_id = ${portfolioId} order by at, action`),
  }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sigmasight-import-cli-'));
    pgliteDir = join(dir, 'db');
    writeFileSync(join(dir, 'first.csv'), FIRST);
    writeFileSync(join(dir, 'second.csv'), SECOND);
    await seedPgliteDir(pgliteDir); // a copy of the run's seeded directory (the seed then finds nothing to do)
    const h = createDb({ pgliteDir });
    try {
      await prepareDatabase(h, { seed: true });
      const deps = { db: h.db, log: createLogger({ level: 'silent' }), clock: () => new Date() };
      const user = await createUser(deps, { email: EMAIL, password: 'cli-importer-1', full_name: 'Cli Importer', role: 'user', create_portfolio: false });
      portfolioId = (await createPortfolio(deps, { principal: { userId: user.id, email: user.email, role: 'user' }, door: 'cli' }, { name: 'CLI book', opening_equity: 100_000, benchmark: 'SPY' })).id;
    } finally {
      await h.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file with three bad rows: every problem printed with line and column, exit 1, nothing written', async () => {
    const r = importTs([`${ROOT}test/fixtures/imports/sigmasight-bad-rows.csv`, '--portfolio', portfolioId]);
    expect(r.status, r.stderr).toBe(1);
    const problems = tableRows(r.stdout).filter((c) => c.length === 3);
    expect(problems.map((c) => [c[0], c[1]])).toEqual([['3', 'quantity'], ['4', 'entry_date'], ['6', 'symbol']]);
    expect(problems[0]![2]).toContain('"1O0" is not a number');
    expect(problems[1]![2]).toContain('"2025-02-30" is not a real calendar date');
    expect(problems[2]![2]).toContain('"AAPL270115C250"');
    expect(r.stderr).toContain('3 problem(s)');
    expect(r.stderr).toContain('nothing was written');
    expect((await book()).positions).toEqual([]);
  });

  it('--dry-run prints the preview table and writes nothing', async () => {
    const r = importTs([join(dir, 'first.csv'), '--portfolio', portfolioId, '--dry-run', '--email', EMAIL]);
    expect(r.status, r.stderr).toBe(0);
    expect(tableRows(r.stdout).map((c) => c.slice(0, 7))).toEqual([
      ['2', 'AAPL', 'long', '10', '150', '2025-01-02', 'create'],
      ['3', 'MSFT', 'short', '-5', '400', '2025-01-02', 'create'],
      ['4', 'NVDA', 'long', '20', '100', '2025-01-02', 'create'],
    ]);
    expect(r.stdout).toContain('merge: create 3, update 0, unchanged 0');
    expect(r.stdout).toContain('dry run: nothing written');
    expect((await book()).positions).toEqual([]);
  });

  it('a commit writes the book through the cli door and says the results are stale; the same file again changes nothing', async () => {
    const r = importTs([join(dir, 'first.csv'), '--portfolio', portfolioId], { SIGMASIGHT_USER: EMAIL });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('committed (merge): created 3, updated 0, unchanged 0, closed 0');
    expect(r.stdout).toContain('stale');
    expect(r.stdout).toContain(`npm run batch -- --portfolio ${portfolioId}`);
    const after = await book();
    expect(after.positions.map((p) => [p.symbol, Number(p.quantity), Number(p.entry_price), p.exit_date])).toEqual([['AAPL', 10, 150, null], ['MSFT', -5, 400, null], ['NVDA', 20, 100, null]]);
    expect(after.audit.filter((a) => a.action !== 'portfolio.create')).toEqual([
      { action: 'import.commit', door: 'cli' }, { action: 'position.add', door: 'cli' }, { action: 'position.add', door: 'cli' }, { action: 'position.add', door: 'cli' },
    ]);

    const again = importTs([join(dir, 'first.csv'), '--portfolio', portfolioId]);
    expect(again.status, again.stderr).toBe(0);
    expect(tableRows(again.stdout).map((c) => c[6])).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.stdout).toContain('committed (merge): created 0, updated 0, unchanged 3, closed 0');
    expect(again.stdout).toContain('nothing changed');
    expect(await book()).toEqual(after);
  });

  it('--replace updates, adds, and closes the open position the file no longer lists', async () => {
    const r = importTs([join(dir, 'second.csv'), '--portfolio', portfolioId, '--replace']);
    expect(r.status, r.stderr).toBe(0);
    expect(tableRows(r.stdout).map((c) => [c[1], c[6]])).toEqual([['AAPL', 'unchanged'], ['MSFT', 'update'], ['XOM', 'create']]);
    expect(r.stdout).toContain('replace: create 1, update 1, unchanged 1, close 1 open position(s) the file does not list');
    expect(r.stdout).toContain('committed (replace): created 1, updated 1, unchanged 1, closed 1');
    const { positions } = await book();
    expect(positions.map((p) => [p.symbol, Number(p.quantity), p.exit_date !== null])).toEqual([['AAPL', 10, false], ['MSFT', -8, false], ['NVDA', 20, true], ['XOM', 4, false]]);
  });

  it('bad arguments exit 2 with the usage line', () => {
    const r = importTs([join(dir, 'first.csv')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--portfolio is required');
    expect(r.stderr).toContain('usage: npm run import -- FILE --portfolio ID');
  });
});
