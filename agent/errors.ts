/**
 * How a failed run is reported: the terminal SSE `error` carries the project's error `code`
 * (STYLE "Error model": RateLimit → RATE_LIMITED, connection or 5xx → UPSTREAM) and the 7.9
 * `error_type`. Unexpected faults are INTERNAL with a generic message (the cause goes to the log).
 */
import OpenAI from 'openai';
import type { ErrorCode } from '../core/errors.ts';
import { AppError } from '../core/errors.ts';
import type { ErrorType } from './events.ts';
import { IncompleteStreamError } from './model.ts';

/** The turn ran past its budget plus the last tool-less call. */
export class TurnTimeoutError extends Error {
  override readonly name = 'TurnTimeoutError';
}

export interface RunFailure {
  code: ErrorCode;
  errorType: ErrorType;
  message: string;
  retryable: boolean;
  /** True when the cause is ours, not the provider's: log it with its stack. */
  internal: boolean;
}

export function classifyError(err: unknown): RunFailure {
  const fail = (code: ErrorCode, errorType: ErrorType, message: string, retryable: boolean, internal = false): RunFailure => ({ code, errorType, message, retryable, internal });
  if (err instanceof TurnTimeoutError) return fail('UPSTREAM', 'TIMEOUT', err.message, true);
  if (err instanceof IncompleteStreamError) return fail('UPSTREAM', 'LLM_ERROR', err.message, true);
  if (err instanceof OpenAI.RateLimitError) return fail('RATE_LIMITED', 'RATE_LIMITED', 'the language model provider is rate limiting requests; try again shortly', true);
  if (err instanceof OpenAI.AuthenticationError || err instanceof OpenAI.PermissionDeniedError) {
    return fail('UPSTREAM', 'LLM_UNAVAILABLE', 'the language model provider refused the configured API key (OPENAI_API_KEY)', false);
  }
  if (err instanceof OpenAI.APIConnectionError) return fail('UPSTREAM', 'LLM_UNAVAILABLE', 'the language model provider could not be reached', true);
  if (err instanceof OpenAI.APIError) {
    const status = typeof err.status === 'number' ? err.status : undefined;
    if (status !== undefined && status >= 500) return fail('UPSTREAM', 'LLM_UNAVAILABLE', `the language model provider failed (HTTP ${status})`, true);
    return fail('UPSTREAM', 'LLM_ERROR', `the language model request failed: ${err.message}`, false);
  }
  if (err instanceof AppError && err.code !== 'INTERNAL') return fail(err.code, 'SERVER_ERROR', err.message, false);
  return fail('INTERNAL', 'SERVER_ERROR', 'the chat turn failed unexpectedly', true, true);
}
