/**
 * Acceptance: holdings import over REST, format by format. Every supported format's fixture is
 * previewed, committed and read back from GET /positions field by field (expected values written
 * by hand from the files in test/fixtures/imports/); re-importing writes nothing; BOM, `;` with
 * decimal commas and quoted thousands give the same book. Shared setup: imports-fixtures.ts.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.ts';
import { ROOT } from '../helpers/run.ts';
import { bySymbol, equity, fixture, option, pick, TODAY, useImportApp } from './imports-fixtures.ts';

describeEachDb('holdings import over REST', (kind) => {
  let token: string;
  const t = useImportApp(kind);
  const { call, preview, newPortfolio, positions, audit, importOk, reimportChangesNothing } = t;
  beforeAll(() => {
    ({ token } = t);
  });

  it('SigmaSight CSV (BOM, `;`, decimal commas, quoted notes, options by OCC symbol and by parts): every field stored as the file says', async () => {
    const pid = await newPortfolio('sigmasight');
    const text = fixture('sigmasight-portfolio.csv');
    const { preview: p, result } = await importOk(pid, text);
    expect(p.format).toBe('sigmasight');
    expect(p.delimiter).toBe(';');
    expect(p.rows.map((r: any) => r.line)).toEqual([2, 3, 4, 6, 8, 9]);
    expect(p.summary).toMatchObject({ rows: 6, problems: 0, create: 6, update: 0, unchanged: 0, close_on_replace: 0 });
    expect(Object.fromEntries(p.rows.map((r: any) => [r.position.symbol, r.position.asset_type]))).toEqual({
      AAPL: 'stock', TSLA: 'stock', 'BRK-B': 'stock', FXAIX: 'mutual_fund', AAPL250117C00150000: 'option', SPY251219P00480000: 'option',
    });
    expect(result).toMatchObject({ mode: 'merge', created: 6, updated: 0, unchanged: 0, closed: 0, already_committed: false, recompute: 'queued' });
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('AAPL', 1200, 189.5, '2025-03-14', { tags: ['core', 'tech'], notes: 'Core holding; added on the dip' }),
      equity('TSLA', -30, 1245.1, '2025-06-02', { tags: ['hedge', 'momentum'], notes: 'Short, sized at "1%" of equity' }),
      equity('BRK-B', 12, 410, '2024-11-20', { tags: ['value'] }),
      equity('FXAIX', 40.5, 180.25, '2025-02-03', { tags: ['retirement'], notes: 'Two-line note:\nrebalance yearly' }),
      option('AAPL250117C00150000', 2, 12.4, '2024-10-01', { underlying: 'AAPL', strike: 150, expiry: '2025-01-17', right: 'call' }),
      option('SPY251219P00480000', -1, 4.1, '2025-04-15', { underlying: 'SPY', strike: 480, expiry: '2025-12-19', right: 'put' }, { tags: ['hedge'], notes: 'protective put' }),
    ]));
    const entries = await audit(pid);
    expect(entries.filter((e) => e.action === 'position.add')).toHaveLength(6);
    expect(entries.filter((e) => e.action === 'import.commit')).toHaveLength(1);
    expect(entries.filter((e) => e.import_id === p.import_id).every((e) => e.door === 'rest')).toBe(true);
    const stored = await call('GET', `/api/v1/portfolios/${pid}/imports/${p.import_id}`, token);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ import_id: p.import_id, status: 'committed', content_hash: p.content_hash });
    await reimportChangesNothing(pid, text);
  });

  it('the example file data/examples/portfolio-import.csv imports as documented', async () => {
    const pid = await newPortfolio('example');
    const text = readFileSync(`${ROOT}data/examples/portfolio-import.csv`, 'utf8');
    await importOk(pid, text);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('AAPL', 100, 189.5, '2025-03-14', { tags: ['core', 'tech'], notes: 'Long-term core holding' }),
      equity('SPY', 25, 512.3, '2025-01-02', { tags: ['index'] }),
      equity('TSLA', -30, 245.1, '2025-06-02', { tags: ['hedge', 'momentum'], notes: 'Short, sized at 1% of equity' }),
      equity('BRK-B', 12, 410, '2024-11-20', { tags: ['value'] }),
      equity('FXAIX', 40, 180.25, '2025-02-03', { tags: ['retirement'] }),
      equity('NVDA', -15, 118.4, '2025-04-07', { tags: ['momentum'], notes: 'Negative quantity means short when side is empty' }),
      option('AAPL270115C00250000', 2, 12.4, '2025-10-01', { underlying: 'AAPL', strike: 250, expiry: '2027-01-15', right: 'call' }, { notes: 'Option by OCC symbol' }),
      option('SPY270115P00480000', -1, 4.1, '2025-04-15', { underlying: 'SPY', strike: 480, expiry: '2027-01-15', right: 'put' }, { tags: ['hedge'], notes: 'Option by parts: underlying, strike, expiry, right' }),
    ]));
    await reimportChangesNothing(pid, text);
  });

  it('IBKR Flex open positions (no dates in the file): dated today, then matched to the open lot on re-import', async () => {
    const pid = await newPortfolio('ibkr');
    const text = fixture('ibkr-flex-open-positions.csv');
    const { preview: p } = await importOk(pid, text);
    expect(p.format).toBe('ibkr_flex');
    expect(p.rows.map((r: any) => r.line)).toEqual([2, 3, 4, 5]);
    expect(p.rows.every((r: any) => r.warnings.some((w: string) => w.includes(`dated today (${TODAY})`)))).toBe(true);
    expect(p.rows[0].warnings.some((w: string) => w.includes('EUR'))).toBe(true);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('KESKOB', 100, 18.26459, TODAY),
      equity('EPR', 200, 51.355, TODAY),
      equity('ORC', 500, 8.004776, TODAY),
      equity('TCPC', 500, 5.25455, TODAY),
    ]));
    await reimportChangesNothing(pid, text);
  });

  it('IBKR Flex summary and lot rows of two accounts: one position per summary, dated by its earliest lot; cash and the repeated header skipped', async () => {
    const pid = await newPortfolio('ibkr lots');
    const text = fixture('ibkr-flex-options-lots.csv');
    const { preview: p } = await importOk(pid, text);
    expect(p.format).toBe('ibkr_flex');
    expect(p.rows.map((r: any) => r.line)).toEqual([2, 5, 7, 11]);
    expect(p.skipped.map((s: any) => s.line)).toEqual([3, 4, 6, 8, 9, 10, 12]);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('SPY', 50, 520.1, '2024-03-15'),
      option('AAPL270115C00250000', -2, 14.2, '2025-06-10', { underlying: 'AAPL', strike: 250, expiry: '2027-01-15', right: 'call' }),
      equity('BRK-B', 10, 410.55, '2023-01-05'),
      equity('MSFT', 15, 401.13, '2022-03-01'),
    ]));
    await reimportChangesNothing(pid, text);
  });

  it('Schwab positions (title lines, quoted thousands, total cost, BRK/B, short, option, fund): per-share cost, dated today', async () => {
    const pid = await newPortfolio('schwab');
    const text = fixture('schwab-positions.csv');
    const { preview: p } = await importOk(pid, text);
    expect(p.format).toBe('schwab');
    expect(p.rows.map((r: any) => r.line)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(p.skipped.map((s: any) => s.line)).toEqual([10, 11]);
    expect(Object.fromEntries(p.rows.map((r: any) => [r.position.symbol, r.position.asset_type]))).toMatchObject({ SCHB: 'etf', SWPPX: 'mutual_fund', AAPL250620C00200000: 'option' });
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('SCHB', 1250.5, 20, TODAY), // $25,010.00 / 1,250.5
      equity('MSFT', 40, 310, TODAY), // $12,400.00 / 40
      equity('BRK-B', 12, 400, TODAY), // $4,800.00 / 12
      equity('TSLA', -10, 250, TODAY), // -$2,500.00 / -10
      option('AAPL250620C00200000', 2, 6.2, TODAY, { underlying: 'AAPL', strike: 200, expiry: '2025-06-20', right: 'call' }), // $1,240.00 / (2 × 100)
      equity('SWPPX', 100, 70, TODAY), // $7,000.00 / 100
    ]));
    await reimportChangesNothing(pid, text);
  });

  it('Fidelity positions (CRLF, trailing commas, money market, option, pending activity, footer): dated today', async () => {
    const pid = await newPortfolio('fidelity');
    const text = fixture('fidelity-positions.csv');
    const { preview: p } = await importOk(pid, text);
    expect(p.format).toBe('fidelity');
    expect(p.rows.map((r: any) => r.line)).toEqual([3, 4, 5]);
    expect(p.skipped.map((s: any) => s.line)).toEqual([2, 6, 8, 10]);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual(bySymbol([
      equity('VWO', 900, 28.96, TODAY),
      option('AAPL250620C00200000', 1, 6.2, TODAY, { underlying: 'AAPL', strike: 200, expiry: '2025-06-20', right: 'call' }),
      equity('FXAIX', 35.123, 156.59, TODAY),
    ]));
    await reimportChangesNothing(pid, text);
  });

  it('a cost that does not divide evenly (Schwab $1,000.00 for 7 shares, $2.00 for 3) is stored to the micro-dollar and re-imports unchanged', async () => {
    const pid = await newPortfolio('uneven cost');
    const text = '"Symbol","Description","Quantity","Price","Cost Basis","Security Type"\n"XOM","EXXON MOBIL CORP","7","$110.00","$1,000.00","Equity"\n"F","FORD MOTOR CO","3","$1.00","$2.00","Equity"\n';
    await importOk(pid, text);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual([
      equity('F', 3, 0.666667, TODAY), // $2.00 / 3 to six decimals
      equity('XOM', 7, 142.857143, TODAY), // $1,000.00 / 7 to six decimals
    ]);
    await reimportChangesNothing(pid, text);
  });

  it('UTF-8 BOM, `;` with decimal commas and quoted fields with thousands separators give the same book', async () => {
    const pid = await newPortfolio('spellings');
    const plain = 'symbol,quantity,entry_price,entry_date,notes\nAAPL,1234.5,1050.25,2025-01-02,plain\nMSFT,2000,99.5,2025-01-03,"a, b"\n';
    const quoted = '"symbol","quantity","entry_price","entry_date","notes"\r\n"AAPL","1,234.5","$1,050.25","2025-01-02","plain"\r\n"MSFT","2,000","99.50","01/03/2025","a, b"\r\n';
    const semicolon = '\uFEFFsymbol;quantity;entry_price;entry_date;notes\nAAPL;"1.234,5";"1.050,25";02.01.2025;plain\nMSFT;2000;99,5;2025-01-03;a, b\n';
    const first = await importOk(pid, quoted);
    expect(bySymbol((await positions(pid)).map(pick))).toEqual([
      equity('AAPL', 1234.5, 1050.25, '2025-01-02', { notes: 'plain' }),
      equity('MSFT', 2000, 99.5, '2025-01-03', { notes: 'a, b' }),
    ]);
    const p2 = await preview(pid, semicolon);
    expect(p2.body.delimiter).toBe(';');
    const p3 = await preview(pid, plain);
    expect([p2.body.content_hash, p3.body.content_hash]).toEqual([first.preview.content_hash, first.preview.content_hash]);
    await reimportChangesNothing(pid, semicolon);
    await reimportChangesNothing(pid, plain);
  });
});
