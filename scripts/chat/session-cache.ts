/**
 * The `chat` command keeps its session token between runs (logins are rate limited), in
 * `.data/chat-session.json` (git-ignored, mode 0600), keyed by server URL and email. A token the
 * server no longer accepts is dropped and the command logs in again.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ChatClientError } from './sse-client.ts';

const FILE = resolve('.data/chat-session.json');

type Sessions = Record<string, string>;

function load(): Sessions {
  try {
    return JSON.parse(readFileSync(FILE, 'utf8')) as Sessions;
  } catch {
    return {};
  }
}

const keyOf = (url: string, email: string) => `${url} ${email.toLowerCase()}`;

export function cachedToken(url: string, email: string): string | null {
  return load()[keyOf(url, email)] ?? null;
}

export function storeToken(url: string, email: string, token: string | null): void {
  const all = load();
  if (token) all[keyOf(url, email)] = token;
  else delete all[keyOf(url, email)];
  mkdirSync(dirname(FILE), { recursive: true });
  writeFileSync(FILE, JSON.stringify(all), { mode: 0o600 });
  chmodSync(FILE, 0o600);
}

/** Runs a call with the session token, logging in again once when the server no longer accepts it. */
export interface Session {
  call<T>(fn: (token: string) => Promise<T>): Promise<T>;
  /** Makes sure there is a token (logs in when nothing is cached). */
  ready(): Promise<void>;
}

/**
 * The chat command's session: SIGMASIGHT_TOKEN as given (never replaced), else the cached token,
 * else a login. A cached (or earlier) token the server answers 401 to is replaced by one more
 * login and the call runs once more; a token from a login in the same call is not retried.
 */
export function chatSession(o: { fixed?: string | undefined; cached: string | null; login: () => Promise<string> }): Session {
  let token: string | null = o.fixed ?? o.cached;
  let fresh = false;
  const ready = async () => {
    fresh = token === null;
    if (token === null) token = await o.login();
  };
  return {
    ready,
    async call(fn) {
      await ready();
      try {
        return await fn(token!);
      } catch (err) {
        if (o.fixed || fresh || !(err instanceof ChatClientError && err.status === 401)) throw err;
        token = await o.login();
        return fn(token);
      }
    },
  };
}
