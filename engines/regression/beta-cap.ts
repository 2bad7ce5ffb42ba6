import { EngineError } from '../errors.ts';

/** Hard guard on |β| (engines.md §6.6 item 3, Appendix A). */
export const BETA_CAP = 3;

export interface CappedBeta {
  /** β clipped to [−cap, +cap]; the value used downstream. */
  beta: number;
  /** The unclipped estimate, always kept. */
  rawBeta: number;
  /** Standard error of the raw estimate (unchanged by the cap). */
  standardError: number;
  /** True when the cap changed the value. */
  capped: boolean;
  /** Display-only shrinkage towards 1 (market beta): w·β + (1 − w), applied to the capped β. */
  shrunkForDisplay: number;
}

/**
 * Applies the ±3 hard guard to a regression beta while keeping the raw estimate and its SE,
 * and offers the display shrinkage 0.67β + 0.33 (Blume-style, towards 1) for market beta.
 * @param options.cap default 3; options.shrinkWeight default 0.67.
 * @throws EngineError INVALID_INPUT when β is NaN or the cap is not > 0.
 * @example capBeta(3.4, 0.2).beta // 3 (rawBeta 3.4, capped true, shrunkForDisplay 2.34)
 */
export function capBeta(rawBeta: number, standardError: number, options: { cap?: number; shrinkWeight?: number } = {}): CappedBeta {
  const cap = options.cap ?? BETA_CAP;
  const w = options.shrinkWeight ?? 0.67;
  if (Number.isNaN(rawBeta) || !(cap > 0)) throw new EngineError('INVALID_INPUT', `capBeta(${rawBeta}) with cap ${cap}`);
  const beta = Math.min(cap, Math.max(-cap, rawBeta));
  return { beta, rawBeta, standardError, capped: beta !== rawBeta, shrunkForDisplay: w * beta + (1 - w) };
}
