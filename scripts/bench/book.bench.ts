/**
 * Benchmark: the user's own book on in-memory PGlite and, when DATABASE_URL names a Postgres
 * server, on a throw-away Postgres database (setup — migrate, seed, bundled prices — not timed).
 * (1) Import of a 10,000-row SigmaSight CSV into an empty portfolio: preview (parse, compare with
 * the book, store the preview) and commit (one transaction: positions, tags, audit), each
 * repetition into a fresh portfolio. Goal < 2 s for preview + commit.
 * (2) Recompute after an edit of one 50-position portfolio: the change-triggered run of that
 * portfolio alone (every portfolio phase, no reports), from the edit until the new results are
 * committed. Goal < 1 s.
 */
import { createRecompute } from '../../core/batch/recompute.ts';
import { createInlineRunner } from '../../core/batch/runner.ts';
import { startSystemRun, type BatchServiceDeps } from '../../core/batch/service.ts';
import { seedDatabase } from '../../core/bootstrap.ts';
import { readEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import { loadBundledMarketData } from '../../core/market-data/load-bundled.ts';
import { commitImport, previewImport } from '../../core/services/book-imports.ts';
import { createPortfolio } from '../../core/services/book-portfolios.ts';
import { addPosition, updatePosition, type BookDeps, type Writer } from '../../core/services/book-positions.ts';
import { createUser } from '../../core/services/users.ts';
import { createDb, type DbHandle } from '../../db/client.ts';
import { scratchPostgres } from './batch.bench.ts';
import { medianMs, mulberry32, type BenchRow, type BenchSuite } from './lib.ts';

const NOW = new Date('2026-07-13T21:00:00Z');
const ROWS = 10_000;
const TICKERS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA', 'JPM', 'V', 'JNJ', 'XOM', 'PG', 'HD', 'KO', 'PEP', 'SPY', 'QQQ', 'IWM', 'GLD', 'TLT'];

/** A 10,000-row SigmaSight CSV: distinct (symbol, entry date) lots over the bundled universe, with tags and notes. */
function bigFile(): string {
  const rnd = mulberry32(7);
  const lines = ['symbol,quantity,side,entry_price,entry_date,tags,notes'];
  const start = Date.parse('2020-01-02T00:00:00Z');
  for (let i = 0; i < ROWS; i++) {
    const symbol = TICKERS[i % TICKERS.length]!;
    const day = new Date(start + Math.floor(i / TICKERS.length) * 86_400_000 * 3).toISOString().slice(0, 10);
    lines.push(`${symbol},${1 + Math.floor(rnd() * 500)},${rnd() < 0.2 ? 'short' : 'long'},"${(20 + rnd() * 400).toFixed(2)}",${day},${i % 3 ? 'core' : 'core;satellite'},lot ${i}`);
  }
  return `${lines.join('\n')}\n`;
}

async function setup(handle: DbHandle): Promise<{ svc: BatchServiceDeps; book: BookDeps; writer: Writer }> {
  await handle.migrate();
  await seedDatabase(handle);
  await loadBundledMarketData(handle.db);
  const log = createLogger({ level: 'silent' });
  const deps = { db: handle.db, log, clock: () => NOW, concurrency: 1, reportsDir: '/tmp/sigmasight-bench-reports' };
  const svc: BatchServiceDeps = { ...deps, runner: createInlineRunner(deps) };
  const user = await createUser({ db: handle.db, log, clock: () => NOW }, { email: `bench-${Date.now()}@sigmasight.dev`, password: 'bench-password-1', full_name: 'Bench', role: 'user', create_portfolio: false });
  return { svc, book: { db: handle.db, log, clock: () => NOW }, writer: { principal: { userId: user.id, email: user.email, role: 'user' }, door: 'cli' } };
}

async function importRows(handle: DbHandle, label: string): Promise<BenchRow[]> {
  const { book, writer } = await setup(handle);
  const text = bigFile();
  const preview: number[] = [];
  const commit: number[] = [];
  let n = 0;
  await medianMs(async () => {
    const p = await createPortfolio(book, writer, { name: `Import ${n++}`, opening_equity: 0, benchmark: 'SPY' });
    const t0 = performance.now();
    const pv = await previewImport(book, writer, p.id, { text });
    const t1 = performance.now();
    if (pv.problems.length || pv.rows.length !== ROWS) throw new Error(`preview: ${pv.rows.length} rows, ${pv.problems.length} problems (${pv.problems[0]?.message})`);
    const c = await commitImport(book, writer, p.id, pv.import_id, 'merge');
    if (c.created !== ROWS) throw new Error(`commit created ${c.created}`);
    preview.push(t1 - t0);
    commit.push(performance.now() - t1);
  }, 3, 1);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const [p, c] = [med(preview.slice(1)), med(commit.slice(1))];
  return [
    { name: `import 10,000 rows on ${label}: preview`, unit: 'row', units: ROWS, medianMs: p },
    { name: `import 10,000 rows on ${label}: commit`, unit: 'row', units: ROWS, medianMs: c },
    { name: `import 10,000 rows on ${label}: preview + commit`, unit: 'row', units: ROWS, medianMs: p + c, extra: { goal: '< 2000 ms', bytes: Buffer.byteLength(text) } },
  ];
}

async function recomputeAfterEdit(handle: DbHandle, label: string): Promise<BenchRow> {
  const { svc, book, writer } = await setup(handle);
  const p = await createPortfolio(book, writer, { name: 'Fifty', opening_equity: 5_000_000, benchmark: 'SPY' });
  const universe = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA', 'JPM', 'V', 'JNJ', 'XOM', 'PG', 'HD', 'KO', 'PEP', 'SPY', 'QQQ', 'IWM', 'GLD', 'TLT'];
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const symbol = universe[i % universe.length]!;
    const r = await addPosition(book, writer, p.id, { symbol, side: i % 5 === 4 ? 'short' : 'long', quantity: 10 + i, entry_price: 100, entry_date: `2026-0${1 + Math.floor(i / 20)}-${String(2 + (i % 20)).padStart(2, '0')}` });
    ids.push(r.position.id);
  }
  await startSystemRun(svc, { trigger: 'cli', portfolioIds: [p.id], skipReports: true });
  await svc.runner.idle();
  const recompute = createRecompute(svc, { debounceMs: 0 });
  const deps: BookDeps = { ...book, recompute: (id: string) => recompute.schedule(id) };
  let q = 0;
  const ms = await medianMs(async () => {
    await updatePosition(deps, writer, p.id, ids[q % ids.length]!, { quantity: 20 + (q++ % 7) });
    await recompute.idle();
  }, 5, 1);
  return { name: `recompute after an edit on ${label}: one 50-position portfolio, every phase, no reports`, unit: 'position', units: 50, medianMs: ms, extra: { goal: '< 1000 ms', 'debounce in production': 'RECOMPUTE_DEBOUNCE_MS (1000 ms) before the run starts' } };
}

const suite: BenchSuite = {
  name: 'Own book: holdings import and recompute after an edit',
  async run() {
    const rows: BenchRow[] = [];
    for (const [label, make] of [['PGlite', () => createDb({ pgliteDir: 'memory://' })]] as const) {
      const h1 = make();
      try { rows.push(...(await importRows(h1, label))); } finally { await h1.close(); }
      const h2 = make();
      try { rows.push(await recomputeAfterEdit(h2, label)); } finally { await h2.close(); }
    }
    const pgUrl = readEnv().DATABASE_URL;
    if (!pgUrl) return rows;
    for (const fn of [importRows, recomputeAfterEdit] as const) {
      const pg = await scratchPostgres(pgUrl);
      try {
        const out = await fn(pg.handle, 'Postgres');
        rows.push(...(Array.isArray(out) ? out : [out]));
      } finally {
        await pg.drop();
      }
    }
    return rows;
  },
};

export default suite;
