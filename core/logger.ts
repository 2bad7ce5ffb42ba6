/**
 * The root pino logger. Secrets (tokens, passwords, cookies, API keys) are redacted wherever
 * they appear in a logged object. `destination: 2` sends logs to stderr (the MCP stdio entry
 * must keep stdout for the protocol).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'apiKey',
  '*.apiKey',
  'OPENAI_API_KEY',
  'FMP_API_KEY',
  'POLYGON_API_KEY',
  'AUTH_SECRET',
  'SIGMASIGHT_TOKEN',
];

export interface LoggerOptions {
  level: string;
  /** 1 = stdout (default), 2 = stderr. */
  destination?: 1 | 2;
  name?: string;
}

export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    { level: opts.level, name: opts.name ?? 'sigmasight', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.destination({ fd: opts.destination ?? 1, sync: false }),
  );
}

/**
 * A request-scoped child of `root` carrying `bindings`, built on first use: a request that logs
 * nothing through it costs no pino child. `setBindings` also extends `bindings` (the caller may
 * log them itself, e.g. on the access line).
 */
export function lazyChild(root: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const setBindings = (b: Record<string, unknown>): void => {
    Object.assign(bindings, b);
    child?.setBindings(b);
  };
  return new Proxy(root, {
    get(_root, key) {
      if (key === 'setBindings') return setBindings;
      child ??= root.child(bindings);
      const v: unknown = Reflect.get(child, key, child);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(child) : v;
    },
  });
}
