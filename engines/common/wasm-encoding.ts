/**
 * The WebAssembly binary-encoding pieces the hand-assembled SIMD kernels share (Gram, row
 * standardisation, Greeks): LEB128 integers, vectors, sections and names, as the core
 * specification's binary format defines them.
 */

/** Unsigned LEB128. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** A vector: its length, then its items. */
export const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
/** A section: its id, its byte length, then its body. */
export const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
/** A name (ASCII). */
export const str = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
