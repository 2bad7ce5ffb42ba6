/** `npm run db:reset -- --confirm`: drops every table, re-applies migrations and reseeds. Refuses without --confirm. */
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../core/bootstrap.ts';
import { dropAll } from '../db/queries/migrations.ts';
import { runWithDatabase } from './lib/cli.ts';

let confirm = false;
try {
  confirm = parseArgs({ options: { confirm: { type: 'boolean', default: false } } }).values.confirm ?? false;
} catch (err) {
  process.stderr.write(`error: ${(err as Error).message}\nusage: npm run db:reset -- --confirm\n`);
  process.exit(2);
}
if (!confirm) {
  process.stderr.write(
    'refusing to reset: db:reset deletes every user, portfolio, result and chat in the database.\n' +
      'Run `npm run db:reset -- --confirm` if that is what you want.\n',
  );
  process.exit(1);
}

await runWithDatabase(async ({ dbh }) => {
  await dropAll(dbh.db);
  await prepareDatabase(dbh, { seed: true });
  console.log(`reset ${dbh.target}: migrated, seeded and loaded the bundled market data`);
});
