import { EngineError } from '../engines/errors.ts';

/** The closed set of error codes every door (REST, MCP, CLI, SSE) speaks. */
export const ERROR_STATUS = {
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  UPSTREAM: 502,
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

/**
 * Normalises anything thrown into an AppError: AppError passes through, EngineError becomes
 * UNPROCESSABLE, a Postgres unique violation becomes CONFLICT, everything else INTERNAL.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof EngineError) {
    return new AppError('UNPROCESSABLE', err.message, { details: { engineCode: err.code, ...err.details }, cause: err });
  }
  if (pgCode(err) === PG_UNIQUE_VIOLATION) {
    return new AppError('CONFLICT', 'the record already exists', { cause: err });
  }
  return new AppError('INTERNAL', 'internal error', { cause: err });
}
