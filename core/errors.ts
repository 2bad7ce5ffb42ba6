import { EngineError } from '../engines/errors.ts';

/** The closed set of error codes every door (REST, MCP, CLI, SSE) speaks. */
export const ERROR_STATUS = {
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  UPSTREAM: 502,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface AppErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one application error: a code from the closed union, a human message, optional details. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly details?: Record<string, unknown>;
  constructor(
    readonly code: ErrorCode,
    message: string,
    opts: AppErrorOptions = {},
  ) {
    super(message, { cause: opts.cause });
    if (opts.details) this.details = opts.details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string, id?: string): AppError =>
  new AppError('NOT_FOUND', id ? `${what} ${id} not found` : `${what} not found`);

/** Postgres unique_violation. */
const PG_UNIQUE_VIOLATION = '23505';

function pgCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Node socket errors of a lost or refused database connection. */
const NET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** postgres.js codes of a connection that closed or never opened. */
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
/** Postgres SQLSTATEs of a server that is going away or not accepting connections (admin_shutdown, crash_shutdown, cannot_connect_now). */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03']);
/** Seconds a client is told to wait (Retry-After) while the database is unreachable. */
export const DB_RETRY_AFTER_SECONDS = 2;

/**
 * True when `err` (or a cause under it) says the database connection was lost or could not be
 * opened (class 08 connection exceptions, server shutdown, socket errors), as opposed to an
 * error of the statement itself.
 */
export function isConnectionError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NET_CODES.has(code) || DRIVER_CODES.has(code) || PG_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Normalises anything thrown into an AppError: AppError passes through, EngineError becomes
 * UNPROCESSABLE, a Postgres unique violation becomes CONFLICT, a lost database connection
 * UNAVAILABLE (with a Retry-After), everything else INTERNAL.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof EngineError) {
    return new AppError('UNPROCESSABLE', err.message, { details: { engineCode: err.code, ...err.details }, cause: err });
  }
  if (pgCode(err) === PG_UNIQUE_VIOLATION) {
    return new AppError('CONFLICT', 'the record already exists', { cause: err });
  }
  if (isConnectionError(err)) {
    return new AppError('UNAVAILABLE', 'the database is unreachable; try again shortly', { details: { retryAfterSeconds: DB_RETRY_AFTER_SECONDS }, cause: err });
  }
  return new AppError('INTERNAL', 'internal error', { cause: err });
}
