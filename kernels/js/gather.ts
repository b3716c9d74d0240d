// Moving rows and column blocks between buffers: embedding lookup and its scatter,
// concatenation along the feature axis and its split, copying one block (a time step).
import type { Buf, IndexBuf } from './types.js';

/** out[q,:] = table[index[q],:];  table: [V, D], index: [n], out: [n, D]. */
export function gatherRows(out: Buf, table: Buf, index: IndexBuf, n: number, dim: number): void {
  for (let q = 0; q < n; q++) {
    const from = index[q] * dim,
      to = q * dim;
    for (let j = 0; j < dim; j++) out[to + j] = table[from + j];
  }
}

/** dtable[index[q],:] += dout[q,:]: a row used twice receives both gradients. */
export function scatterAddRows(dtable: Buf, dout: Buf, index: IndexBuf, n: number, dim: number): void {
  for (let q = 0; q < n; q++) {
    const to = index[q] * dim,
      from = q * dim;
    for (let j = 0; j < dim; j++) dtable[to + j] += dout[from + j];
  }
}

/**
 * dst[r, at + j] = src[r, j] for j < width:  src: [rows, width], dst: [rows, dstCols].
 * Writes one part of a feature-axis concatenation.
 */
export function copyIntoColumns(dst: Buf, dstCols: number, at: number, src: Buf, width: number, rows: number): void {
  for (let r = 0; r < rows; r++) {
    const d = r * dstCols + at,
      s = r * width;
    for (let j = 0; j < width; j++) dst[d + j] = src[s + j];
  }
}

/** dst[r, j] = src[r, at + j] for j < width:  src: [rows, srcCols], dst: [rows, width]. */
export function copyFromColumns(dst: Buf, src: Buf, srcCols: number, at: number, width: number, rows: number): void {
  for (let r = 0; r < rows; r++) {
    const s = r * srcCols + at,
      d = r * width;
    for (let j = 0; j < width; j++) dst[d + j] = src[s + j];
  }
}

/** dst[r, j] += src[r, at + j]: the backward of copyIntoColumns. */
export function addFromColumns(dst: Buf, src: Buf, srcCols: number, at: number, width: number, rows: number): void {
  for (let r = 0; r < rows; r++) {
    const s = r * srcCols + at,
      d = r * width;
    for (let j = 0; j < width; j++) dst[d + j] += src[s + j];
  }
}

/** dst[r, at + j] += src[r, j]: the backward of copyFromColumns. */
export function addIntoColumns(dst: Buf, dstCols: number, at: number, src: Buf, width: number, rows: number): void {
  for (let r = 0; r < rows; r++) {
    const d = r * dstCols + at,
      s = r * width;
    for (let j = 0; j < width; j++) dst[d + j] += src[s + j];
  }
}

/** dst[dstAt + q] = src[srcAt + q] for q < n. */
export function copyBlock(dst: Buf, dstAt: number, src: Buf, srcAt: number, n: number): void {
  for (let q = 0; q < n; q++) dst[dstAt + q] = src[srcAt + q];
}

/** dst[dstAt + q] += src[srcAt + q] for q < n. */
export function addBlock(dst: Buf, dstAt: number, src: Buf, srcAt: number, n: number): void {
  for (let q = 0; q < n; q++) dst[dstAt + q] += src[srcAt + q];
}
