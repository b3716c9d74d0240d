// The Elman step in WebAssembly SIMD128, twin of ../js/rnnStep.ts (its oracle). Per active row,
// over its H units four lanes at a time (lanes.ts), in float32:
//
//   tanh:     h = tanh(pre)                      ∂pre = ∂h ⊙ (1 − h²)
//   relu:     h = pre where pre > 0, else 0      ∂pre = ∂h where h > 0, else 0
//   sigmoid:  h = σ(pre)                         ∂pre = ∂h ⊙ h ⊙ (1 − h)
//
// relu is a mask (pre > 0) anded with pre, so NaN and −0 give 0 as `pre > 0 ? pre : 0` does.
// pre [T, B, H], hs and dHs [T+1, B, H]; rows past their length are handled in TypeScript.
import { Type } from './builder.js';
import { WasmHeap } from './heap.js';
import { laneLoop } from './lanes.js';
import { emitSigmoid, emitTanh, MathScratch } from './math.js';
import { addBlock } from '../js/gather.js';
import { carriedPastEnd, zeroedPastEnd } from '../js/sequence.js';
import type { Buf, IndexBuf } from '../js/types.js';
import type { RnnNonlinearity } from '../js/rnnStep.js';

export interface RnnRowKernels {
  forward(n: number, pre: number, h: number): void;
  backward(n: number, dPre: number, h: number, dh: number): void;
}

const zero: [number, number, number, number] = [0, 0, 0, 0];

/** Build the row kernels for one nonlinearity. */
export function rnnRowKernels(heap: WasmHeap, act: RnnNonlinearity): RnnRowKernels {
  const I = Type.i32;
  const module = WasmHeap.module()
    .function('forward', [I, I, I], [], (f, n, pre, h) => {
      const m = new MathScratch(f),
        x = f.local(Type.v128);
      laneLoop(f, n, (io) => {
        io.load(pre);
        f.localSet(x);
        if (act === 'relu') f.localGet(x).localGet(x).v128Const(zero).f32x4Gt().v128And().localSet(x);
        else if (act === 'sigmoid') emitSigmoid(f, m, x, x);
        else emitTanh(f, m, x, x);
        io.store(h, x);
      });
    })
    .function('backward', [I, I, I, I], [], (f, n, dPre, h, dh) => {
      const y = f.local(Type.v128),
        d = f.local(Type.v128);
      laneLoop(f, n, (io) => {
        io.load(h);
        f.localSet(y);
        io.load(dh);
        if (act === 'relu') f.localGet(y).v128Const(zero).f32x4Gt().v128And();
        else if (act === 'sigmoid') f.localGet(y).f32x4Mul().v128Const([1, 1, 1, 1]).localGet(y).f32x4Sub().f32x4Mul();
        else f.v128Const([1, 1, 1, 1]).localGet(y).localGet(y).f32x4Mul().f32x4Sub().f32x4Mul();
        f.localSet(d);
        io.store(dPre, d);
      });
    });
  return heap.instantiate<RnnRowKernels>(module, 'rnn step');
}

/** The Elman step kernels, with the TypeScript kernels' arguments (the nonlinearity fixed by the row kernels). */
export class WasmRnnStep {
  constructor(private readonly rows: RnnRowKernels) {}

  forward(pre: Buf, hs: Buf, H: number, s: number, rows: number, lengths: IndexBuf): void {
    for (let r = 0; r < rows; r++) {
      const p = (s * rows + r) * H,
        next = p + rows * H;
      if (!carriedPastEnd(s, lengths[r], H, next, p, hs))
        this.rows.forward(H, pre.byteOffset + 4 * p, hs.byteOffset + 4 * next);
    }
  }

  backward(dPre: Buf, hs: Buf, dHs: Buf, H: number, s: number, rows: number, lengths: IndexBuf): void {
    for (let r = 0; r < rows; r++) {
      const p = (s * rows + r) * H,
        h = p + rows * H;
      if (zeroedPastEnd(s, lengths[r], p, H, dPre)) addBlock(dHs, p, dHs, h, H);
      else this.rows.backward(H, dPre.byteOffset + 4 * p, hs.byteOffset + 4 * h, dHs.byteOffset + 4 * h);
    }
  }
}
