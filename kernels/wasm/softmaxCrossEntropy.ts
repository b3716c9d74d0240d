// Softmax over the rows of the logits in WebAssembly SIMD128, the part of the fused
// softmax cross-entropy (../js/softmaxCrossEntropy.ts, its oracle, with the loss and its
// gradient) that touches every class:
//
//   for each row r of logits [rows, C]:  m = max_c z_c      e_c = exp(z_c − m)  (math.ts, 2 ulps)
//                                        S = Σ_c e_c        (in f64 lanes)
//                                        p_c = e_c / S      (divided in f64, as the oracle divides)
//   stats[2r] = m, stats[2r + 1] = S (f64), from which the caller forms ℓ_r = log S + m − z_t.
//
// z − m is a float32 subtraction (the oracle's is a double's), which costs e^(z−m) up to
// |z − m| ulps: a few for the logits of a trained model, more for rows whose logits spread
// over tens (spec/wasmElementwise.spec.ts bounds each probability by that).
// The maximum skips NaN as the oracle's `z > m` does (pmax keeps its first operand then);
// a NaN logit still makes its row's S, and so every p and ℓ of the row, NaN.
import { Type, type FunctionBuilder, type Local } from './builder.js';
import { WasmHeap } from './heap.js';
import { laneLoop } from './lanes.js';
import { emitExpNeg, MathScratch } from './math.js';

export interface SoftmaxKernels {
  softmaxRows(probs: number, logits: number, rows: number, classes: number, stats: number): void;
}

const I = Type.i32;

function emitSoftmaxRows(f: FunctionBuilder, [probs, logits, rows, classes, stats]: Local[]): void {
  const m = new MathScratch(f),
    r = f.local(I);
  const max = f.local(Type.v128),
    x = f.local(Type.v128),
    lo = f.local(Type.v128),
    hi = f.local(Type.v128);
  const top = f.local(Type.f32),
    total = f.local(Type.f64);
  const lanesOf = (v: Local, combine: () => void) => {
    // v's four lanes into lane 0: v ∘ v[2,3,·,·], then ∘ its lane 1
    f.localGet(v).localGet(v).localGet(v).f32x4Shuffle([2, 3, 2, 3]);
    combine();
    f.localSet(v).localGet(v).localGet(v).localGet(v).f32x4Shuffle([1, 1, 1, 1]);
    combine();
    f.f32x4ExtractLane(0);
  };
  f.block(() =>
    f.loop(() => {
      f.localGet(r).localGet(rows).i32GeS().brIf(1);
      // m, from the row's first logit (the tail spreads its element over every lane)
      f.localGet(logits).f32Load().f32x4Splat().localSet(max);
      laneLoop(f, classes, (io) => {
        f.localGet(max);
        io.spread(logits);
        f.f32x4Pmax().localSet(max);
      });
      lanesOf(max, () => f.f32x4Pmax());
      f.f32x4Splat().localSet(max);
      f.localGet(max).f32x4ExtractLane(0).localSet(top);
      // e = exp(z − m) into probs, S in two f64x2 sums
      f.v128Const([0, 0, 0, 0]).localTee(lo).localSet(hi);
      laneLoop(f, classes, (io) => {
        io.load(logits);
        f.localGet(max).f32x4Sub().localSet(x);
        emitExpNeg(f, m, x, x);
        io.store(probs, x);
        if (io.width === 1) {
          // the tail: lane 0 alone (the other lanes hold exp(−m) of nothing)
          f.localGet(lo)
            .localGet(x)
            .v128Const([0, 0, 0, 0])
            .f32x4Shuffle([0, 4, 4, 4])
            .f64x2PromoteLowF32x4()
            .f64x2Add()
            .localSet(lo);
          return;
        }
        f.localGet(lo).localGet(x).f64x2PromoteLowF32x4().f64x2Add().localSet(lo);
        f.localGet(hi)
          .localGet(x)
          .localGet(x)
          .f32x4Shuffle([2, 3, 2, 3])
          .f64x2PromoteLowF32x4()
          .f64x2Add()
          .localSet(hi);
      });
      f.localGet(lo)
        .f64x2ExtractLane(0)
        .localGet(lo)
        .f64x2ExtractLane(1)
        .f64Add()
        .localGet(hi)
        .f64x2ExtractLane(0)
        .f64Add()
        .localGet(hi)
        .f64x2ExtractLane(1)
        .f64Add()
        .localSet(total);
      // p = e / S, one float at a time in f64
      const c = f.local(I),
        at = f.local(I);
      f.i32Const(0).localSet(c);
      f.block(() =>
        f.loop(() => {
          f.localGet(c).localGet(classes).i32GeS().brIf(1);
          f.localGet(probs).localGet(c).i32Const(4).i32Mul().i32Add().localTee(at);
          f.localGet(at).f32Load().f64PromoteF32().localGet(total).f64Div().f32DemoteF64().f32Store();
          f.localGet(c).i32Const(1).i32Add().localSet(c);
          f.br(0);
        }),
      );
      f.localGet(stats).localGet(top).f64PromoteF32().f64Store();
      f.localGet(stats).localGet(total).f64Store(8);
      f.localGet(stats).i32Const(16).i32Add().localSet(stats);
      f.localGet(probs).localGet(classes).i32Const(4).i32Mul().i32Add().localSet(probs);
      f.localGet(logits).localGet(classes).i32Const(4).i32Mul().i32Add().localSet(logits);
      f.localGet(r).i32Const(1).i32Add().localSet(r);
      f.br(0);
    }),
  );
}

/** Build the softmax kernel over the heap's memory. */
export function softmaxKernels(heap: WasmHeap): SoftmaxKernels {
  return heap.instantiate<SoftmaxKernels>(
    WasmHeap.module().function('softmaxRows', [I, I, I, I, I], [], (f, ...args) => emitSoftmaxRows(f, args)),
    'softmax',
  );
}
