// Element-wise arithmetic over flat buffers of n elements, and the row broadcast a bias
// or a per-unit vector needs: a is [rows, cols], v is [cols] and is reused for every row.
// Backward kernels add into their gradient buffers (+=).
import type { Buf } from './types.js';

/** out = a + b, all [n]. */
export function add(out: Buf, a: Buf, b: Buf, n: number): void {
  for (let q = 0; q < n; q++) out[q] = a[q] + b[q];
}

/** out = a − b, all [n]. */
export function sub(out: Buf, a: Buf, b: Buf, n: number): void {
  for (let q = 0; q < n; q++) out[q] = a[q] - b[q];
}

/** out = a ⊙ b, all [n]. */
export function mul(out: Buf, a: Buf, b: Buf, n: number): void {
  for (let q = 0; q < n; q++) out[q] = a[q] * b[q];
}

/** out = s·a + t, all [n]. */
export function affine(out: Buf, a: Buf, s: number, t: number, n: number): void {
  for (let q = 0; q < n; q++) out[q] = s * a[q] + t;
}

/** out = max(a, b), all [n]. */
export function maximum(out: Buf, a: Buf, b: Buf, n: number): void {
  for (let q = 0; q < n; q++) out[q] = a[q] >= b[q] ? a[q] : b[q];
}

/** The gradient of max(a, b) reaches a where a ≥ b (forA), else b: d += dout where chosen. */
export function maximumBackward(d: Buf, dout: Buf, a: Buf, b: Buf, n: number, forA: boolean): void {
  for (let q = 0; q < n; q++) if (a[q] >= b[q] === forA) d[q] += dout[q];
}

/** y += s·x, all [n]: how a gradient flows back through a sum or a scaling. */
export function axpy(y: Buf, s: number, x: Buf, n: number): void {
  for (let q = 0; q < n; q++) y[q] += s * x[q];
}

/** y += s, all [n]: the gradient of a sum reaching every element. */
export function addConstant(y: Buf, s: number, n: number): void {
  for (let q = 0; q < n; q++) y[q] += s;
}

/** da += dout ⊙ b, all [n]: the gradient of a ⊙ b with respect to a. */
export function mulBackward(da: Buf, dout: Buf, b: Buf, n: number): void {
  for (let q = 0; q < n; q++) da[q] += dout[q] * b[q];
}

/** out[r,j] = a[r,j] + v[j];  a, out: [rows, cols], v: [cols]. */
export function addRow(out: Buf, a: Buf, v: Buf, rows: number, cols: number): void {
  for (let r = 0, q = 0; r < rows; r++) for (let j = 0; j < cols; j++, q++) out[q] = a[q] + v[j];
}

/** buf[at + r·ld + j] += v[vAt + j] for r < rows, j < cols: a bias added to a block of rows in place. */
export function addRowAt(buf: Buf, at: number, v: Buf, rows: number, cols: number, ld = cols, vAt = 0): void {
  for (let r = 0; r < rows; r++) {
    const row = at + r * ld;
    for (let j = 0; j < cols; j++) buf[row + j] += v[vAt + j];
  }
}

/** out[r,j] = a[r,j] − v[j];  a, out: [rows, cols], v: [cols]. */
export function subRow(out: Buf, a: Buf, v: Buf, rows: number, cols: number): void {
  for (let r = 0, q = 0; r < rows; r++) for (let j = 0; j < cols; j++, q++) out[q] = a[q] - v[j];
}

/** out[r,j] = a[r,j] · v[j];  a, out: [rows, cols], v: [cols]. */
export function mulRow(out: Buf, a: Buf, v: Buf, rows: number, cols: number): void {
  for (let r = 0, q = 0; r < rows; r++) for (let j = 0; j < cols; j++, q++) out[q] = a[q] * v[j];
}

/** da[r,j] += dout[r,j] · v[j]: the gradient of a ⊙ v (v broadcast) with respect to a. */
export function mulRowBackwardA(da: Buf, dout: Buf, v: Buf, rows: number, cols: number): void {
  for (let r = 0, q = 0; r < rows; r++) for (let j = 0; j < cols; j++, q++) da[q] += dout[q] * v[j];
}

/** dv[j] += Σ_r dout[r,j] · a[r,j]: the gradient of a ⊙ v (v broadcast) with respect to v. */
export function mulRowBackwardV(dv: Buf, dout: Buf, a: Buf, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let r = 0, q = j; r < rows; r++, q += cols) sum += dout[q] * a[q];
    dv[j] += sum;
  }
}
