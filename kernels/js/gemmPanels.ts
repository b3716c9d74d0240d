// The packed GEMM: both operands copied into panels of three vectors interleaved along k,
// then a 3×3 register-blocked micro-kernel that keeps nine sums in local doubles for the
// whole of k and reads both panels with running indices.
//
//   panel q of op(A) holds rows 3q … 3q+2:     pa[(q·k + p)·3 + r] = op(A)[3q + r, p]
//   panel q of op(B) holds columns 3q … 3q+2:  pb[(q·k + p)·3 + r] = op(B)[p, 3q + r]
//   (zero where the row or column is past m or n)
//
// Why 3×3: x86-64 has sixteen floating-point registers; nine sums, three values of B and
// one of A fit, where a 4×4 tile's sixteen sums spill to the stack. (The measurements
// behind the choice are in docs/performance.md.)
//
// Packing costs (m + n)·k copies against 2·m·n·k flops, and a panel of B can be packed once
// and reused (a recurrent weight, step after step: gemmPrepacked). A long k is cut into
// blocks of PANELS_KC, so that the panels stay in cache and the room packing needs stays small.
// The packed buffers are the caller's (kernels never allocate): gemmPackSize gives the room.
// Panels are always float64, whatever the operands: packing a float32 value into a double is
// exact, the micro-kernel then reads one array type only (V8 compiles it once, for doubles,
// with no conversion in the inner loop), and the sums come out as they would from float32.
import type { Buf } from './types.js';

/** Packed panels: float64 always. */
export type Panels = Float64Array;

const R = 3;
/** The k-block of the packed GEMM. */
const PANELS_KC = 256;

/** Floats needed to pack count vectors of length k: whole panels of three. */
export function panelSize(count: number, k: number): number {
  return Math.ceil(count / R) * R * k;
}

/** Room for both operands of an m×n×k product, one k-block at a time. */
export function gemmPackSize(m: number, n: number, k: number): number {
  const kc = Math.min(k, PANELS_KC);
  return panelSize(m, kc) + panelSize(n, kc);
}

/**
 * C = op(A)·op(B) + beta·C through packed panels, k-block by k-block; `work` must hold
 * gemmPackSize(m, n, k) floats. (The layouts are those of gemm in gemm.ts.)
 */
export function gemmPacked(
  c: Buf,
  a: Buf,
  b: Buf,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  beta: number,
  offC: number,
  offA: number,
  offB: number,
  ldc: number,
  lda: number,
  ldb: number,
  work: Panels,
): void {
  const kc = Math.min(k, PANELS_KC),
    bAt = panelSize(m, kc);
  for (let p0 = 0; p0 < k; p0 += kc) {
    const width = Math.min(kc, k - p0);
    packA(work, 0, a, m, width, transA, offA + (transA ? p0 * lda : p0), lda);
    packB(work, bAt, b, n, width, transB, offB + (transB ? p0 : p0 * ldb), ldb);
    gemmPanels(c, work, 0, bAt, m, n, width, p0 === 0 ? beta : 1, offC, ldc);
  }
}

/**
 * C = op(A)·B + beta·C with B already packed (packB, the whole k) into `panels` at pbOff:
 * only A is packed, into the same array at paOff (room for panelSize(m, k) floats). For a
 * product repeated with the same B, step after step.
 */
export function gemmPrepacked(
  c: Buf,
  a: Buf,
  m: number,
  k: number,
  transA: boolean,
  offA: number,
  lda: number,
  panels: Panels,
  pbOff: number,
  n: number,
  beta: number,
  offC: number,
  ldc: number,
  paOff: number,
): void {
  packA(panels, paOff, a, m, k, transA, offA, lda);
  gemmPanels(c, panels, paOff, pbOff, m, n, k, beta, offC, ldc);
}

/**
 * Pack `count` vectors of length k, vector r element p at src[off + r·rowStride + p·colStride],
 * into panels of three at dst[dstOff …]. The source is read along its rows, whichever way
 * the vectors lie, so that each cache line is fetched once.
 */
export function packPanels(
  dst: Panels,
  dstOff: number,
  src: Buf,
  off: number,
  count: number,
  k: number,
  rowStride: number,
  colStride: number,
): void {
  if (rowStride === 1 && colStride !== 1) packAcross(dst, dstOff, src, off, count, k, colStride);
  else packAlong(dst, dstOff, src, off, count, k, rowStride, colStride);
}

/**
 * Vectors along the source rows (element p of vector r at r·rowStride + p·colStride): panel
 * by panel, three source vectors read side by side; a last, partial panel padded with zeros.
 */
function packAlong(
  dst: Panels,
  dstOff: number,
  src: Buf,
  off: number,
  count: number,
  k: number,
  rowStride: number,
  colStride: number,
): void {
  const whole = count - (count % R);
  let at = dstOff;
  for (let r = 0; r < whole; r += R) {
    let s0 = off + r * rowStride,
      s1 = s0 + rowStride,
      s2 = s1 + rowStride;
    for (let p = 0; p < k; p++, at += R, s0 += colStride, s1 += colStride, s2 += colStride) {
      dst[at] = src[s0];
      dst[at + 1] = src[s1];
      dst[at + 2] = src[s2];
    }
  }
  if (whole < count) {
    for (let p = 0; p < k; p++, at += R) {
      for (let r = 0; r < R; r++)
        dst[at + r] = whole + r < count ? src[off + (whole + r) * rowStride + p * colStride] : 0;
    }
  }
}

/** Vectors across the source rows (element p of vector r at p·ld + r): one source row at a time. */
function packAcross(dst: Panels, dstOff: number, src: Buf, off: number, count: number, k: number, ld: number): void {
  const whole = count - (count % R),
    step = k * R;
  for (let p = 0; p < k; p++) {
    const row = off + p * ld;
    let at = dstOff + p * R;
    for (let r = 0; r < whole; r += R, at += step) {
      dst[at] = src[row + r];
      dst[at + 1] = src[row + r + 1];
      dst[at + 2] = src[row + r + 2];
    }
    if (whole < count) for (let r = 0; r < R; r++) dst[at + r] = whole + r < count ? src[row + whole + r] : 0;
  }
}

/** Pack op(A), [m,k], as row panels. */
export function packA(
  dst: Panels,
  dstOff: number,
  a: Buf,
  m: number,
  k: number,
  transA: boolean,
  offA: number,
  lda: number,
): void {
  if (transA) packPanels(dst, dstOff, a, offA, m, k, 1, lda);
  else packPanels(dst, dstOff, a, offA, m, k, lda, 1);
}

/** Pack op(B), [k,n], as column panels. */
export function packB(
  dst: Panels,
  dstOff: number,
  b: Buf,
  n: number,
  k: number,
  transB: boolean,
  offB: number,
  ldb: number,
): void {
  if (transB) packPanels(dst, dstOff, b, offB, n, k, ldb, 1);
  else packPanels(dst, dstOff, b, offB, n, k, 1, ldb);
}

/**
 * C = A·B + beta·C from packed panels, both in one array: op(A)'s from paOff, op(B)'s from
 * pbOff. (One array, not two: the micro-kernel then checks and loads one typed array's
 * fields at each step of k instead of two's, 2-5% faster on 512³.)
 */
export function gemmPanels(
  c: Buf,
  w: Panels,
  paOff: number,
  pbOff: number,
  m: number,
  n: number,
  k: number,
  beta: number,
  offC: number,
  ldc: number,
): void {
  // beta 0 writes the sums, beta 1 adds them; any other beta scales C first, then adds.
  if (beta !== 0 && beta !== 1) scaleC(c, m, n, beta, offC, ldc);
  const add = beta !== 0;
  const fullA = Math.floor(m / R),
    fullB = Math.floor(n / R);
  // Whole 3×3 tiles. The outer loop walks the larger operand, so that the panels of the
  // smaller one, read again and again by the inner loop, stay in cache.
  if (fullA >= fullB) {
    for (let qa = 0; qa < fullA; qa++) wholeTiles(c, w, paOff, pbOff, k, add, offC, ldc, qa, 0, 0, 1, fullB);
  } else {
    for (let qb = 0; qb < fullB; qb++) wholeTiles(c, w, paOff, pbOff, k, add, offC, ldc, 0, qb, 1, 0, fullA);
  }
  // The ragged edges: a last column panel with one or two columns (its corner included), a
  // last row panel with one or two rows.
  if (fullB * R < n)
    for (let qa = 0; qa < Math.ceil(m / R); qa++) edgeColumns(c, w, paOff, pbOff, m, n, k, add, offC, ldc, qa, fullB);
  if (fullA * R < m) for (let qb = 0; qb < fullB; qb++) edgeRows(c, w, paOff, pbOff, m, k, add, offC, ldc, fullA, qb);
}

/** C = beta·C over an m×n block (beta 0 writes zeros, so that NaN in C never survives). */
export function scaleC(c: Buf, m: number, n: number, beta: number, offC: number, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const row = offC + i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = row; j < row + n; j++) c[j] *= beta;
  }
}

/**
 * A run of whole 3×3 tiles of C, tile t at row panel qa + t·da and column panel qb + t·db:
 * for each, nine sums over k in local doubles, written (add false) or added (add true).
 * Kept free of calls and edge cases: this loop is where the time goes, and V8 compiles it
 * best alone.
 */
function wholeTiles(
  c: Buf,
  w: Panels,
  paOff: number,
  pbOff: number,
  k: number,
  add: boolean,
  offC: number,
  ldc: number,
  qa: number,
  qb: number,
  da: number,
  db: number,
  count: number,
): void {
  const step = R * k;
  for (let t = 0; t < count; t++, qa += da, qb += db) {
    let s00 = 0,
      s01 = 0,
      s02 = 0,
      s10 = 0,
      s11 = 0,
      s12 = 0,
      s20 = 0,
      s21 = 0,
      s22 = 0;
    let x = paOff + qa * step,
      y = pbOff + qb * step;
    const end = x + step;
    for (; x < end; x = (x + R) | 0, y = (y + R) | 0) {
      const b0 = w[y],
        b1 = w[(y + 1) | 0],
        b2 = w[(y + 2) | 0];
      const a0 = w[x];
      s00 += a0 * b0;
      s01 += a0 * b1;
      s02 += a0 * b2;
      const a1 = w[(x + 1) | 0];
      s10 += a1 * b0;
      s11 += a1 * b1;
      s12 += a1 * b2;
      const a2 = w[(x + 2) | 0];
      s20 += a2 * b0;
      s21 += a2 * b1;
      s22 += a2 * b2;
    }
    const r0 = offC + qa * R * ldc + qb * R,
      r1 = r0 + ldc,
      r2 = r1 + ldc;
    if (add) {
      c[r0] += s00;
      c[r0 + 1] += s01;
      c[r0 + 2] += s02;
      c[r1] += s10;
      c[r1 + 1] += s11;
      c[r1 + 2] += s12;
      c[r2] += s20;
      c[r2 + 1] += s21;
      c[r2 + 2] += s22;
    } else {
      c[r0] = s00;
      c[r0 + 1] = s01;
      c[r0 + 2] = s02;
      c[r1] = s10;
      c[r1 + 1] = s11;
      c[r1 + 2] = s12;
      c[r2] = s20;
      c[r2 + 1] = s21;
      c[r2 + 2] = s22;
    }
  }
}

/**
 * A tile of the last column panel, which holds one or two columns: three rows by two
 * columns of sums in one pass over k (the panels are zero past m and n), of which only
 * those inside C are stored.
 */
function edgeColumns(
  c: Buf,
  w: Panels,
  paOff: number,
  pbOff: number,
  m: number,
  n: number,
  k: number,
  add: boolean,
  offC: number,
  ldc: number,
  qa: number,
  qb: number,
): void {
  const i = qa * R,
    j = qb * R;
  const rows = Math.min(R, m - i),
    cols = n - j;
  let s00 = 0,
    s01 = 0,
    s10 = 0,
    s11 = 0,
    s20 = 0,
    s21 = 0;
  for (let x = paOff + qa * R * k, y = pbOff + qb * R * k, p = 0; p < k; p++, x += R, y += R) {
    const b0 = w[y],
      b1 = w[y + 1];
    const a0 = w[x],
      a1 = w[x + 1],
      a2 = w[x + 2];
    s00 += a0 * b0;
    s01 += a0 * b1;
    s10 += a1 * b0;
    s11 += a1 * b1;
    s20 += a2 * b0;
    s21 += a2 * b1;
  }
  const at = offC + i * ldc + j;
  storeEdgeRow(c, at, cols, add, s00, s01, 0);
  if (rows > 1) storeEdgeRow(c, at + ldc, cols, add, s10, s11, 0);
  if (rows > 2) storeEdgeRow(c, at + 2 * ldc, cols, add, s20, s21, 0);
}

/** A tile of the last row panel, which holds one or two rows: two rows by three columns of sums in one pass over k. */
function edgeRows(
  c: Buf,
  w: Panels,
  paOff: number,
  pbOff: number,
  m: number,
  k: number,
  add: boolean,
  offC: number,
  ldc: number,
  qa: number,
  qb: number,
): void {
  const i = qa * R,
    j = qb * R;
  let s00 = 0,
    s01 = 0,
    s02 = 0,
    s10 = 0,
    s11 = 0,
    s12 = 0;
  for (let x = paOff + qa * R * k, y = pbOff + qb * R * k, p = 0; p < k; p++, x += R, y += R) {
    const b0 = w[y],
      b1 = w[y + 1],
      b2 = w[y + 2];
    const a0 = w[x],
      a1 = w[x + 1];
    s00 += a0 * b0;
    s01 += a0 * b1;
    s02 += a0 * b2;
    s10 += a1 * b0;
    s11 += a1 * b1;
    s12 += a1 * b2;
  }
  const at = offC + i * ldc + j;
  storeEdgeRow(c, at, R, add, s00, s01, s02);
  if (m - i > 1) storeEdgeRow(c, at + ldc, R, add, s10, s11, s12);
}

/** The first `cols` of three sums into C[at …], written or added. */
function storeEdgeRow(c: Buf, at: number, cols: number, add: boolean, s0: number, s1: number, s2: number): void {
  c[at] = add ? c[at] + s0 : s0;
  if (cols > 1) c[at + 1] = add ? c[at + 1] + s1 : s1;
  if (cols > 2) c[at + 2] = add ? c[at + 2] + s2 : s2;
}
