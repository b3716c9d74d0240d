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
 * Four columns at a time, so that each row is read in runs rather than one element per line.
 */
export function rowSum(
  out: Buf,
  a: Buf,
  rows: number,
  cols: number,
  alpha: number,
  beta: number,
  offA = 0,
  lda = cols,
  offOut = 0,
): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let r = 0, q = offA + j; r < rows; r++, q += lda) {
      s0 += a[q];
      s1 += a[q + 1];
      s2 += a[q + 2];
      s3 += a[q + 3];
    }
    storeSum(out, offOut + j, s0, alpha, beta);
    storeSum(out, offOut + j + 1, s1, alpha, beta);
    storeSum(out, offOut + j + 2, s2, alpha, beta);
    storeSum(out, offOut + j + 3, s3, alpha, beta);
  }
  for (; j < cols; j++) {
    let sum = 0;
    for (let r = 0, q = offA + j; r < rows; r++, q += lda) sum += a[q];
    storeSum(out, offOut + j, sum, alpha, beta);
  }
}

function storeSum(out: Buf, at: number, sum: number, alpha: number, beta: number): void {
  out[at] = beta === 0 ? alpha * sum : beta * out[at] + alpha * sum;
}

/** The index of the largest of a[at … at+n−1], relative to at (the first one on a tie). */
export function argmax(a: ArrayLike<number>, at: number, n: number): number {
  let best = 0;
  for (let q = 1; q < n; q++) if (a[at + q] > a[at + best]) best = q;
  return best;
}
