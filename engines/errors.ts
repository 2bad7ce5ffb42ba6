/**
 * The one error type engines throw. Core maps every engine error to `UNPROCESSABLE`.
 * - `INVALID_INPUT`: a precondition on the inputs does not hold (negative price, NaN, mismatched lengths).
 * - `INSUFFICIENT_DATA`: fewer observations than the method needs (short history, constant series).
 * - `SINGULAR_MATRIX`: a design or covariance matrix is rank-deficient.
 */
export type EngineErrorCode = 'INVALID_INPUT' | 'INSUFFICIENT_DATA' | 'SINGULAR_MATRIX';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
