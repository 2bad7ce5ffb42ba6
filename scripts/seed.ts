/** `npm run seed`: migrates, then seeds the demo book and stress scenarios and loads the bundled prices (idempotent). */
import { seedDatabase } from '../core/bootstrap.ts';
import { loadBundledMarketData } from '../core/market-data/load-bundled.ts';
import { runWithDatabase } from './lib/cli.ts';

await runWithDatabase(async ({ dbh }) => {
  await dbh.migrate();
  const seeded = await seedDatabase(dbh, { force: true });
  console.log(`seeded ${dbh.target}: ${seeded!.users} users, ${seeded!.portfolios} portfolios, ${seeded!.positions} positions, ${seeded!.tags} tags, ${seeded!.scenarios} stress scenarios`);
  const load = await loadBundledMarketData(dbh.db);
  console.log(load.loaded ? `bundled market data: ${load.priceRows} price rows and ${load.rateRows} rate rows written in ${(load.ms / 1000).toFixed(1)} s` : 'bundled market data already loaded');
});
