/**
 * Child process of the API benchmark: an in-memory PGlite with the demo book and bundled prices,
 * stored overview inputs for the hedge-fund portfolio (one valuation per open position priced by
 * core pricing, and the exposure row they sum to), and the real app served on 127.0.0.1 beside a
 * bare Hono route (`GET /bare`, outside the app's middleware), `GET /__cpu` with this process's CPU
 * time (process.cpuUsage, µs) so the bench can charge server CPU per request, and `POST /__edit`,
 * which commits an edit of another user's portfolio (the notes of its positions), as users editing
 * their own books do. Prints `{"port":N}` when ready.
 * With `--postgres <url>` it runs on a scratch database created on that server (dropped on exit)
 * instead of PGlite.
 */
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { createApp } from '../../api/app.ts';
import { prepareDatabase } from '../../core/bootstrap.ts';
import { parseEnv } from '../../core/env.ts';
import { createLogger } from '../../core/logger.ts';
import { isOption } from '../../core/services/book.ts';
import { pricePositions } from '../../core/services/pricing.ts';
import { createDb, type Db } from '../../db/client.ts';
import { createScratchDatabase } from '../../db/scratch.ts';
import { latestPriceDate } from '../../db/queries/market-prices.ts';
import { listOpenPositions } from '../../db/queries/portfolios.ts';
import { batchRuns, portfolioExposures, positions, positionValuations } from '../../db/schema/index.ts';

export const BENCH_PORTFOLIO = 'fcd71196-e93e-f000-5a74-31a9eead3118';
/** The individual demo portfolio: another user's book, edited by `POST /__edit`. */
const EDITED_PORTFOLIO = '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe';

async function storeOverviewInputs(db: Db, portfolioId: string): Promise<void> {
  const asOf = (await latestPriceDate(db, '9999-12-31'))!;
  const [run] = await db.insert(batchRuns).values({ asOf, trigger: 'cli', status: 'succeeded', finishedAt: new Date() }).returning({ id: batchRuns.id });
  const positions = await listOpenPositions(db, portfolioId);
  const prices = await pricePositions(db, positions, asOf);
  let long = 0;
  let short = 0;
  const rows = positions.map((p, i) => {
    const px = prices[i]!;
    const mv = (px.price ?? 0) * p.quantity * p.multiplier;
    if (mv >= 0) long += mv;
    else short += mv;
    return { positionId: p.id, asOf, portfolioId, price: px.price, priceDate: px.priceDate, priceSource: px.priceSource ?? 'none', isStale: px.isStale, marketValue: mv, absMarketValue: Math.abs(mv), costBasis: p.quantity * p.entryPrice * p.multiplier, unrealizedPnl: ((px.price ?? p.entryPrice) - p.entryPrice) * p.quantity * p.multiplier, flags: px.flags, runId: run!.id };
  });
  await db.insert(positionValuations).values(rows);
  const counts = { longCount: positions.filter((p) => p.quantity > 0 && !isOption(p.positionType)).length, shortCount: positions.filter((p) => p.quantity < 0 && !isOption(p.positionType)).length };
  await db.insert(portfolioExposures).values({ portfolioId, asOf, nav: long + short, cash: 0, longExposure: long, shortExposure: short, grossExposure: long - short, netExposure: long + short, positionCount: positions.length, ...counts, runId: run!.id });
}

const { values: args } = parseArgs({ options: { postgres: { type: 'string' } } });
let dropScratch = async (): Promise<void> => {};
let url: string | undefined;
if (args.postgres) {
  const scratch = await createScratchDatabase(args.postgres, 'sigmasight_bench');
  url = scratch.url;
  dropScratch = scratch.drop;
}
const dbh = createDb(url ? { url, poolMax: 10 } : { pgliteDir: 'memory://' });
await prepareDatabase(dbh, { seed: true });
await storeOverviewInputs(dbh.db, BENCH_PORTFOLIO);
const env = parseEnv({ NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_API_PER_MIN: '100000000', RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_LOGIN_PER_EMAIL: '1000' });
const app = createApp({ env, dbh, log: createLogger({ level: 'silent' }), startedAt: Date.now(), version: 'bench' });
const outer = new Hono();
outer.get('/bare', (c) => c.json({ ok: true }));
outer.get('/__cpu', (c) => c.json(process.cpuUsage()));
let edits = 0;
outer.post('/__edit', async (c) => {
  await dbh.db.update(positions).set({ notes: `edit ${++edits}` }).where(eq(positions.portfolioId, EDITED_PORTFOLIO));
  return c.json({ edits });
});
outer.route('/', app);
const server = serve({ fetch: outer.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`${JSON.stringify({ port: info.port })}\n`));
process.on('SIGTERM', () => server.close(() => void dbh.close().then(dropScratch).then(() => process.exit(0))));
