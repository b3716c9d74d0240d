// The element-wise kernels (and the softmax of the cross-entropy) the ops call, with the TypeScript kernels' signatures: each runs
// its wasm twin (wasm/elementwise.ts) when the backend is wasm and every buffer it touches
// lives in the heap, and the TypeScript kernel otherwise (float64, the js backend, a buffer
// from before a switch). The TypeScript kernels stay importable as they are: the oracles.
import * as act from './activations.js';
import { onWasm, wasmBackend, wasmModule } from './backend.js';
import * as ew from './elementwise.js';
import { rowSum as rowSumTs } from './reduce.js';
import * as sce from './softmaxCrossEntropy.js';
import type { Buf, IndexBuf } from './types.js';
import { elementwiseKernels, type ElementwiseKernels } from './wasm/elementwise.js';
import { softmaxKernels } from './wasm/softmaxCrossEntropy.js';

const kernels = (): ElementwiseKernels => wasmModule('elementwise', elementwiseKernels);
/** The byte address of element `at` of a heap buffer. */
const addr = (b: Buf, at = 0): number => b.byteOffset + 4 * at;

type Whole = (out: Buf, a: Buf, b: Buf, n: number) => void;
type Rowwise = (out: Buf, a: Buf, v: Buf, rows: number, cols: number) => void;

function whole(ts: Whole, name: 'add' | 'sub' | 'mul' | 'maximum' | 'mulBackward'): Whole {
  return (out, a, b, n) => (onWasm([out, a, b]) ? kernels()[name](addr(out), addr(a), addr(b), n) : ts(out, a, b, n));
}

function rowwise(ts: Rowwise, name: 'addRow' | 'subRow' | 'mulRow' | 'mulRowBackwardA' | 'mulRowBackwardV'): Rowwise {
  return (out, a, v, rows, cols) => (onWasm([out, a, v]) ? kernels()[name](addr(out), addr(a), addr(v), rows, cols) : ts(out, a, v, rows, cols));
}

function activation(ts: (y: Buf, x: Buf, n: number) => void, name: 'sigmoidForward' | 'tanhForward' | 'reluForward') {
  return (y: Buf, x: Buf, n: number): void => (onWasm([y, x]) ? kernels()[name](addr(y), addr(x), n) : ts(y, x, n));
}

function activationBackward(ts: (dx: Buf, y: Buf, dy: Buf, n: number) => void, name: 'sigmoidBackward' | 'tanhBackward' | 'reluBackward') {
  return (dx: Buf, y: Buf, dy: Buf, n: number): void => (onWasm([dx, y, dy]) ? kernels()[name](addr(dx), addr(y), addr(dy), n) : ts(dx, y, dy, n));
}

export const add = whole(ew.add, 'add');
export const sub = whole(ew.sub, 'sub');
export const mul = whole(ew.mul, 'mul');
export const maximum = whole(ew.maximum, 'maximum');
export const mulBackward = whole(ew.mulBackward, 'mulBackward');
export const addRow = rowwise(ew.addRow, 'addRow');
export const subRow = rowwise(ew.subRow, 'subRow');
export const mulRow = rowwise(ew.mulRow, 'mulRow');
export const mulRowBackwardA = rowwise(ew.mulRowBackwardA, 'mulRowBackwardA');
export const mulRowBackwardV = rowwise(ew.mulRowBackwardV, 'mulRowBackwardV');
export const sigmoidForward = activation(act.sigmoidForward, 'sigmoidForward');
export const tanhForward = activation(act.tanhForward, 'tanhForward');
export const reluForward = activation(act.reluForward, 'reluForward');
export const sigmoidBackward = activationBackward(act.sigmoidBackward, 'sigmoidBackward');
export const tanhBackward = activationBackward(act.tanhBackward, 'tanhBackward');
export const reluBackward = activationBackward(act.reluBackward, 'reluBackward');

export function affine(out: Buf, a: Buf, s: number, t: number, n: number): void {
  if (onWasm([out, a])) kernels().affine(addr(out), addr(a), s, t, n);
  else ew.affine(out, a, s, t, n);
}

export function axpy(y: Buf, s: number, x: Buf, n: number): void {
  if (onWasm([y, x])) kernels().axpy(addr(y), s, addr(x), n);
  else ew.axpy(y, s, x, n);
}

export function addConstant(y: Buf, s: number, n: number): void {
  if (onWasm([y])) kernels().addConstant(addr(y), s, n);
  else ew.addConstant(y, s, n);
}

export function maximumBackward(d: Buf, dout: Buf, a: Buf, b: Buf, n: number, forA: boolean): void {
  if (onWasm([d, dout, a, b])) kernels().maximumBackward(addr(d), addr(dout), addr(a), addr(b), n, forA ? 1 : 0);
  else ew.maximumBackward(d, dout, a, b, n, forA);
}

export function addRowAt(buf: Buf, at: number, v: Buf, rows: number, cols: number, ld = cols, vAt = 0): void {
  if (onWasm([buf, v])) kernels().addRowAt(addr(buf, at), addr(v, vAt), rows, cols, ld);
  else ew.addRowAt(buf, at, v, rows, cols, ld, vAt);
}

export function rowSum(out: Buf, a: Buf, rows: number, cols: number, alpha: number, beta: number, offA = 0, lda = cols, offOut = 0): void {
  if (onWasm([out, a])) kernels().rowSum(addr(out, offOut), addr(a, offA), rows, cols, alpha, beta, lda);
  else rowSumTs(out, a, rows, cols, alpha, beta, offA, lda, offOut);
}

/** Room in the heap for the softmax's per-row statistics (m, S), grown as needed. */
let statsRoom = { at: -1, rows: 0 };

export function softmaxCrossEntropyForward(probs: Buf, rowLoss: Buf, logits: Buf, targets: IndexBuf, rows: number, classes: number): void {
  if (onWasm([probs, logits]) && rows > 0 && classes > 0) {
    const { heap } = wasmBackend();
    if (statsRoom.rows < rows) {
      const at = heap.reserve(16 * rows);
      if (at !== null) statsRoom = { at, rows };
    }
    if (statsRoom.rows >= rows) {
      wasmModule('softmax', softmaxKernels).softmaxRows(addr(probs), addr(logits), rows, classes, statsRoom.at);
      const stats = new Float64Array(heap.memory.buffer, statsRoom.at, 2 * rows);
      for (let r = 0; r < rows; r++) rowLoss[r] = Math.log(stats[2 * r + 1]) + stats[2 * r] - logits[r * classes + targets[r]];
      return;
    }
  }
  sce.softmaxCrossEntropyForward(probs, rowLoss, logits, targets, rows, classes);
}

export function softmaxCrossEntropyBackward(dlogits: Buf, probs: Buf, targets: IndexBuf, rowWeight: Buf | null, scale: number, rows: number, classes: number): void {
  if (!onWasm([dlogits, probs])) {
    sce.softmaxCrossEntropyBackward(dlogits, probs, targets, rowWeight, scale, rows, classes);
    return;
  }
  const k = kernels();
  for (let r = 0; r < rows; r++) {
    const s = rowWeight === null ? scale : scale * rowWeight[r];
    if (s === 0) continue;
    k.axpy(addr(dlogits, r * classes), s, addr(probs, r * classes), classes);
    dlogits[r * classes + targets[r]] -= s;
  }
}
