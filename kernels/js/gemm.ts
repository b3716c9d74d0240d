// General matrix multiply, the one kernel every layer leans on.
//
//   C = op(A) · op(B) + beta · C,   op(X) = X or Xᵀ
//
//   a: [m,k] row-major, or [k,m] when transA
//   b: [k,n] row-major, or [n,k] when transB
//   c: [m,n] row-major
//
// beta 0 overwrites C (old contents, even NaN, are never read), beta 1 accumulates.
// Offsets and leading dimensions (BLAS's lda, ldb, ldc: the distance between the starts
// of consecutive stored rows) address a block inside a larger buffer: one time step of a
// sequence, the recurrent rows of a packed weight, one gate's columns.
import { gemmPacked, gemmPackSize, scaleC, type Panels } from './gemmPanels.js';
import type { Buf } from './types.js';

/** The reference: one dot product per output element, summed in a double. The oracle for `gemm`. */
export function gemmNaive(
  c: Buf,
  a: Buf,
  b: Buf,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  beta: number,
  offC = 0,
  offA = 0,
  offB = 0,
  ldc = n,
  lda = transA ? m : k,
  ldb = transB ? k : n,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[offA + p * lda + i] : a[offA + i * lda + p];
        const bpj = transB ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
        sum += aip * bpj;
      }
      const at = offC + i * ldc + j;
      c[at] = beta === 0 ? sum : beta * c[at] + sum;
    }
  }
}

/**
 * The tuned GEMM: same contract as `gemmNaive`. Given a workspace `work` of at least
 * gemmPackSize(m, n, k) doubles it packs both operands and runs the 3×3 micro-kernel of
 * gemmPanels.ts, which sums each k-block in doubles. Without one (or for fewer than four rows, where
 * panels would waste most of their work) it runs unpacked: rows of C updated four at a
 * time (adding into C as it goes, so float32 rounds a little differently from the naive
 * sum), or dot products when B is transposed.
 */
export function gemm(
  c: Buf,
  a: Buf,
  b: Buf,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  beta: number,
  offC = 0,
  offA = 0,
  offB = 0,
  ldc = n,
  lda = transA ? m : k,
  ldb = transB ? k : n,
  work: Panels | null = null,
): void {
  if (work !== null && m >= 4 && k > 0 && work.length >= gemmPackSize(m, n, k)) {
    gemmPacked(c, a, b, m, n, k, transA, transB, beta, offC, offA, offB, ldc, lda, ldb, work);
    return;
  }
  // Where A(i,p) lives: row i steps by aRow, column p by aCol.
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  if (transB) gemmDot(c, a, b, m, n, k, aRow, aCol, beta, offC, offA, offB, ldc, ldb);
  else gemmRows(c, a, b, m, n, k, aRow, aCol, beta, offC, offA, offB, ldc, ldb);
}

const COL_BLOCK = 256;

// B is [k,n] row-major: each row of C is a sum of rows of B weighted by A(i,p).
// Four rows of C and two rows of B per pass, over column blocks that stay in L1.
function gemmRows(
  c: Buf,
  a: Buf,
  b: Buf,
  m: number,
  n: number,
  k: number,
  aRow: number,
  aCol: number,
  beta: number,
  offC: number,
  offA: number,
  offB: number,
  ldc: number,
  ldb: number,
): void {
  scaleC(c, m, n, beta, offC, ldc);
  for (let j0 = 0; j0 < n; j0 += COL_BLOCK) {
    const j1 = Math.min(n, j0 + COL_BLOCK);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const c0 = offC + i * ldc,
        c1 = c0 + ldc,
        c2 = c1 + ldc,
        c3 = c2 + ldc;
      const a0 = offA + i * aRow;
      let p = 0;
      for (; p + 2 <= k; p += 2) {
        const ap = a0 + p * aCol,
          aq = ap + aCol;
        const x00 = a[ap],
          x10 = a[ap + aRow],
          x20 = a[ap + 2 * aRow],
          x30 = a[ap + 3 * aRow];
        const x01 = a[aq],
          x11 = a[aq + aRow],
          x21 = a[aq + 2 * aRow],
          x31 = a[aq + 3 * aRow];
        const bp = offB + p * ldb,
          bq = bp + ldb;
        for (let j = j0; j < j1; j++) {
          const u = b[bp + j],
            v = b[bq + j];
          c[c0 + j] += x00 * u + x01 * v;
          c[c1 + j] += x10 * u + x11 * v;
          c[c2 + j] += x20 * u + x21 * v;
          c[c3 + j] += x30 * u + x31 * v;
        }
      }
      for (; p < k; p++) {
        const ap = a0 + p * aCol;
        const x0 = a[ap],
          x1 = a[ap + aRow],
          x2 = a[ap + 2 * aRow],
          x3 = a[ap + 3 * aRow];
        const bp = offB + p * ldb;
        for (let j = j0; j < j1; j++) {
          const u = b[bp + j];
          c[c0 + j] += x0 * u;
          c[c1 + j] += x1 * u;
          c[c2 + j] += x2 * u;
          c[c3 + j] += x3 * u;
        }
      }
    }
    for (; i < m; i++) {
      const ci = offC + i * ldc;
      const ai = offA + i * aRow;
      for (let p = 0; p < k; p++) {
        const x = a[ai + p * aCol];
        const bp = offB + p * ldb;
        for (let j = j0; j < j1; j++) c[ci + j] += x * b[bp + j];
      }
    }
  }
}

// B is [n,k] row-major (transB): C(i,j) is the dot product of A's row i and B's row j.
// Two rows by two columns per pass, four sums held in doubles.
function gemmDot(
  c: Buf,
  a: Buf,
  b: Buf,
  m: number,
  n: number,
  k: number,
  aRow: number,
  aCol: number,
  beta: number,
  offC: number,
  offA: number,
  offB: number,
  ldc: number,
  ldb: number,
): void {
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const ai = offA + i * aRow,
      ai1 = ai + aRow;
    const ci = offC + i * ldc,
      ci1 = ci + ldc;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const bj = offB + j * ldb,
        bj1 = bj + ldb;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[ai + p * aCol],
          x1 = a[ai1 + p * aCol];
        const y0 = b[bj + p],
          y1 = b[bj1 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      store(c, ci + j, s00, beta);
      store(c, ci + j + 1, s01, beta);
      store(c, ci1 + j, s10, beta);
      store(c, ci1 + j + 1, s11, beta);
    }
    for (; j < n; j++) {
      const bj = offB + j * ldb;
      let s0 = 0,
        s1 = 0;
      for (let p = 0; p < k; p++) {
        const y = b[bj + p];
        s0 += a[ai + p * aCol] * y;
        s1 += a[ai1 + p * aCol] * y;
      }
      store(c, ci + j, s0, beta);
      store(c, ci1 + j, s1, beta);
    }
  }
  for (; i < m; i++) {
    const ai = offA + i * aRow;
    for (let j = 0; j < n; j++) {
      const bj = offB + j * ldb;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p * aCol] * b[bj + p];
      store(c, offC + i * ldc + j, s, beta);
    }
  }
}

function store(c: Buf, at: number, sum: number, beta: number): void {
  c[at] = beta === 0 ? sum : beta * c[at] + sum;
}
