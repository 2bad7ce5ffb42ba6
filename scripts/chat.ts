/**
 * `npm run chat -- ["message"] [--portfolio ID] [--conversation ID] [--user EMAIL] [--password PW]`:
 * asks the SigmaSight agent at SIGMASIGHT_URL (default http://localhost:8000). Logs in as the demo
 * user unless SIGMASIGHT_TOKEN is set, prints the answer as it streams on stdout and tool
 * activity on stderr. Without a message it opens an interactive session (scripts/chat/interactive.ts).
 * Bad arguments or a failed turn exit non-zero with one message.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { isCleanText, TEXT_MESSAGE } from '../core/contracts/common.ts';
import { loadEnv } from '../core/env.ts';
import { cachedToken, chatSession, storeToken } from './chat/session-cache.ts';
import { ChatClientError, createConversation, login, sendMessage, type ChatEvent } from './chat/sse-client.ts';
import { interactive } from './chat/interactive.ts';
import { renderEvent } from './chat/render.ts';

const USAGE = 'usage: npm run chat -- ["message"] [--portfolio ID] [--conversation ID] [--user EMAIL] [--password PASSWORD] (no message: an interactive session)';

function parse(): { message: string; portfolio?: string | undefined; conversation?: string | undefined; user?: string | undefined; password: string } {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { portfolio: { type: 'string' }, conversation: { type: 'string' }, user: { type: 'string' }, password: { type: 'string', default: 'demo12345' } },
    });
    const message = positionals.join(' ').trim();
    if (positionals.length && !message) throw new Error('the message is empty');
    if (message && !isCleanText(message)) throw new Error(`the message ${TEXT_MESSAGE}`);
    if (values.portfolio && values.conversation) throw new Error('give either --portfolio or --conversation, not both');
    return { message, ...values, password: values.password ?? 'demo12345' };
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

/** Prints one event: tokens to stdout as they come, tool activity and the outcome to stderr; records the exit code at the end. */
function render(e: ChatEvent, state: { code: number | null; conversationId: string }): void {
  const r = renderEvent(e);
  if (r.out) process.stdout.write(r.out);
  if (r.err) process.stderr.write(r.end === 'done' ? `${r.err}; continue with --conversation ${state.conversationId}\n` : r.err);
  if (r.end) state.code = r.end === 'done' ? 0 : 1;
}

/** Opens the conversation and streams the reply; returns the exit code. */
async function ask(base: string, token: string, args: ReturnType<typeof parse>): Promise<number> {
  const conversationId = args.conversation ?? (await createConversation(base, token, args.portfolio));
  const state = { code: null as number | null, conversationId };
  await sendMessage(base, token, { conversation_id: conversationId, text: args.message, client_request_id: randomUUID() }, (e) => render(e, state));
  if (state.code === null) process.stderr.write('error: the stream ended without a final event\n');
  return state.code ?? 1;
}

const args = parse();
const env = loadEnv();
const base = env.SIGMASIGHT_URL;
const email = args.user ?? env.SIGMASIGHT_USER ?? 'demo_individual@sigmasight.com';
try {
  const session = chatSession({ fixed: env.SIGMASIGHT_TOKEN, cached: env.SIGMASIGHT_TOKEN ? null : cachedToken(base, email), login: loginAndStore });
  if (!args.message) {
    process.exit(await interactive({ base, session, portfolio: args.portfolio, conversation: args.conversation, input: process.stdin, out: process.stdout, err: process.stderr, terminal: process.stdin.isTTY === true && process.stdout.isTTY === true }));
  }
  process.exit(await session.call((token) => ask(base, token, args)));
} catch (err) {
  process.stderr.write(`error: ${err instanceof ChatClientError ? err.message : String(err)}\n`);
  process.exit(1);
}

async function loginAndStore(): Promise<string> {
  const token = await login(base, email, args.password);
  storeToken(base, email, token);
  return token;
}
