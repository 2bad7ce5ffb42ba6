/**
 * Complete data builds the uniform overlap matrix only when it is read: it must then equal what
 * the pairwise path reports for the same data, stay one array across reads, and survive
 * spreading and structured cloning like an ordinary property.
 */
import { expect, test } from 'vitest';
import { denseMatrix } from '../../../engines/common/dense-matrix.ts';
import { correlationMatrix } from '../../../engines/correlation/correlation-matrix.ts';

const m = 7;
const T = 40;
const data = Float64Array.from({ length: m * T }, (_, k) => Math.sin(k * 0.37) + Math.cos(k * 0.11 * ((k % m) + 1)));

test('the overlap of complete data is T for every pair, read once, equal to the pairwise path', () => {
  const cm = correlationMatrix(denseMatrix(data, m, T), Array.from({ length: m }, (_, i) => `S${i}`));
  expect(cm.fastPath).toBe(true);
  const first = cm.overlap;
  expect(first).toBeInstanceOf(Int32Array);
  expect(first.length).toBe(m * m);
  expect([...first].every((n) => n === T)).toBe(true);
  expect(cm.overlap).toBe(first);
  // One missing value forces the pairwise path; its overlaps differ only in that series' row and column.
  const holed = data.slice();
  holed[3 * T + 5] = Number.NaN;
  const pw = correlationMatrix(denseMatrix(holed, m, T), Array.from({ length: m }, (_, i) => `S${i}`));
  expect(pw.fastPath).toBe(false);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== 3 && j !== 3) expect(pw.overlap[i * m + j]).toBe(first[i * m + j]);
  const spread = { ...cm };
  expect(spread.overlap).toBe(first);
  const cloned = structuredClone({ ...cm });
  expect([...cloned.overlap]).toEqual([...first]);
});
