/**
 * Neumaier's improved Kahan–Babuška summation: the running compensation term captures the
 * low-order bits lost by each addition, so the error bound is independent of the length n
 * (≈ 2ε·Σ|x_i| instead of n·ε·Σ|x_i| for naive summation). Use it for long return series.
 *
 * Reference: A. Neumaier, "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher
 * Summen", ZAMM 54 (1974) 39–51.
 * @example compensatedSum(new Float64Array([1, 1e100, 1, -1e100])) // 2 (naive summation gives 0)
 */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) comp += sum - t + x;
    else comp += x - t + sum;
    sum = t;
  }
  return sum + comp;
}

/**
 * Arithmetic mean with compensated summation. Returns NaN for an empty input (callers decide
 * whether that is an error).
 * @example compensatedMean(new Float64Array([1, 2, 3, 4])) // 2.5
 */
export function compensatedMean(values: ArrayLike<number>): number {
  return values.length === 0 ? Number.NaN : compensatedSum(values) / values.length;
}
