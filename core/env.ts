/**
 * The one reader of `process.env`. Entry files call `loadEnv()` once and pass the typed config
 * down; nothing else touches the environment. A bad value stops start-up with one line per
 * offending variable (`EnvError`), never a stack trace.
 */
import { Cron } from 'croner';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const postgresUrl = z
  .string()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a postgres:// or postgresql:// URL with a host, e.g. postgres://user:pass@localhost:5432/sigmasight');

/** Market-data providers, in the default precedence. */
const PROVIDERS = ['fmp', 'polygon', 'bundled'] as const;
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const cronExpression = z.string().refine((v) => {
  try {
    new Cron(v, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}, 'must be a cron expression, e.g. "30 18 * * 1-5" (minute hour day month weekday)');

const timeZone = z.string().refine((v) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone, e.g. America/New_York');
const originList = z
  .string()
  .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
  .pipe(
    z.array(
      z.string().refine((o) => {
        try {
          const u = new URL(o);
          return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o;
        } catch {
          return false;
        }
      }, 'must be a comma-separated list of origins such as https://app.example.com,http://localhost:3000 (no path, no trailing slash)'),
    ),
  );

/** https, or http on a loopback name (a server reached only from this machine). */
function isHttpsOrLoopback(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
}

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(8000),
    HOST: z.string().min(1).default('0.0.0.0'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    DATABASE_URL: postgresUrl.optional(),
    PGLITE_DIR: z.string().min(1).default('./.data/pglite'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://localhost:11434/v1' }).optional(),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    SEED_ON_START: bool.default(true),
    /** Browser origins allowed by CORS (comma-separated, exact matches); never echoes any other origin. */
    CORS_ORIGINS: originList.default(['http://localhost:3000', 'http://localhost:3005', 'http://localhost:5173']),
    /** Session lifetime; lucia extends a session used in the second half of its life by another full lifetime. */
    SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24),
    /** Failed login attempts allowed per client IP per 15 minutes (any emails); then that IP's logins wait for the window to end. */
    RATE_LIMIT_LOGIN_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(20),
    /** Consecutive failed logins for one email from one client IP before that pair waits 1 s, 2 s, 4 s … (a success resets it); other clients of the email are not affected. */
    RATE_LIMIT_LOGIN_PER_EMAIL: z.coerce.number().int().min(1).max(1_000_000).default(5),
    /** The longest wait, in seconds, of an (email, client IP) pair after repeated failed logins. */
    RATE_LIMIT_LOGIN_MAX_DELAY_S: z.coerce.number().int().min(1).max(86_400).default(900),
    /** Authenticated API requests allowed per user per minute (api.md §14). */
    RATE_LIMIT_API_PER_MIN: z.coerce.number().int().min(1).max(100_000_000).default(100),
    /** How long a validated session is trusted in memory before the database is asked again (0 = always ask); a logout on this process evicts at once. */
    AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    /** How long an analytics GET answer (stored batch results) is reused per user and URL (0 = off); `Cache-Control: no-cache` bypasses it. */
    ANALYTICS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
    /** The URL clients use to reach this server (e.g. https://risk.example.com behind a reverse proxy): its host is served, absolute links use it, and it is the OAuth issuer (the MCP resource is PUBLIC_URL + '/mcp'). https in production. */
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. https://risk.example.com' })
      .refine((v) => new URL(v).pathname === '/' && !v.endsWith('/'), 'must be an origin without path or trailing slash, e.g. https://risk.example.com')
      .optional(),
    /** More host names this server answers for (comma-separated, no ports), beside localhost and PUBLIC_URL's host. */
    ALLOWED_HOSTS: z
      .string()
      .transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/, 'must be a comma-separated list of host names without ports, e.g. risk.internal,10.0.0.5')))
      .default([]),
    /** Take the client IP from X-Forwarded-For (only behind a proxy you control). */
    TRUST_PROXY: bool.default(false),
    SIGMASIGHT_USER: z.email({ error: 'must be the email of a SigmaSight user, e.g. demo_individual@sigmasight.com' }).optional(),
    SIGMASIGHT_TOKEN: z.string().min(16, 'must be a session token from POST /api/v1/auth/login').optional(),
    FMP_API_KEY: z.string().min(1).optional(),
    POLYGON_API_KEY: z.string().min(1).optional(),
    MARKET_DATA_PROVIDERS: z
      .string()
      .transform((v) => v.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean))
      .pipe(z.array(z.enum(PROVIDERS, { error: 'must list providers among fmp, polygon, bundled, e.g. fmp,polygon,bundled' })).min(1))
      .default(['fmp', 'polygon', 'bundled']),
    FMP_BASE_URL: httpUrl.default('https://financialmodelingprep.com'),
    POLYGON_BASE_URL: httpUrl.default('https://api.polygon.io'),
    FMP_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(250),
    POLYGON_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(5),
    MARKET_DATA_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
    MARKET_DATA_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
    BATCH_SCHEDULE: bool.default(true),
    BATCH_CRON: cronExpression.default('30 18 * * 1-5'),
    BATCH_TIMEZONE: timeZone.default('America/New_York'),
    BATCH_ON_START: bool.default(true),
    BATCH_QUEUE: bool.default(false),
    BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    BATCH_STALE_AFTER_S: z.coerce.number().int().min(10).max(86_400).default(120),
    BATCH_STATEMENT_TIMEOUT_S: z.coerce.number().int().min(1).max(3_600).default(60),
    BATCH_RUN_TIMEOUT_S: z.coerce.number().int().min(10).max(86_400).default(3_600),
    BATCH_BACKFILL_DAYS: z.coerce.number().int().min(0).max(60).default(5),
    RECOMPUTE_DEBOUNCE_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    REPORTS_DIR: z.string().min(1).default('./reports'),
    /** Server the `chat` command talks to. */
    SIGMASIGHT_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://localhost:8000' }).default('http://localhost:8000'),
  })
  .superRefine((env, ctx) => {
    // the OAuth issuer and the MCP resource URL come from PUBLIC_URL: tokens and sign-in pages need https off this machine
    if (env.PUBLIC_URL && env.NODE_ENV === 'production' && !isHttpsOrLoopback(env.PUBLIC_URL)) ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be an https:// URL in production (http:// only for localhost), e.g. https://risk.example.com' });
    if (env.BATCH_QUEUE && !env.DATABASE_URL) ctx.addIssue({ code: 'custom', path: ['BATCH_QUEUE'], message: 'needs DATABASE_URL (the pg-boss queue lives in Postgres); unset it to run the batch in-process' });
  });

export type Env = z.infer<typeof EnvSchema>;

/** Thrown by `parseEnv`; `lines` has one human sentence per bad variable. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

/** Parses an environment record; throws EnvError naming each bad variable (values are never echoed). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" (as in a .env template with blank values).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `Invalid environment variable ${String(i.path[0] ?? '?')}: ${i.message}`);
  throw new EnvError(lines);
}

/** Loads `.env` (when present) with Node's own loader, then parses `process.env`; throws EnvError. */
/** The environment for a child process: this process's variables with `overrides` on top. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

export function readEnv(): Env {
  try {
    process.loadEnvFile();
  } catch {
    // no .env file: the process environment alone is used
  }
  return parseEnv(process.env);
}

/** `readEnv()` for entry points: on failure prints one line per bad variable to stderr and exits with status 1. */
export function loadEnv(): Env {
  try {
    return readEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      for (const line of err.lines) process.stderr.write(`${line}\n`);
      process.exit(1);
    }
    throw err;
  }
}
