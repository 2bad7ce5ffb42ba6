/**
 * Acceptance: what a holdings import request may be, over REST. 10,001 rows or a file over 8 MiB
 * answer 413 and write nothing; a multipart upload works like a text/csv body; a body that is not
 * CSV is refused with 422; another user's portfolio and import ids answer 404 and change nothing.
 * Shared setup: imports-fixtures.ts.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db/exec.ts';
import { DEMO } from '../api/helpers.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { fixture, useImportApp } from './imports-fixtures.ts';

describeEachDb('holdings import over REST', (kind) => {
  let db: TestDb;
  let token: string;
  let otherToken: string;
  const t = useImportApp(kind);
  const { call, preview, commit, newPortfolio, positions, audit, importCount, importOk } = t;
  beforeAll(() => {
    ({ db, token, otherToken } = t);
  });

  it('10,001 rows answer 413 problem+json and write nothing', async () => {
    const pid = await newPortfolio('too many');
    await importOk(pid, 'symbol,quantity,entry_price,entry_date\nXOM,10,100,2025-01-02\n');
    const before = { positions: await positions(pid, true), audit: await audit(pid), imports: await importCount() };
    const rows = Array.from({ length: 10_001 }, (_, i) => `T${i},1,10,2025-01-02`);
    const r = await preview(pid, `symbol,quantity,entry_price,entry_date\n${rows.join('\n')}\n`);
    expect(r.status).toBe(413);
    expect(r.type).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status: 413, code: 'TOO_LARGE' });
    expect(r.body.detail).toContain('10,000');
    expect(await positions(pid, true)).toEqual(before.positions);
    expect(await audit(pid)).toEqual(before.audit);
    expect(await importCount()).toBe(before.imports);
    // exactly 10,000 rows is within the limit
    const ok = await preview(pid, `symbol,quantity,entry_price,entry_date\n${rows.slice(0, 10_000).join('\n')}\n`);
    expect(ok.status).toBe(201);
    expect(ok.body.summary.rows).toBe(10_000);
  });

  it('a file over 8 MiB answers 413 and writes nothing', async () => {
    const pid = await newPortfolio('too big');
    const before = await importCount();
    const r = await preview(pid, `symbol,quantity,entry_price,notes\nXOM,1,1,${'x'.repeat(8 * 1024 * 1024)}\n`);
    expect(r.status).toBe(413);
    expect(r.type).toContain('application/problem+json');
    expect(await importCount()).toBe(before);
    expect(await positions(pid, true)).toEqual([]);
  });

  it('multipart upload (field "file") previews and commits like a text/csv body', async () => {
    const pid = await newPortfolio('multipart');
    const form = new FormData();
    form.append('file', new File([fixture('schwab-positions.csv')], 'Individual-Positions-2025-05-04.csv', { type: 'text/csv' }));
    const p = await call('POST', `/api/v1/portfolios/${pid}/imports`, token, form);
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    expect(p.body).toMatchObject({ format: 'schwab', committable: true, summary: { rows: 6, create: 6 } });
    const c = await commit(pid, p.body.import_id);
    expect(c.body).toMatchObject({ created: 6 });
    expect((await positions(pid)).map((x) => x.symbol).sort()).toEqual(['AAPL250620C00200000', 'BRK-B', 'MSFT', 'SCHB', 'SWPPX', 'TSLA']);
    const [row] = await queryRows<{ filename: string | null }>(db.db, sql`select filename from holdings_imports where id = ${p.body.import_id}`);
    expect(row!.filename).toBe('Individual-Positions-2025-05-04.csv');
    const noFile = new FormData();
    noFile.append('other', 'x');
    expect((await call('POST', `/api/v1/portfolios/${pid}/imports`, token, noFile)).status).toBe(422);
  });

  it('a body that is not CSV (JSON, a spreadsheet, bytes, a URL-encoded form) answers 422 problem+json and writes nothing', async () => {
    const pid = await newPortfolio('not csv');
    const before = await importCount();
    const csv = 'symbol,quantity,entry_price\nAAPL,1,1\n';
    for (const type of ['application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', 'application/x-www-form-urlencoded']) {
      const r = await preview(pid, type === 'application/json' ? JSON.stringify({ symbol: 'AAPL' }) : csv, token, type);
      expect(r.status, type).toBe(422);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.code).toBe('VALIDATION');
    }
    // curl --data-binary sends a URL-encoded form unless told otherwise: the answer says what to send
    expect((await preview(pid, csv, token, 'application/x-www-form-urlencoded')).body.detail).toContain('text/csv');
    expect(await importCount()).toBe(before);
    expect(await positions(pid, true)).toEqual([]);
  });

  it("another user's portfolio id and import id answer 404 at preview, get and commit, and change nothing", async () => {
    const mine = await newPortfolio('mine');
    const theirs = DEMO.individual.portfolioId;
    const theirPreview = await preview(theirs, 'symbol,quantity,entry_price,entry_date\nXOM,10,100,2025-01-02\n', otherToken);
    expect(theirPreview.status).toBe(201);
    const theirImport = theirPreview.body.import_id as string;
    const theirBefore = await call('GET', `/api/v1/portfolios/${theirs}/positions?include_closed=true`, otherToken);
    const file = 'symbol,quantity,entry_price,entry_date\nAAPL,1,1,2025-01-02\n';
    const answers = [
      await preview(theirs, file),
      await call('GET', `/api/v1/portfolios/${theirs}/imports/${theirImport}`, token),
      await call('GET', `/api/v1/portfolios/${mine}/imports/${theirImport}`, token),
      await commit(theirs, theirImport),
      await commit(mine, theirImport),
      await commit(theirs, theirImport, 'replace'),
    ];
    for (const a of answers) {
      expect(a.status).toBe(404);
      expect(a.type).toContain('application/problem+json');
      expect(JSON.stringify(a.body)).not.toContain('XOM');
    }
    // my own import id under their portfolio is not found either
    const mineP = await preview(mine, file);
    expect((await call('GET', `/api/v1/portfolios/${theirs}/imports/${mineP.body.import_id}`, token)).status).toBe(404);
    expect((await commit(theirs, mineP.body.import_id)).status).toBe(404);
    expect((await call('GET', `/api/v1/portfolios/${theirs}/imports/${mineP.body.import_id}`, otherToken)).status).toBe(404);
    expect(await call('GET', `/api/v1/portfolios/${theirs}/positions?include_closed=true`, otherToken)).toEqual(theirBefore);
    expect((await call('GET', `/api/v1/portfolios/${theirs}/imports/${theirImport}`, otherToken)).body.status).toBe('previewed');
    expect(await positions(mine, true)).toEqual([]);
  });
});
