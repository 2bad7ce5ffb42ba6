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
  'refresh_token',
  '*.refresh_token',
  'id_token',
  '*.id_token',
  'client_secret',
  '*.client_secret',
  'code_verifier',
  '*.code_verifier',
  'registration_access_token',
  '*.registration_access_token',
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
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

interface LazyChildState {
  root: Logger;
  bindings: Record<string, unknown>;
  child?: Logger;
  setBindings?: (b: Record<string, unknown>) => void;
}

/** One handler for every lazy child (its state lives in the proxy target), so a request allocates no closures for it. */
const lazyChildHandler: ProxyHandler<LazyChildState> = {
  get(s, key) {
    if (key === 'setBindings') {
      return (s.setBindings ??= (b) => {
        Object.assign(s.bindings, b);
        s.child?.setBindings(b);
      });
    }
    const child = (s.child ??= s.root.child(s.bindings));
    const v: unknown = Reflect.get(child, key, child);
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(child) : v;
  },
};

/**
 * A request-scoped child of `root` carrying `bindings`, built on first use: a request that logs
 * nothing through it costs no pino child. `setBindings` also extends `bindings` (the caller may
 * log them itself, e.g. on the access line).
 */
export function lazyChild(root: Logger, bindings: Record<string, unknown>): Logger {
  return new Proxy<LazyChildState>({ root, bindings }, lazyChildHandler) as unknown as Logger;
}

/**
 * Keeps the process's own output on `log` as JSON lines: Node warnings (deprecations,
 * experimental features) become `warn` lines instead of raw stderr text, and an uncaught
 * exception or unhandled rejection is logged `fatal` with its stack before the process exits 1.
 */
export function routeProcessOutput(log: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => log.warn({ warning: { name: w.name, message: w.message, code: (w as { code?: string }).code } }, `node ${w.name}: ${w.message}`));
  process.on('uncaughtException', (err, origin) => {
    log.fatal({ err, origin }, `${origin === 'unhandledRejection' ? 'unhandled rejection' : 'uncaught exception'}: stopping`);
    log.flush(() => process.exit(1));
    setTimeout(() => process.exit(1), 1_000).unref();
  });
}
