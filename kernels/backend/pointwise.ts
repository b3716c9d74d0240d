// The element-wise kernels (and the softmax of the cross-entropy) the ops call, with the
// TypeScript kernels' signatures: on the wasm backend, for float32, each runs its wasm twin
// (wasm/elementwise.ts, wasm/softmaxCrossEntropy.ts), with any buffer outside the heap
// staged in and out (staging.ts); otherwise (float64, the js backend) the TypeScript kernel.
// The TypeScript kernels stay importable as they are: the oracles.
import * as act from '../js/activations.js';
import { kernelBackend, wasmBackend, wasmModule } from './choice.js';
import * as ew from '../js/elementwise.js';
import { rowSum as rowSumTs } from '../js/reduce.js';
import * as sce from '../js/softmaxCrossEntropy.js';
import { withAddresses, type Span } from './staging.js';
import type { Buf, IndexBuf } from '../js/types.js';
import { elementwiseKernels, type ElementwiseKernels } from '../wasm/elementwise.js';
import { softmaxKernels } from '../wasm/softmaxCrossEntropy.js';
import { Room } from '../wasm/heap.js';

const kernels = (): ElementwiseKernels => wasmModule('elementwise', elementwiseKernels);

/** Float32 work on the wasm backend runs the wasm kernel. */
function onWasmBackend(buffers: readonly (Buf | null)[]): buffers is Float32Array[] {
  return kernelBackend() === 'wasm' && buffers.every((b) => b === null || b instanceof Float32Array);
}

/**
 * Run the wasm kernel when the backend is wasm and the buffers are float32, with each span's
 * heap address (staged in when it lives elsewhere: staging.ts); else, or when the heap has
 * no room for the staging, the TypeScript kernel.
 */
function twin(spans: (Span & { buf: Buf })[], wasm: (addresses: number[]) => void, ts: () => void): void {
  if (onWasmBackend(spans.map((s) => s.buf)) && withAddresses(spans as Span[], (addresses) => (wasm(addresses), true)))
    return;
  ts();
}

const whole = (buf: Buf, n: number, written = false): Span & { buf: Buf } => ({
  buf: buf as Float32Array,
  at: 0,
  n,
  written,
});
const block = (buf: Buf, at: number, rows: number, cols: number, ld: number, written = false): Span & { buf: Buf } => ({
  buf: buf as Float32Array,
  at,
  n: rows === 0 ? 0 : (rows - 1) * ld + cols,
  written,
});

type Whole = (out: Buf, a: Buf, b: Buf, n: number) => void;
type Rowwise = (out: Buf, a: Buf, v: Buf, rows: number, cols: number) => void;

/** out ← a ∘ b (out first; `accumulates`: out is read too). */
function wholeTwin(ts: Whole, name: 'add' | 'sub' | 'mul' | 'maximum' | 'mulBackward'): Whole {
  return (out, a, b, n) =>
    twin(
      [whole(out, n, true), whole(a, n), whole(b, n)],
      ([o, x, y]) => kernels()[name](o, x, y, n),
      () => ts(out, a, b, n),
    );
}

/** out [rows, cols] from a [rows, cols] and v [cols] (mulRowBackwardV: out is the vector). */
function rowTwin(ts: Rowwise, name: 'addRow' | 'subRow' | 'mulRow' | 'mulRowBackwardA' | 'mulRowBackwardV'): Rowwise {
  const outIsVector = name === 'mulRowBackwardV';
  return (out, a, v, rows, cols) =>
    twin(
      [
        whole(out, outIsVector ? cols : rows * cols, true),
        whole(a, rows * cols),
        whole(v, outIsVector ? rows * cols : cols),
      ],
      ([o, x, y]) => kernels()[name](o, x, y, rows, cols),
      () => ts(out, a, v, rows, cols),
    );
}

function forwardTwin(ts: (y: Buf, x: Buf, n: number) => void, name: 'sigmoidForward' | 'tanhForward' | 'reluForward') {
  return (y: Buf, x: Buf, n: number): void =>
    twin(
      [whole(y, n, true), whole(x, n)],
      ([o, i]) => kernels()[name](o, i, n),
      () => ts(y, x, n),
    );
}

function backwardTwin(
  ts: (dx: Buf, y: Buf, dy: Buf, n: number) => void,
  name: 'sigmoidBackward' | 'tanhBackward' | 'reluBackward',
) {
  return (dx: Buf, y: Buf, dy: Buf, n: number): void =>
    twin(
      [whole(dx, n, true), whole(y, n), whole(dy, n)],
      ([d, o, g]) => kernels()[name](d, o, g, n),
      () => ts(dx, y, dy, n),
    );
}

export const add = wholeTwin(ew.add, 'add');
export const sub = wholeTwin(ew.sub, 'sub');
export const mul = wholeTwin(ew.mul, 'mul');
export const maximum = wholeTwin(ew.maximum, 'maximum');
export const mulBackward = wholeTwin(ew.mulBackward, 'mulBackward');
export const addRow = rowTwin(ew.addRow, 'addRow');
export const subRow = rowTwin(ew.subRow, 'subRow');
export const mulRow = rowTwin(ew.mulRow, 'mulRow');
export const mulRowBackwardA = rowTwin(ew.mulRowBackwardA, 'mulRowBackwardA');
export const mulRowBackwardV = rowTwin(ew.mulRowBackwardV, 'mulRowBackwardV');
export const sigmoidForward = forwardTwin(act.sigmoidForward, 'sigmoidForward');
export const tanhForward = forwardTwin(act.tanhForward, 'tanhForward');
export const reluForward = forwardTwin(act.reluForward, 'reluForward');
export const sigmoidBackward = backwardTwin(act.sigmoidBackward, 'sigmoidBackward');
export const tanhBackward = backwardTwin(act.tanhBackward, 'tanhBackward');
export const reluBackward = backwardTwin(act.reluBackward, 'reluBackward');

export function affine(out: Buf, a: Buf, s: number, t: number, n: number): void {
  twin(
    [whole(out, n, true), whole(a, n)],
    ([o, x]) => kernels().affine(o, x, s, t, n),
    () => ew.affine(out, a, s, t, n),
  );
}

export function axpy(y: Buf, s: number, x: Buf, n: number): void {
  twin(
    [whole(y, n, true), whole(x, n)],
    ([o, i]) => kernels().axpy(o, s, i, n),
    () => ew.axpy(y, s, x, n),
  );
}

export function addConstant(y: Buf, s: number, n: number): void {
  twin(
    [whole(y, n, true)],
    ([o]) => kernels().addConstant(o, s, n),
    () => ew.addConstant(y, s, n),
  );
}

export function maximumBackward(d: Buf, dout: Buf, a: Buf, b: Buf, n: number, forA: boolean): void {
  twin(
    [whole(d, n, true), whole(dout, n), whole(a, n), whole(b, n)],
    ([o, g, x, y]) => kernels().maximumBackward(o, g, x, y, n, forA ? 1 : 0),
    () => ew.maximumBackward(d, dout, a, b, n, forA),
  );
}

export function addRowAt(buf: Buf, at: number, v: Buf, rows: number, cols: number, ld = cols, vAt = 0): void {
  twin(
    [block(buf, at, rows, cols, ld, true), block(v, vAt, 1, cols, cols)],
    ([o, x]) => kernels().addRowAt(o, x, rows, cols, ld),
    () => ew.addRowAt(buf, at, v, rows, cols, ld, vAt),
  );
}

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
  twin(
    [block(out, offOut, 1, cols, cols, true), block(a, offA, rows, cols, lda)],
    ([o, x]) => kernels().rowSum(o, x, rows, cols, alpha, beta, lda),
    () => rowSumTs(out, a, rows, cols, alpha, beta, offA, lda, offOut),
  );
}

export function softmaxCrossEntropyForward(
  probs: Buf,
  rowLoss: Buf,
  logits: Buf,
  targets: IndexBuf,
  rows: number,
  classes: number,
): void {
  const n = rows * classes;
  twin(
    [whole(probs, n, true), whole(logits, n)],
    ([p, z]) => {
      const { heap } = wasmBackend();
      // Room for the per-row statistics (m, S), one per heap, grown as needed.
      const at = wasmModule('softmax statistics', (h) => new Room(h)).fit(16 * Math.max(1, rows));
      if (at < 0) throw new Error(`softmaxCrossEntropy: no room in the wasm heap for ${rows} rows of statistics`);
      if (n > 0) wasmModule('softmax', softmaxKernels).softmaxRows(p, z, rows, classes, at);
      const stats = new Float64Array(heap.memory.buffer, at, 2 * rows);
      for (let r = 0; r < rows; r++)
        rowLoss[r] = Math.log(stats[2 * r + 1]) + stats[2 * r] - logits[r * classes + targets[r]];
    },
    () => sce.softmaxCrossEntropyForward(probs, rowLoss, logits, targets, rows, classes),
  );
}

export function softmaxCrossEntropyBackward(
  dlogits: Buf,
  probs: Buf,
  targets: IndexBuf,
  rowWeight: Buf | null,
  scale: number,
  rows: number,
  classes: number,
): void {
  twin(
    [whole(dlogits, rows * classes, true), whole(probs, rows * classes)],
    ([d, p]) => {
      const k = kernels();
      const all = wasmBackend().heap.all();
      for (let r = 0; r < rows; r++) {
        const s = rowWeight === null ? scale : scale * rowWeight[r];
        if (s === 0) continue;
        k.axpy(d + 4 * r * classes, s, p + 4 * r * classes, classes);
        all[d / 4 + r * classes + targets[r]] -= s;
      }
    },
    () => sce.softmaxCrossEntropyBackward(dlogits, probs, targets, rowWeight, scale, rows, classes),
  );
}
