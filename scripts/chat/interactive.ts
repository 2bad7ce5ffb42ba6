/**
 * The interactive session of `npm run chat` (no message given): one conversation, a prompt per
 * turn, the answer streaming on stdout and each tool call on one line of stderr. Commands:
 * `/mode <green|blue|indigo|violet>`, `/portfolio [ID]` (list, or start a conversation on one),
 * `/new`, `/history`, `/help`, `/quit`. Ctrl-C during an answer stops that answer (the server
 * marks the turn aborted) and returns to the prompt; at the prompt it says how to leave. Typed
 * lines are kept across sessions in `.data/chat-history` (arrow keys recall them).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { isCleanText, TEXT_MESSAGE } from '../../core/contracts/common.ts';
import { MODES } from '../../core/contracts/chat.ts';
import { ChatClientError, createConversation, getJson, sendMessage, type ChatEvent } from './sse-client.ts';
import { renderEvent } from './render.ts';
import type { Session } from './session-cache.ts';

const HISTORY_FILE = resolve('.data/chat-history');
const HISTORY_MAX = 500;
const HELP = `commands: /mode <${MODES.join('|')}>, /portfolio [ID], /new, /history, /help, /quit; Ctrl-C stops an answer`;

export interface SessionOptions {
  base: string;
  /** The command's session (token, login again on 401). */
  session: Session;
  portfolio?: string | undefined;
  conversation?: string | undefined;
  input: NodeJS.ReadableStream;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** A terminal: prompt, colours off, arrow-key history. */
  terminal: boolean;
}

function readHistory(): string[] {
  try {
    return readFileSync(HISTORY_FILE, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_MAX).reverse();
  } catch {
    return [];
  }
}

function keepHistory(line: string): void {
  try {
    mkdirSync(dirname(HISTORY_FILE), { recursive: true });
    appendFileSync(HISTORY_FILE, `${line.replace(/\n/g, ' ')}\n`, { mode: 0o600 });
  } catch {
    // history is a convenience: a read-only checkout still chats
  }
}

/** Runs the session until /quit or the end of input; returns the exit code. */
export async function interactive(o: SessionOptions): Promise<number> {
  const say = (line: string) => o.err.write(`${line}\n`);
  await o.session.ready();
  const authed = <T>(call: (t: string) => Promise<T>): Promise<T> => o.session.call(call);
  let portfolio = o.portfolio;
  let conversation = o.conversation ?? null;
  const open = async () => (conversation ??= await authed((t) => createConversation(o.base, t, portfolio)));
  if (conversation) {
    const c = await authed((t) => getJson<{ mode: string; portfolio_id: string | null }>(o.base, t, `/api/v1/chat/conversations/${encodeURIComponent(conversation!)}`));
    portfolio = c.portfolio_id ?? undefined;
    say(`SigmaSight chat at ${o.base}: conversation ${conversation} (${c.mode}). ${HELP}`);
  } else {
    say(`SigmaSight chat at ${o.base}. ${HELP}`);
  }

  const rl = createInterface({ input: o.input, output: o.out, terminal: o.terminal, history: readHistory(), historySize: HISTORY_MAX, prompt: 'you> ' });
  /** The prompt, on a terminal only (piped input gets answers alone on stdout). */
  const prompt = () => o.terminal && rl.prompt();
  let turn: AbortController | null = null;
  const interrupt = () => {
    if (turn) {
      turn.abort();
      return;
    }
    if (o.terminal) rl.write(null as unknown as string, { ctrl: true, name: 'u' }); // clear the line typed so far
    say('\n(Ctrl-C stops an answer; /quit leaves)');
    prompt();
  };
  rl.on('SIGINT', interrupt);
  process.on('SIGINT', interrupt);

  const ask = async (text: string) => {
    const id = await open();
    turn = new AbortController();
    let ended = false;
    const render = (e: ChatEvent) => {
      const r = renderEvent(e);
      if (r.out) o.out.write(r.out);
      if (r.err) o.err.write(r.end === 'done' ? `${r.err}\n` : r.err);
      if (r.end) ended = true;
    };
    try {
      await authed((t) => sendMessage(o.base, t, { conversation_id: id, text, client_request_id: randomUUID() }, render, turn!.signal));
      if (!ended) say('error: the stream ended without a final event');
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
      o.out.write('\n');
      say('  [stopped] the answer was stopped; the conversation goes on');
    } finally {
      turn = null;
    }
  };

  const command = async (line: string): Promise<boolean> => {
    const [name, ...rest] = line.slice(1).split(/\s+/);
    const arg = rest.join(' ').trim();
    switch (name) {
      case 'quit':
      case 'exit':
        return false;
      case 'help':
        say(HELP);
        break;
      case 'new':
        conversation = null;
        say(`a new conversation starts with your next message${portfolio ? ` (portfolio ${portfolio})` : ''}`);
        break;
      case 'mode': {
        if (!(MODES as readonly string[]).includes(arg)) {
          say(`error: /mode takes one of ${MODES.join(', ')}`);
          break;
        }
        const id = await open();
        const r = await authed((t) => getJson<{ previous_mode: string; new_mode: string }>(o.base, t, `/api/v1/chat/conversations/${encodeURIComponent(id)}/mode`, { method: 'PUT', body: { mode: arg } }));
        say(`mode ${r.previous_mode} → ${r.new_mode} from the next answer`);
        break;
      }
      case 'portfolio': {
        const list = await authed((t) => getJson<{ id: string; name: string }[]>(o.base, t, '/api/v1/data/portfolios'));
        if (!arg) {
          for (const p of list) say(`  ${p.id === portfolio ? '*' : ' '} ${p.id}  ${p.name}`);
          say('  /portfolio ID starts a conversation on one of them');
          break;
        }
        const hit = list.find((p) => p.id === arg);
        if (!hit) {
          say(`error: no portfolio of yours has the id ${arg}; /portfolio lists them`);
          break;
        }
        portfolio = hit.id;
        conversation = null;
        say(`portfolio ${hit.name}: a new conversation starts with your next message`);
        break;
      }
      case 'history': {
        if (!conversation) {
          say('no messages yet in this conversation');
          break;
        }
        const page = await authed((t) => getJson<{ messages: { role: string; content: string; status: string }[] }>(o.base, t, `/api/v1/chat/conversations/${encodeURIComponent(conversation!)}/messages`));
        for (const m of page.messages) say(`${m.role === 'user' ? 'you' : m.role}> ${m.content}${m.status === 'aborted' ? ' [stopped]' : ''}`);
        break;
      }
      default:
        say(`error: unknown command /${name}; ${HELP}`);
    }
    return true;
  };

  let code = 0;
  try {
    prompt();
    for await (const raw of rl) {
      const line = raw.trim();
      if (line) {
        keepHistory(line);
        try {
          if (line.startsWith('/')) {
            if (!(await command(line))) break;
          } else if (!isCleanText(line)) say(`error: the message ${TEXT_MESSAGE}`);
          else await ask(line);
        } catch (err) {
          // A failed turn or command is reported; the session goes on.
          say(`error: ${err instanceof ChatClientError ? err.message : String(err)}`);
          if (err instanceof ChatClientError && err.status === undefined) code = 1; // the server went away
        }
      }
      prompt();
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    rl.close();
  }
  if (conversation) say(`continue with --conversation ${conversation}`);
  return code;
}
