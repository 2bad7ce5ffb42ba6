/** `npm run portfolios [-- --verbose] [--date YYYY-MM-DD]`: every portfolio with owner, positions and market value. */
import { parseArgs } from 'node:util';
import { latestPriceDate } from '../db/queries/market-prices.ts';
import { listAllPortfolios, listOpenPositions } from '../db/queries/portfolios.ts';
import { pricePositions } from '../core/services/pricing.ts';
import { runWithDatabase, table, usd } from './lib/cli.ts';

const { values } = parseArgs({ options: { verbose: { type: 'boolean', short: 'v', default: false }, date: { type: 'string' } } });

await runWithDatabase(async ({ dbh }) => {
  const asOf = await latestPriceDate(dbh.db, values.date ?? '9999-12-31');
  const list = await listAllPortfolios(dbh.db);
  if (!list.length) {
    console.log('no portfolios: run `npm run seed`');
    return;
  }
  console.log(`${list.length} portfolio(s); market values as of ${asOf ?? 'n/a (no prices loaded)'}\n`);
  const rows: (string | number)[][] = [];
  for (const p of list) {
    const positions = await listOpenPositions(dbh.db, p.id);
    const prices = asOf ? await pricePositions(dbh.db, positions, asOf) : [];
    let mv = 0;
    let unpriced = 0;
    prices.forEach((px, i) => (px.price === null ? unpriced++ : (mv += positions[i]!.quantity * px.price * positions[i]!.multiplier)));
    rows.push([p.id, p.name, p.ownerEmail, p.positionCount, usd(mv) + (unpriced ? ` (${unpriced} unpriced)` : '')]);
    if (values.verbose) {
      console.log(`${p.name}  ${p.id}  (${p.ownerEmail})`);
      console.log(
        table(
          ['symbol', 'type', 'quantity', 'entry', 'price', 'source', 'market value'],
          positions.map((q, i) => {
            const px = prices[i];
            return [q.symbol, q.positionType, q.quantity, q.entryPrice.toFixed(2), px?.price?.toFixed(2) ?? '—', px?.priceSource ?? '—', px?.price == null ? '—' : usd(q.quantity * px.price * q.multiplier)];
          }),
        ),
      );
      console.log('');
    }
  }
  console.log(table(['id', 'name', 'owner', 'positions', 'market value'], rows));
});
