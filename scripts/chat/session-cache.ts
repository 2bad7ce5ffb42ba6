/**
 * The `chat` command keeps its session token between runs (logins are rate limited), in
 * `.data/chat-session.json` (git-ignored, mode 0600), keyed by server URL and email. A token the
 * server no longer accepts is dropped and the command logs in again.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

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
