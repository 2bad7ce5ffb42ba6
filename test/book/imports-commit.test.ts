/**
 * Acceptance: committing a holdings import over REST. Bad rows are listed by line and column and
 * block the commit; two rows on one symbol and entry date, or an entry date after today, are
 * problems at preview; two commits of one preview at once write it once; replace closes what the
 * file no longer lists at its latest close (on a later day too), updates the changed and adds the
 * new, and a closed position listed again is reopened. Shared setup: imports-fixtures.ts.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { commitImport, previewImport } from '../../core/services/book-imports.ts';
import type { Principal } from '../../core/services/context.ts';
import { queryRows } from '../../db/exec.ts';
import { DEMO_AS_OF } from '../api/helpers.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { bySymbol, equity, fixture, pick, TODAY, useImportApp } from './imports-fixtures.ts';

describeEachDb('holdings import over REST', (kind) => {
  let db: TestDb;
  let token: string;
  let me: Principal;
  const t = useImportApp(kind);
  const { call, preview, commit, newPortfolio, positions, audit, importOk } = t;
  beforeAll(() => {
    ({ db, token, me } = t);
  });

  it('a file with three bad rows: the preview lists exactly those lines with column and message; the commit answers 422 and writes nothing', async () => {
    const pid = await newPortfolio('bad rows');
    await importOk(pid, 'symbol,quantity,entry_price,entry_date\nXOM,10,100,2025-01-02\n');
    const before = { positions: await positions(pid, true), audit: await audit(pid) };
    const p = await preview(pid, fixture('sigmasight-bad-rows.csv'));
    expect(p.status).toBe(201);
    expect(p.body.committable).toBe(false);
    expect(p.body.problems.map((x: any) => [x.line, x.column, x.code])).toEqual([
      [3, 'quantity', 'bad_number'],
      [4, 'entry_date', 'bad_date'],
      [6, 'symbol', 'ambiguous_option'],
    ]);
    const [q, d, o] = p.body.problems;
    expect(q.message).toContain('"1O0" is not a number');
    expect(d.message).toContain('"2025-02-30" is not a real calendar date');
    expect(o.message).toContain('"AAPL270115C250"');
    expect(p.body.rows.map((r: any) => [r.line, r.position.symbol])).toEqual([[2, 'AAPL'], [5, 'SPY']]);
    const c = await commit(pid, p.body.import_id);
    expect(c.status).toBe(422);
    expect(c.type).toContain('application/problem+json');
    expect(c.body.detail).toContain('3 problem(s)');
    expect(c.body.detail).toContain('line 3');
    for (const mode of ['merge', 'replace'] as const) expect((await commit(pid, p.body.import_id, mode)).status).toBe(422);
    expect(await positions(pid, true)).toEqual(before.positions);
    expect(await audit(pid)).toEqual(before.audit);
    expect((await call('GET', `/api/v1/portfolios/${pid}/imports/${p.body.import_id}`, token)).body.status).toBe('previewed');
  });

  it('long and short of one symbol on one entry date, two undated rows of one symbol, or an undated row beside one dated today are refused at preview: the book keeps one position per symbol and date', async () => {
    const pid = await newPortfolio('same key');
    const before = { positions: await positions(pid, true), audit: await audit(pid) };
    const dated = await preview(pid, 'symbol,quantity,side,entry_price,entry_date\nAAPL,10,long,100,2025-01-02\nMSFT,3,long,300,2025-01-02\nAAPL,5,short,120,2025-01-02\n');
    const undated = await preview(pid, 'symbol,quantity,side,entry_price\nMSFT,10,long,300\nMSFT,5,short,310\n');
    // an undated row is dated today, so it lands on a row the file dates today
    const today = await preview(pid, `symbol,quantity,entry_price,entry_date\nXOM,10,100,\nXOM,5,100,${TODAY}\n`);
    for (const [p, line, symbol] of [[dated, 4, 'AAPL'], [undated, 3, 'MSFT'], [today, 3, 'XOM']] as const) {
      expect(p.status).toBe(201);
      expect(p.body.committable).toBe(false);
      expect(p.body.problems).toHaveLength(1);
      expect(p.body.problems[0]).toMatchObject({ line, code: 'duplicate' });
      expect(p.body.problems[0].message).toContain(symbol);
      expect(p.body.problems[0].message).toContain('line 2');
      const c = await commit(pid, p.body.import_id);
      expect(c.status).toBe(422);
    }
    expect(await positions(pid, true)).toEqual(before.positions);
    expect(await audit(pid)).toEqual(before.audit);
  });

  it('an entry date after today is a problem on its line; text/plain is accepted like text/csv', async () => {
    const pid = await newPortfolio('future');
    const p = await preview(pid, 'symbol,quantity,entry_price,entry_date\nAAPL,1,190,2026-07-13\nMSFT,2,400,2026-08-01\n', token, 'text/plain');
    expect(p.status).toBe(201);
    expect(p.body.problems.map((x: { line: number; code: string; message: string }) => [x.line, x.code, x.message])).toEqual([[3, 'bad_date', 'entry date 2026-08-01 of MSFT is in the future; give a date on or before 2026-07-13']]);
    expect(p.body.committable).toBe(false);
  });

  it('two commits of one preview at once write it once; the other answers already_committed', async () => {
    const pid = await newPortfolio('twice at once');
    const p = await preview(pid, 'symbol,quantity,entry_price,entry_date\nAAPL,10,150,2025-01-02\nMSFT,5,400,2025-01-02\n');
    const [a, b] = await Promise.all([commit(pid, p.body.import_id), commit(pid, p.body.import_id)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.already_committed, b.body.already_committed].sort()).toEqual([false, true]);
    expect([a.body.created, b.body.created]).toEqual([2, 2]);
    expect((await positions(pid)).map((x) => x.symbol)).toEqual(['AAPL', 'MSFT']);
    expect((await audit(pid)).filter((e) => e.action === 'position.add')).toHaveLength(2);
  });

  it('replace closes the open position the file no longer lists at its latest close, updates the changed one and adds the new one', async () => {
    const pid = await newPortfolio('replace');
    await importOk(pid, 'symbol,quantity,entry_price,entry_date\nAAPL,10,150,2025-01-02\nMSFT,5,400,2025-01-02\nNVDA,20,100,2025-01-02\n');
    const file = 'symbol,quantity,entry_price,entry_date,tags\nAAPL,10,150,2025-01-02,\nMSFT,8,400,2025-01-02,grown\nXOM,4,110,2025-02-03,\n';
    const p = await preview(pid, file);
    expect(p.body.summary).toMatchObject({ create: 1, update: 1, unchanged: 1, close_on_replace: 1 });
    expect(Object.fromEntries(p.body.rows.map((r: any) => [r.position.symbol, r.action]))).toEqual({ AAPL: 'unchanged', MSFT: 'update', XOM: 'create' });
    const c = await commit(pid, p.body.import_id, 'replace');
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(c.body).toMatchObject({ mode: 'replace', created: 1, updated: 1, unchanged: 1, closed: 1, already_committed: false });
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('AAPL', 10, 150, '2025-01-02'),
      equity('MSFT', 8, 400, '2025-01-02', { tags: ['grown'] }),
      equity('XOM', 4, 110, '2025-02-03'),
    ]));
    const nvda = (await positions(pid, true)).find((x) => x.symbol === 'NVDA');
    const [close] = await queryRows<{ close: string }>(db.db, sql`select close::text as close from market_prices where symbol = 'NVDA' and date = ${TODAY}`);
    expect(nvda).toMatchObject({ exit_date: TODAY, exit_price: Number(close!.close), quantity: 20 });
    const entries = await audit(pid);
    expect(entries.filter((e) => e.import_id === p.body.import_id).map((e) => e.action).sort()).toEqual(['import.commit', 'position.add', 'position.close', 'position.update']);
    // committing the same preview again answers the first result and writes nothing
    const again = await commit(pid, p.body.import_id, 'replace');
    expect(again.body).toMatchObject({ created: 1, updated: 1, unchanged: 1, closed: 1, already_committed: true, recompute: 'not_needed' });
    expect(await audit(pid)).toEqual(entries);
    // a file that lists the closed position again (same symbol and entry date) reopens it, and the preview says so
    const reopen = await preview(pid, 'symbol,quantity,entry_price,entry_date\nNVDA,20,100,2025-01-02\n');
    expect(reopen.body.rows[0]).toMatchObject({ action: 'update', position_id: nvda.id });
    expect(reopen.body.rows[0].warnings).toContain(`reopens the NVDA position entered on 2025-01-02 and closed on ${TODAY}`);
  });

  it('replace on a day months after the last stored close closes at that close, dated the day of the commit', async () => {
    const pid = await newPortfolio('replace later');
    await importOk(pid, 'symbol,quantity,entry_price,entry_date\nAAPL,10,150,2025-01-02\nNVDA,20,100,2025-01-02\n');
    const later = { db: db.db, log: createLogger({ level: 'silent' }), clock: () => new Date('2026-12-07T15:00:00Z') };
    const w = { principal: me, door: 'rest' as const };
    const p = await previewImport(later, w, pid, { text: 'symbol,quantity,entry_price,entry_date\nAAPL,10,150,2025-01-02\n' });
    expect(p.summary).toMatchObject({ unchanged: 1, close_on_replace: 1 });
    expect(await commitImport(later, w, pid, p.import_id, 'replace')).toMatchObject({ unchanged: 1, closed: 1 });
    const nvda = (await positions(pid, true)).find((x) => x.symbol === 'NVDA');
    const [close] = await queryRows<{ close: string }>(db.db, sql`select close::text as close from market_prices where symbol = 'NVDA' and date = ${DEMO_AS_OF}`);
    expect(nvda).toMatchObject({ exit_date: '2026-12-07', exit_price: Number(close!.close) });
  });
});
