/**
 * The one reader of `process.env`. Entry files call `loadEnv()` once and pass the typed config
 * down; nothing else touches the environment. A bad value stops start-up with one line per
 * offending variable (`EnvError`), never a stack trace.
 */
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

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(8000),
    HOST: z.string().min(1).default('0.0.0.0'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    DATABASE_URL: postgresUrl.optional(),
    PGLITE_DIR: z.string().min(1).default('./.data/pglite'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    CORS_ORIGINS: z.string().default(''),
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_BASE_URL: z.url().optional(),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    FMP_API_KEY: z.string().min(1).optional(),
    POLYGON_API_KEY: z.string().min(1).optional(),
    MARKET_DATA_PROVIDERS: z.string().default('fmp,polygon,bundled'),
    BATCH_SCHEDULE_ENABLED: bool.default(true),
    BATCH_CRON: z.string().min(9).default('30 18 * * 1-5'),
    BATCH_TIMEZONE: z.string().min(1).default('America/New_York'),
    SEED_ON_START: bool.default(true),
    REPORTS_DIR: z.string().min(1).default('./reports'),
    SIGMASIGHT_USER: z.email().optional(),
    SIGMASIGHT_TOKEN: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    try {
      Intl.DateTimeFormat('en-US', { timeZone: env.BATCH_TIMEZONE });
    } catch {
      ctx.addIssue({ code: 'custom', path: ['BATCH_TIMEZONE'], message: `unknown IANA time zone "${env.BATCH_TIMEZONE}"` });
    }
    if (env.NODE_ENV === 'production' && !env.AUTH_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_SECRET'], message: 'is required when NODE_ENV=production' });
    }
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

/**
 * Loads `.env` (when present) with Node's own loader, then parses `process.env`.
 * On failure prints one line per bad variable to stderr and exits with status 1.
 */
export function loadEnv(): Env {
  try {
    process.loadEnvFile();
  } catch {
    // no .env file: the process environment alone is used
  }
  try {
    return parseEnv(process.env);
  } catch (err) {
    if (err instanceof EnvError) {
      for (const line of err.lines) process.stderr.write(`${line}\n`);
      process.exit(1);
    }
    throw err;
  }
}
