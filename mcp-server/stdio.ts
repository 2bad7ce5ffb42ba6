/**
 * `npm run mcp`: SigmaSight over stdio for Claude Desktop and other local clients, acting as the
 * user named by SIGMASIGHT_USER (local mode) or the session in SIGMASIGHT_TOKEN. stdout carries
 * the protocol only; logs go to stderr. It runs in the project directory wherever the client
 * starts it, so `.env`, PGLITE_DIR and REPORTS_DIR mean what they mean for `npm start`.
 *
 * When a server (`npm start`) holds the embedded database it bridges to that server's `/mcp`;
 * otherwise it opens the database itself (stdio-serve.ts). Whatever keeps it from starting (a bad
 * setting, the database held by another process, an unreachable server, even a module that does
 * not load) is served to the client as an MCP error it displays (stdio-failure.ts).
 */
import { fileURLToPath } from 'node:url';
import { serveStartupFailure, StartupFailureError, type StartupFailure } from './stdio-failure.ts';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));

const SETTINGS_FIX = "set it in the env of SigmaSight's entry in the MCP client configuration (npm run mcp:claude writes one) or in the project's .env, then restart the client";

/** The cause and fix of a start-up error (matched by name and code: the modules defining them may be what failed to load). */
function failureOf(err: unknown): StartupFailure {
  if (err instanceof StartupFailureError) return err.failure;
  const e = err as { name?: string; code?: string; message?: string; lines?: string[] };
  const cause = e?.message ?? String(err);
  if (e?.name === 'EnvError' && e.lines) return { cause: e.lines.join('; '), fix: `correct the variable: ${SETTINGS_FIX}` };
  if (e?.code === 'UNAUTHENTICATED') return { cause, fix: SETTINGS_FIX };
  if (e?.name === 'StartupError') return { cause, fix: 'correct DATABASE_URL or PGLITE_DIR, or start npm start so npm run mcp bridges to it; then restart the client' };
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.name === 'SyntaxError') return { cause: `the installation is incomplete: ${cause}`, fix: 'run npm install in the project (and check git status for unfinished changes), then restart the client' };
  return { cause, fix: 'see the log on stderr (Claude Desktop keeps it as mcp-server-sigmasight.log in its logs folder), then restart the client' };
}

try {
  const { startStdio } = await import('./stdio-serve.ts');
  await startStdio();
} catch (err) {
  await serveStartupFailure(failureOf(err));
  process.exit(1);
}
