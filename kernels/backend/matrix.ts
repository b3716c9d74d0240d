// Matrices as named views into flat buffers, and the matrix products a recurrent pass is
// made of, each under its own name. A view is what llm.c writes as `out_bt = out + b*T*C`:
// the buffer, where the matrix starts, its rows and columns, and its leading dimension (the
// distance between the starts of consecutive rows). Call sites name their matrices instead
// of passing a row of positional integers:
//
//   projectInputs(pre, xs, Wx, work)     pre  = xs · W_x          all T·B rows at once
//   addRecurrent(preStep, hPrev, Wh)     preₛ += hₛ₋₁ · W_h        one step, W_h packed once
//   weightGrads(dW, inputs, dOut, work)  dW  += inputsᵀ · dOut     all T·B rows at once
//   inputGrads(dx, dOut, W, work)        dx   = dOut · Wᵀ
//
// This is the interface a kernel backend implements: `gemm` over views, and packing a
// weight once (PackRoom) for `gemmPacked` step after step. Float32 work goes to the wasm
// kernels on the wasm backend; the TypeScript kernels are the oracle and the float64 path.
import { kernelBackend, wasmBackend } from './choice.js';
import { withAddresses } from './staging.js';
import { gemm as gemmRaw } from '../js/gemm.js';
import { WasmGemm } from '../wasm/gemm.js';
import { gemmPrepacked, packB, panelSize, type Panels } from '../js/gemmPanels.js';
import type { Buf } from '../js/types.js';

/** A rows × cols matrix inside buf: element (r, c) at buf[offset + r·ld + c]. */
export interface MatrixView {
  buf: Buf;
  offset: number;
  rows: number;
  cols: number;
  ld: number;
}

/** A view of buf: rows × cols from offset, rows ld apart (default: packed, ld = cols). */
export function view(buf: Buf, rows: number, cols: number, offset = 0, ld = cols): MatrixView {
  return { buf, offset, rows, cols, ld };
}

/**
 * A view that walks a time-major buffer [T, rows, ld] one step at a time, as llm.c moves
 * its pointers: at(s) moves it to step s, base + s·rows·ld, without making a new object.
 */
export class StepView implements MatrixView {
  offset: number;

  constructor(
    readonly buf: Buf,
    readonly rows: number,
    readonly cols: number,
    readonly ld = cols,
    readonly base = 0,
  ) {
    this.offset = base;
  }

  at(s: number): this {
    this.offset = this.base + s * this.rows * this.ld;
    return this;
  }
}

/** Columns [from, from + count) of a view. */
export function columns(m: MatrixView, from: number, count: number): MatrixView {
  return { buf: m.buf, offset: m.offset + from, rows: m.rows, cols: count, ld: m.ld };
}

/** Rows [from, from + count) of a view. */
export function rows(m: MatrixView, from: number, count: number): MatrixView {
  return { buf: m.buf, offset: m.offset + from * m.ld, rows: count, cols: m.cols, ld: m.ld };
}

/**
 * C = op(A)·op(B) + beta·C, op(X) = X or Xᵀ, with C [m,n], op(A) [m,k], op(B) [k,n]. The
 * sizes come from the views and must agree. `work` (gemmPackSize doubles) selects the
 * packed kernel.
 */
export function gemm(
  c: MatrixView,
  a: MatrixView,
  b: MatrixView,
  transA: boolean,
  transB: boolean,
  beta: number,
  work: Panels | null = null,
): void {
  const [m, k] = transA ? [a.cols, a.rows] : [a.rows, a.cols];
  const [kb, n] = transB ? [b.cols, b.rows] : [b.rows, b.cols];
  if (k !== kb || c.rows !== m || c.cols !== n) {
    throw new Error(`gemm: sizes disagree: op(A) ${m}×${k}, op(B) ${kb}×${n}, C ${c.rows}×${c.cols}`);
  }
  if (
    kernelBackend() === 'wasm' &&
    c.buf instanceof Float32Array &&
    a.buf instanceof Float32Array &&
    b.buf instanceof Float32Array
  ) {
    wasmGemm(c, a, b, m, n, k, transA, transB, beta);
    return;
  }
  gemmRaw(c.buf, a.buf, b.buf, m, n, k, transA, transB, beta, c.offset, a.offset, b.offset, c.ld, a.ld, b.ld, work);
}

/** The values a view spans in its buffer, from its first element to its last. */
function span(v: MatrixView): number {
  return v.rows === 0 || v.cols === 0 ? 0 : (v.rows - 1) * v.ld + v.cols;
}

/**
 * Run `body` with each view's buffer in the wasm heap (staging.ts: a view outside it is
 * copied in, and the first view, the output, copied back after), as the heap's whole-memory
 * array and the view's offset in it. False when the heap had no room or body declined.
 */
function onHeap(views: MatrixView[], body: (placed: { buf: Float32Array; offset: number }[]) => boolean): boolean {
  const spans = views.map((v, q) => ({ buf: v.buf as Float32Array, at: v.offset, n: span(v), written: q === 0 }));
  return withAddresses(spans, (addresses) => {
    const all = wasmBackend().heap.all();
    return body(addresses.map((address) => ({ buf: all, offset: address / 4 })));
  });
}

/** The wasm GEMM over float32 views (see onHeap for views outside the heap); the TypeScript kernel when the heap is full. */
function wasmGemm(
  c: MatrixView,
  a: MatrixView,
  b: MatrixView,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  beta: number,
): void {
  const done = onHeap([c, a, b], ([C, A, B]) =>
    wasmBackend().gemm.gemm(
      C.buf,
      A.buf,
      B.buf,
      m,
      n,
      k,
      transA,
      transB,
      beta,
      C.offset,
      A.offset,
      B.offset,
      c.ld,
      a.ld,
      b.ld,
    ),
  );
  if (!done)
    gemmRaw(c.buf, a.buf, b.buf, m, n, k, transA, transB, beta, c.offset, a.offset, b.offset, c.ld, a.ld, b.ld, null);
}

/** pre = xs · W_x: every step's input projection in one product (beta 0: pre is overwritten). */
export function projectInputs(pre: MatrixView, xs: MatrixView, Wx: MatrixView, work: Panels | null): void {
  gemm(pre, xs, Wx, false, false, 0, work);
}

/** dW += inputsᵀ · dOut over all rows: a weight's gradient, summed over every step and sequence. */
export function weightGrads(dW: MatrixView, inputs: MatrixView, dOut: MatrixView, work: Panels | null): void {
  gemm(dW, inputs, dOut, true, false, 1, work);
}

/** dx = dOut · Wᵀ (beta 0) or dx += it (beta 1): the gradient reaching a product's input. */
export function inputGrads(dx: MatrixView, dOut: MatrixView, W: MatrixView, work: Panels | null, beta = 0): void {
  gemm(dx, dOut, W, false, true, beta, work);
}

/** A weight packed for products repeated step after step: op(W) is k × n. */
export interface PackedWeight {
  k: number;
  n: number;
  /** The TypeScript kernel's panels: op(W) at `offset`, left operands packed from `scratch`. */
  panels: Panels;
  offset: number;
  scratch: number;
  /** The wasm kernel's panels, where they are in the heap (float32 weights on the wasm backend), or −1. */
  heapAt: number;
  /** The weight itself and whether op is a transpose: a product the heap has no room for runs on it unpacked. */
  source: MatrixView;
  transpose: boolean;
}

/**
 * Where a pass packs its weights: TypeScript panels (float64, the weights from 0 and the
 * left operands from `scratch`) and, on the wasm backend, float32 panels in the heap, made on
 * first need. start() begins a pass; each pack takes the next free room.
 */
export class PackRoom {
  private next = 0;
  private next32 = 0;
  private heap32: Float32Array | null = null;

  /** floats32: room the wasm panels may need in all (two weights of k·n, say). */
  constructor(
    readonly panels: Panels,
    readonly scratch: number,
    private readonly floats32: number,
    private readonly make32: (n: number) => Float32Array,
  ) {}

  start(): this {
    this.next = 0;
    this.next32 = 0;
    return this;
  }

  /** Pack op(W) (W, or Wᵀ when transpose) into the next free room, for the backend that will multiply it. */
  pack(W: MatrixView, transpose: boolean): PackedWeight {
    const [k, n] = transpose ? [W.cols, W.rows] : [W.rows, W.cols];
    const packed = { k, n, panels: this.panels, scratch: this.scratch, source: W, transpose };
    if (kernelBackend() === 'wasm' && W.buf instanceof Float32Array) {
      this.heap32 ??= this.make32(this.floats32);
      const floats = WasmGemm.packedFloats(k, n);
      if (this.next32 + floats > this.heap32.length)
        throw new Error(`PackRoom: ${floats} more floats of wasm panels do not fit in ${this.heap32.length}`);
      const at = this.heap32.byteOffset + 4 * this.next32;
      // Panels outside the heap (it was full when they were made) cannot take the wasm kernel.
      if (
        wasmBackend().heap.holds(this.heap32) &&
        onHeap([W], ([B]) => {
          wasmBackend().gemm.prepack(at, B.buf, k, n, transpose, B.offset, W.ld);
          return true;
        })
      ) {
        this.next32 += floats;
        return { ...packed, offset: -1, heapAt: at };
      }
    }
    const offset = this.next;
    packB(this.panels, offset, W.buf, n, k, transpose, W.offset, W.ld);
    this.next += packedSize(k, n);
    return { ...packed, offset, heapAt: -1 };
  }
}

/** Room for a packed k × n weight in the TypeScript panels. */
export function packedSize(k: number, n: number): number {
  return panelSize(n, k);
}

/** Room for a packed k × n weight in the wasm panels, in floats. */
export function wasmPackedFloats(k: number, n: number): number {
  return WasmGemm.packedFloats(k, n);
}

/** C = A · op(W) + beta·C (beta 0 or 1) with op(W) packed beforehand: A [m,k], C [m,n]. */
export function gemmPacked(c: MatrixView, a: MatrixView, w: PackedWeight, beta: number): void {
  if (a.cols !== w.k || c.rows !== a.rows || c.cols !== w.n) {
    throw new Error(`gemmPacked: sizes disagree: A ${a.rows}×${a.cols}, packed W ${w.k}×${w.n}, C ${c.rows}×${c.cols}`);
  }
  if (w.heapAt >= 0) {
    const done = onHeap([c, a], ([C, A]) =>
      wasmBackend().gemm.gemmPrepacked(C.buf, A.buf, w.heapAt, a.rows, w.n, w.k, beta, C.offset, A.offset, c.ld, a.ld),
    );
    if (!done) gemm(c, a, w.source, false, w.transpose, beta);
    return;
  }
  gemmPrepacked(
    c.buf,
    a.buf,
    a.rows,
    w.k,
    false,
    a.offset,
    a.ld,
    w.panels,
    w.offset,
    w.n,
    beta,
    c.offset,
    c.ld,
    w.scratch,
  );
}

/** preₛ += hₛ₋₁ · W_h: the one product inside the time loop. */
export function addRecurrent(pre: MatrixView, hPrev: MatrixView, Wh: PackedWeight): void {
  gemmPacked(pre, hPrev, Wh, 1);
}
