/** `npm run portfolios [-- --verbose] [--date YYYY-MM-DD]`: every portfolio with owner, positions and market value. */
import { parseArgs } from 'node:util';
import { latestPriceDate } from '../db/queries/market-prices.ts';
import { listAllPortfolios, listOpenPositions } from '../db/queries/portfolios.ts';
import { marketValues, pricePositions } from '../core/services/pricing.ts';
import { runWithDatabase, table, usd } from './lib/cli.ts';

const { values: args } = parseArgs({ options: { verbose: { type: 'boolean', short: 'v', default: false }, date: { type: 'string' } } });

await runWithDatabase(async ({ dbh }) => {
  const asOf = await latestPriceDate(dbh.db, args.date ?? '9999-12-31');
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
    const values = marketValues(positions, prices);
    const mv = values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
    const unpriced = prices.filter((px) => px.price === null).length;
    rows.push([p.id, p.name, p.ownerEmail, p.positionCount, usd(mv) + (unpriced ? ` (${unpriced} unpriced)` : '')]);
    if (args.verbose) {
      console.log(`${p.name}  ${p.id}  (${p.ownerEmail})`);
      console.log(
        table(
          ['symbol', 'type', 'quantity', 'entry', 'price', 'source', 'market value'],
          positions.map((q, i) => {
            const px = prices[i];
            return [q.symbol, q.positionType, q.quantity, q.entryPrice.toFixed(2), px?.price?.toFixed(2) ?? '—', px?.priceSource ?? '—', values[i] == null ? '—' : usd(values[i]!)];
          }),
        ),
      );
      console.log('');
    }
  }
  console.log(table(['id', 'name', 'owner', 'positions', 'market value'], rows));
});
