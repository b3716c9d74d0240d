// Reductions, summed in a double whatever the buffer's precision.
import type { Buf } from './types.js';

/** Σ_q a[q] over a: [n]. */
export function sumAll(a: Buf, n: number): number {
  let sum = 0;
  for (let q = 0; q < n; q++) sum += a[q];
  return sum;
}

/**
 * The bias gradient, summing the rows of a:  out[j] = alpha·Σ_r a[r,j] + beta·out[j].
 * a: [rows, cols] (rows lda apart, from offA), out: [cols] (from offOut). beta 0 overwrites, 1 accumulates.
 */
export function rowSum(out: Buf, a: Buf, rows: number, cols: number, alpha: number, beta: number, offA = 0, lda = cols, offOut = 0): void {
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let r = 0, q = offA + j; r < rows; r++, q += lda) sum += a[q];
    const at = offOut + j;
    out[at] = beta === 0 ? alpha * sum : beta * out[at] + alpha * sum;
  }
}
