import { EngineError } from '../errors.ts';

/**
 * A dense float64 matrix stored row-major: element (i, j) is `data[i * cols + j]`.
 * Engines use it for return panels (observations × series) and covariance/correlation matrices.
 */
export interface DenseMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Wraps `data` as a `rows × cols` row-major matrix after checking the length.
 * @throws EngineError INVALID_INPUT when `data.length !== rows * cols` or a dimension is not a non-negative integer.
 * @example denseMatrix(new Float64Array([1, 2, 3, 4]), 2, 2).data[2] // 3
 */
export function denseMatrix(data: Float64Array, rows: number, cols: number): DenseMatrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols) {
    throw new EngineError('INVALID_INPUT', `matrix data of length ${data.length} does not match ${rows}×${cols}`);
  }
  return { data, rows, cols };
}

/**
 * Builds a row-major `rows × cols` matrix whose column j is `columns[j]` (all of equal length).
 * @throws EngineError INVALID_INPUT when columns differ in length or there are none.
 * @example fromColumns([new Float64Array([1, 2]), new Float64Array([3, 4])]).data // Float64Array [1, 3, 2, 4]
 */
export function fromColumns(columns: readonly Float64Array[]): DenseMatrix {
  const cols = columns.length;
  if (cols === 0) throw new EngineError('INVALID_INPUT', 'at least one column is required');
  const rows = columns[0]!.length;
  const data = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const c = columns[j]!;
    if (c.length !== rows) throw new EngineError('INVALID_INPUT', `column ${j} has length ${c.length}, expected ${rows}`);
    for (let i = 0; i < rows; i++) data[i * cols + j] = c[i]!;
  }
  return { data, rows, cols };
}

/** Copies column `j` of `m` into a new array. @example column(fromColumns([a, b]), 1) // b's values */
export function column(m: DenseMatrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j]!;
  return out;
}
