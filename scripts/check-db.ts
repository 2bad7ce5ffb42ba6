/** `npm run check-db`: row counts of users, portfolios, positions (per portfolio) and prices. */
import { countPrices } from '../db/queries/market-prices.ts';
import { listAllPortfolios, tableCounts } from '../db/queries/portfolios.ts';
import { runWithDatabase } from './lib/cli.ts';

await runWithDatabase(async ({ dbh }) => {
  const counts = await tableCounts(dbh.db);
  const prices = await countPrices(dbh.db);
  const per = await listAllPortfolios(dbh.db);
  console.log(`database:   ${dbh.target}`);
  console.log(`users:      ${counts.users}`);
  console.log(`portfolios: ${counts.portfolios}`);
  const sorted = [...per].sort((a, b) => a.positionCount - b.positionCount);
  console.log(`positions:  ${counts.positions} (${sorted.map((p) => p.positionCount).join(', ')}: ${sorted.map((p) => p.name).join(', ')})`);
  console.log(`prices:     ${prices.rows} rows, ${prices.symbols} symbols, last date ${prices.lastDate ?? 'none'}`);
});
