/** `npm run db:migrate`: applies pending SQL migrations from db/migrations. */
import { migrationStatus } from '../db/queries/migrations.ts';
import { runWithDatabase } from './lib/cli.ts';

await runWithDatabase(async ({ dbh }) => {
  const before = (await migrationStatus(dbh.db)).filter((m) => !m.applied);
  await dbh.migrate();
  console.log(before.length ? `applied ${before.length} migration(s) to ${dbh.target}: ${before.map((m) => m.tag).join(', ')}` : `${dbh.target} is up to date`);
});
