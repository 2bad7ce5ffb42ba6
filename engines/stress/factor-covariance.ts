/**
 * Compatibility re-exports: the covariance type, its validation and the conditional-move
 * propagation live in the covariance family (`engines/covariance/`), which stress uses.
 */
export { checkCovariance, type FactorCovariance, type CovarianceInput, type CovarianceMatrix } from '../covariance/covariance-matrix.ts';
export { conditionalFactorMoves, type ConditionalMoves } from '../covariance/conditional-moves.ts';
