/** Money figures are stored and reported in USD to the cent (numeric(20, 2) columns, 2-dp JSON). */

/** `x` rounded to the cent (half away from zero for positives, as `Math.round`). */
export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** `round2` that passes null (and undefined) through as null. */
export const round2OrNull = (x: number | null | undefined): number | null => (x == null ? null : round2(x));
