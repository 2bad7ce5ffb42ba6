/** `npm run db:status`: lists applied and pending migrations; exits 1 when any are pending. */
import { migrationStatus } from '../db/queries/migrations.ts';
import { runWithDatabase, table } from './lib/cli.ts';

await runWithDatabase(async ({ dbh }) => {
  const states = await migrationStatus(dbh.db);
  console.log(`database: ${dbh.target}`);
  console.log(table(['migration', 'status'], states.map((m) => [m.tag, m.applied ? 'applied' : 'pending'])));
  const pending = states.filter((m) => !m.applied).length;
  console.log(pending ? `${pending} pending: run \`npm run db:migrate\`` : 'all migrations applied');
  return pending ? 1 : 0;
});
