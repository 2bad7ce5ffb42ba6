/**
 * The book's write tools over MCP (a client other than the chat agent): create a portfolio, add a
 * stock and an option by parts, edit, close and delete, preview and commit a holdings file; each
 * change is audited with door 'mcp', answers are structured (the SDK client validates them
 * against the output schemas) and bad arguments are tool errors with a recovery hint.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRecompute } from '../../core/batch/recompute.ts';
import { createLogger } from '../../core/logger.ts';
import { connectInProcess, type InProcessMcp } from '../../mcp-server/in-process.ts';
import { principalForEmail } from '../../core/services/local-principal.ts';
import { batchDeps } from '../helpers/batch.ts';
import { describeEachDb, type TestDb } from '../helpers/db.ts';
import { callTool, DEMO, seededDb, toolText } from './mcp-harness.ts';

// the demo as-of evening, a millisecond further at every reading, so audit entries have an order
let tick = 0;
const clock = () => new Date(Date.parse('2026-07-13T22:00:00Z') + tick++);

describeEachDb('book write tools over MCP', (kind) => {
  let db: TestDb;
  let mcp: InProcessMcp;
  let recompute: ReturnType<typeof createRecompute>;
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await callTool(mcp.client, name, args);
    expect(r.isError, `${name}: ${toolText(r)}`).toBeFalsy();
    return r.structuredContent as any;
  };

  beforeAll(async () => {
    db = await seededDb(kind);
    const svc = batchDeps(db);
    // long enough that the calls of one test (a few ms each, more on a loaded machine) fall in one burst
    recompute = createRecompute(svc, { debounceMs: 2_000 });
    const principal = await principalForEmail(db.db, DEMO.individual.email);
    mcp = await connectInProcess({ deps: { db: db.db, log: createLogger({ level: 'silent' }), clock }, principal, channel: 'stdio', batch: { ...svc, recompute } }, 'sigmasight-test');
  });
  afterAll(async () => {
    await recompute.idle();
    await mcp.close();
    await db.destroy();
  });

  it('creates, adds, edits, closes and deletes, each audited with door mcp, and recomputes once per burst', async () => {
    const p = await call('create_portfolio', { name: 'MCP book', opening_equity: 50_000 });
    expect(p).toMatchObject({ name: 'MCP book', opening_equity: 50_000, benchmark: 'SPY', open_positions: 0 });
    const stock = await call('add_position', { portfolio_id: p.id, symbol: 'msft', quantity: 10, entry_price: 400, entry_date: '2026-06-01', tags: ['core'] });
    expect(stock.position).toMatchObject({ symbol: 'MSFT', side: 'long', quantity: 10, entry_price: 400, entry_date: '2026-06-01', tags: ['core'], missing_history: false });
    const option = await call('add_position', { portfolio_id: p.id, underlying: 'AAPL', strike: 250, expiry: '2026-12-18', right: 'put', side: 'short', quantity: 3, entry_price: 4.1, entry_date: '2026-06-02' });
    expect(option.position).toMatchObject({ symbol: 'AAPL261218P00250000', asset_type: 'option', position_type: 'SP', quantity: -3, multiplier: 100, strike: 250, right: 'put' });
    const edited = await call('update_position', { portfolio_id: p.id, position_id: stock.position.id, changes: { quantity: 5 } });
    expect(edited.position.quantity).toBe(5);
    const closed = await call('close_position', { portfolio_id: p.id, position_id: stock.position.id, exit_price: 410, exit_date: '2026-07-10' });
    expect(closed.position).toMatchObject({ exit_price: 410, exit_date: '2026-07-10', realized_pnl: 50 });
    const again = await callTool(mcp.client, 'close_position', { portfolio_id: p.id, position_id: stock.position.id, exit_price: 410 });
    expect(again.isError).toBe(true);
    expect(toolText(again)).toMatch(/^CONFLICT: .*already closed.*Hint: /s);
    await call('delete_position', { portfolio_id: p.id, position_id: option.position.id });
    const list = await call('list_positions', { portfolio_id: p.id, include_closed: true });
    expect(list.positions.map((x: { symbol: string }) => x.symbol)).toEqual(['MSFT']);
    const audit = await call('get_portfolio_audit', { portfolio_id: p.id });
    expect(audit.entries.map((e: { action: string }) => e.action).reverse()).toEqual(['portfolio.create', 'position.add', 'position.add', 'position.update', 'position.close', 'position.delete']);
    expect(new Set(audit.entries.map((e: { door: string }) => e.door))).toEqual(new Set(['mcp']));
    await recompute.idle();
    const runs = await db.db.execute(sql`select count(*)::int as n from batch_runs where trigger = 'change' and portfolio_ids @> ${JSON.stringify([p.id])}::jsonb`);
    expect(((runs as unknown as { rows?: { n: number }[] }).rows ?? (runs as unknown as { n: number }[]))[0]!.n).toBe(1);
  });

  it('previews a file with problems by line, refuses to commit it, then commits a clean one once', async () => {
    const p = await call('create_portfolio', { name: 'MCP import' });
    const bad = await call('preview_import', { portfolio_id: p.id, content: 'symbol,quantity,entry_price,entry_date\nAAPL,ten,190,2026-06-01\n' });
    expect(bad.committable).toBe(false);
    expect(bad.problems.map((x: { line: number; column: string }) => [x.line, x.column])).toEqual([[2, 'quantity']]);
    const refused = await callTool(mcp.client, 'commit_import', { portfolio_id: p.id, import_id: bad.import_id });
    expect(refused.isError).toBe(true);
    expect(toolText(refused)).toMatch(/^UNPROCESSABLE: .*problem.*Hint: .*preview_import/s);
    const good = await call('preview_import', { portfolio_id: p.id, content: 'symbol,quantity,entry_price,entry_date\nAAPL,10,190,2026-06-01\nSPY,2,600,2026-06-01\n' });
    expect(good.summary).toMatchObject({ rows: 2, create: 2, problems: 0 });
    expect(await call('commit_import', { portfolio_id: p.id, import_id: good.import_id })).toMatchObject({ created: 2, already_committed: false });
    expect(await call('commit_import', { portfolio_id: p.id, import_id: good.import_id })).toMatchObject({ created: 2, already_committed: true });
    expect((await call('list_positions', { portfolio_id: p.id })).count).toBe(2);
  });

  it('answers bad arguments with a tool error and a hint, writing nothing', async () => {
    const mine = { portfolio_id: DEMO.individual.portfolioId };
    const before = (await call('list_positions', mine)).count;
    expect(before).toBeGreaterThan(0);
    for (const args of [{ quantity: 1, entry_price: 1 }, { symbol: 'AAPL', quantity: -1, entry_price: 1 }, { symbol: 'AAPL', quantity: 1, entry_price: 1, entry_date: '2099-01-01' }, { symbol: 'AAPL  2501X', quantity: 1, entry_price: 1 }]) {
      const r = await callTool(mcp.client, 'add_position', { ...mine, ...args });
      expect(r.isError, JSON.stringify(args)).toBe(true);
      // contract errors come from the SDK's input validation, the rest from the service with a recovery hint
      expect(toolText(r), JSON.stringify(args)).toMatch(/Input validation error: .*(quantity|entry_date)|^VALIDATION: .*Hint: /s);
    }
    expect((await call('list_positions', mine)).count).toBe(before);
  });
});
