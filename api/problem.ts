/** RFC 9457 problem details for every error the REST door returns. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, ERROR_STATUS, toAppError } from '../core/errors.ts';
import type { Problem } from '../core/contracts/health.ts';
import type { AppBindings } from './context.ts';

const TITLES: Record<AppError['code'], string> = {
  VALIDATION: 'Validation failed',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  TOO_LARGE: 'Payload too large',
  UNPROCESSABLE: 'Unprocessable request',
  RATE_LIMITED: 'Too many requests',
  UPSTREAM: 'Upstream service failed',
  UNAVAILABLE: 'Service unavailable',
  INTERNAL: 'Internal server error',
};

export function problemBody(err: AppError, instance?: string, requestId?: string): Problem {
  const errors = (err.details?.['errors'] ?? err.details?.['issues']) as Problem['errors'] | undefined;
  const retryAfter = err.details?.['retryAfterSeconds'];
  return {
    type: `https://sigmasight.dev/problems/${err.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[err.code],
    status: ERROR_STATUS[err.code],
    detail: err.code === 'INTERNAL' ? 'An unexpected error occurred; it has been logged with the request id.' : err.message,
    code: err.code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { request_id: requestId } : {}),
    ...(errors ? { errors } : {}),
    ...(typeof retryAfter === 'number' ? { retry_after: Math.ceil(retryAfter) } : {}),
  };
}

/** Hono's own exceptions (malformed JSON, body too large) are client errors, never 500. */
function fromHttpException(e: HTTPException): AppError {
  if (e.status === 401) return new AppError('UNAUTHENTICATED', e.message || 'Not authenticated');
  if (e.status === 404) return new AppError('NOT_FOUND', e.message || 'Not found');
  if (e.status === 403) return new AppError('FORBIDDEN', e.message || 'Forbidden');
  if (e.status === 413) return new AppError('TOO_LARGE', e.message || 'request body too large');
  if (e.status === 429) return new AppError('RATE_LIMITED', e.message || 'Too many requests');
  if (e.status >= 500) return new AppError('INTERNAL', e.message, { cause: e });
  return new AppError('VALIDATION', e.message || 'the request is not valid', { details: { errors: [{ path: '(body)', message: e.message || 'malformed request' }] } });
}

/** Sends `err` as application/problem+json; INTERNAL causes go to the log, never to the client. */
export function problemResponse(c: Context<AppBindings>, thrown: unknown): Response {
  const err = thrown instanceof HTTPException ? fromHttpException(thrown) : toAppError(thrown);
  const requestId = c.get('requestId');
  if (err.code === 'INTERNAL') c.get('log')?.error({ err: err.cause ?? err, requestId }, 'unhandled error');
  else if (err.code === 'UNAVAILABLE') c.get('log')?.warn({ err: err.cause ?? err, requestId }, 'database unreachable: answered 503');
  const body = problemBody(err, c.req.path, requestId);
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (body.retry_after !== undefined) headers['retry-after'] = String(body.retry_after);
  // a route may name its own challenge (the /mcp resource adds its resource_metadata, RFC 9728)
  const challenge = err.details?.['wwwAuthenticate'];
  if (typeof challenge === 'string') headers['www-authenticate'] = challenge;
  else if (err.code === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer';
  // c.body keeps the headers middleware already set (request id, CORS, security headers)
  return c.body(JSON.stringify(body), body.status as never, headers);
}
