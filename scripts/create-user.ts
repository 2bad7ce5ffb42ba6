/**
 * `npm run create-user -- --email a@b.com --name "Full Name" [--role admin] [--no-portfolio]`:
 * creates a user (public registration is closed). The password is read from the first line of
 * standard input (`echo "$PW" | npm run create-user -- …`) so it never appears in the process list.
 */
import { parseArgs } from 'node:util';
import { text } from 'node:stream/consumers';
import { CreateUserInputSchema } from '../core/contracts/auth.ts';
import { createLogger } from '../core/logger.ts';
import { createUser } from '../core/services/users.ts';
import { runWithDatabase } from './lib/cli.ts';

const USAGE = 'usage: echo "<password>" | npm run create-user -- --email <email> --name "<full name>" [--role user|admin] [--no-portfolio]';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'user' }, 'no-portfolio': { type: 'boolean', default: false } } }).values;
} catch (err) {
  fail((err as Error).message);
}
if (process.stdin.isTTY) fail('pipe the password on standard input');
const password = (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
const parsed = CreateUserInputSchema.safeParse({ email: args.email, password, full_name: args.name, role: args.role, create_portfolio: !args['no-portfolio'] });
if (!parsed.success) fail(parsed.error.issues.map((i) => `${i.path.join('.') === 'full_name' ? '--name' : i.path.join('.') === 'password' ? 'password (stdin)' : `--${i.path.join('.')}`}: ${i.message}`).join('; '));

await runWithDatabase(async ({ dbh }) => {
  await dbh.migrate();
  const user = await createUser({ db: dbh.db, log: createLogger({ level: 'silent' }), clock: () => new Date() }, parsed.data);
  console.log(`created ${user.role} ${user.email} (${user.id})${user.portfolio_id ? ` with portfolio ${user.portfolio_id}` : ''}`);
});
