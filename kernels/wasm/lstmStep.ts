// The fused LSTM step in WebAssembly SIMD128, twin of ../js/lstmStep.ts (its oracle, where the
// equations, forward beside backward, and the buffers' shapes are set out). Per active row
// of a step, over its H units four lanes at a time (lanes.ts), in float32:
//
//   forward   f = σ(a_f + b_f [+ p_f⊙c₋₁])   i = σ(a_i + b_i [+ p_i⊙c₋₁])  (or 1 − f, or 1)
//             g = tanh(a_g + b_g)           c = f⊙c₋₁ + i⊙g
//             o = σ(a_o + b_o [+ p_o⊙c])    h = o⊙tanh(c)
//   backward  ∂a_f, ∂a_i, ∂a_g, ∂a_o and ∂c₋₁ = ∂c⊙f (+ the peephole terms) from ∂h, ∂c
//
// One module per layout (which gates are present, coupling, peepholes, bias, activations,
// gate recurrence), so that the kernel has no branches inside its loop; the loop over rows
// stays in TypeScript, which skips (or carries) the rows past their sequence's length
// exactly as the TypeScript kernel does and passes each active row's byte addresses.
import { splat, Type, type FunctionBuilder, type Local } from './builder.js';
import { WasmHeap } from './heap.js';
import { laneLoop } from './lanes.js';
import { emitSigmoid, emitTanh, MathScratch } from './math.js';
import type { LstmBuffers, LstmGradBuffers, LstmLayout } from '../js/lstmStep.js';
import { carriedPastEnd, zeroedPastEnd } from '../js/sequence.js';
import type { IndexBuf } from '../js/types.js';

/** What a module is specialised for. */
export interface LstmSwitches {
  f: boolean;
  i: boolean;
  o: boolean;
  coupled: boolean;
  pI: boolean;
  pF: boolean;
  pO: boolean;
  bias: boolean;
  inputActivation: boolean;
  outputActivation: boolean;
  gateRecurrence: boolean;
}

export interface LstmRowKernels {
  forward(
    n: number,
    aF: number,
    aI: number,
    aG: number,
    aO: number,
    bF: number,
    bI: number,
    bG: number,
    bO: number,
    pI: number,
    pF: number,
    pO: number,
    cPrev: number,
    cNext: number,
    actF: number,
    actI: number,
    actG: number,
    actO: number,
    tcs: number,
    hNext: number,
  ): void;
  backward(
    n: number,
    actF: number,
    actI: number,
    actG: number,
    actO: number,
    cPrev: number,
    cNow: number,
    tcs: number,
    dh: number,
    dc: number,
    rF: number,
    rI: number,
    rO: number,
    pI: number,
    pF: number,
    pO: number,
    dpI: number,
    dpF: number,
    dpO: number,
    dF: number,
    dI: number,
    dG: number,
    dO: number,
  ): void;
}

function emitForward(f: FunctionBuilder, sw: LstmSwitches, args: Local[]): void {
  const [n, aF, aI, aG, aO, bF, bI, bG, bO, pI, pF, pO, cPrev, cNext, actF, actI, actG, actO, tcs, hNext] = args;
  const m = new MathScratch(f);
  const [cp, fv, iv, gv, c, ov, tc] = Array.from({ length: 7 }, () => f.local(Type.v128));
  laneLoop(f, n, (io) => {
    /** v ← σ(a + b [+ p ⊙ cell]), the present terms only. */
    const gate = (a: Local, b: Local, p: Local | null, cell: Local, v: Local) => {
      io.load(a);
      if (sw.bias) {
        io.load(b);
        f.f32x4Add();
      }
      if (p !== null) {
        io.load(p);
        f.localGet(cell).f32x4Mul().f32x4Add();
      }
      f.localSet(v);
      emitSigmoid(f, m, v, v);
    };
    io.load(cPrev);
    f.localSet(cp);
    if (sw.f) gate(aF, bF, sw.pF ? pF : null, cp, fv);
    else f.v128Const(splat(1)).localSet(fv);
    if (sw.coupled) f.v128Const(splat(1)).localGet(fv).f32x4Sub().localSet(iv);
    else if (sw.i) gate(aI, bI, sw.pI ? pI : null, cp, iv);
    else f.v128Const(splat(1)).localSet(iv);
    io.load(aG);
    if (sw.bias) {
      io.load(bG);
      f.f32x4Add();
    }
    f.localSet(gv);
    if (sw.inputActivation) emitTanh(f, m, gv, gv);
    f.localGet(fv).localGet(cp).f32x4Mul().localGet(iv).localGet(gv).f32x4Mul().f32x4Add().localSet(c);
    if (sw.o) gate(aO, bO, sw.pO ? pO : null, c, ov);
    else f.v128Const(splat(1)).localSet(ov);
    if (sw.outputActivation) emitTanh(f, m, c, tc);
    else f.localGet(c).localSet(tc);
    io.store(actF, fv);
    io.store(actI, iv);
    io.store(actG, gv);
    io.store(actO, ov);
    io.store(cNext, c);
    io.store(tcs, tc);
    f.localGet(ov).localGet(tc).f32x4Mul().localSet(ov);
    io.store(hNext, ov);
  });
}

function emitBackward(f: FunctionBuilder, sw: LstmSwitches, args: Local[]): void {
  const [n, actF, actI, actG, actO, cPrev, cNow, tcs, dh, dc, rF, rI, rO, pI, pF, pO, dpI, dpF, dpO, dF, dI, dG, dO] =
    args;
  const v = () => f.local(Type.v128);
  const [fv, iv, gv, ov, cp, c, tc, dhv, dOv, dCv, dFv, dIv, daO, daF, daI, dCp, t] = Array.from({ length: 17 }, v);
  const one = () => f.v128Const(splat(1));
  /** dst ← x ⊙ y ⊙ (1 − y): a sigmoid's backward. */
  const sigmoidBack = (x: Local, y: Local, dst: Local) => {
    f.localGet(x).localGet(y).f32x4Mul();
    one().localGet(y).f32x4Sub().f32x4Mul().localSet(dst);
  };
  laneLoop(f, n, (io) => {
    const load = (base: Local, into: Local) => {
      io.load(base);
      f.localSet(into);
    };
    /** acc[j] += x ⊙ y, stored back. */
    const accumulate = (acc: Local, x: Local, y: Local) => {
      io.load(acc);
      f.localGet(x).localGet(y).f32x4Mul().f32x4Add().localSet(t);
      io.store(acc, t);
    };
    load(actF, fv);
    load(actI, iv);
    load(actG, gv);
    load(actO, ov);
    load(cPrev, cp);
    load(cNow, c);
    load(tcs, tc);
    load(dh, dhv);
    f.localGet(dhv).localGet(tc).f32x4Mul().localSet(dOv);
    // ∂c = dc + ∂h ⊙ o [⊙ (1 − tanh²c)]
    io.load(dc);
    f.localGet(dhv).localGet(ov).f32x4Mul();
    if (sw.outputActivation) one().localGet(tc).localGet(tc).f32x4Mul().f32x4Sub().f32x4Mul();
    f.f32x4Add().localSet(dCv);
    if (sw.gateRecurrence) {
      load(rF, dFv);
      load(rI, dIv);
      f.localGet(dOv);
      io.load(rO);
      f.f32x4Add().localSet(dOv);
    } else {
      f.v128Const(splat(0)).localTee(dFv).localSet(dIv);
    }
    if (sw.o) sigmoidBack(dOv, ov, daO);
    else f.v128Const(splat(0)).localSet(daO);
    if (sw.pO) {
      io.load(pO);
      f.localGet(daO).f32x4Mul().localGet(dCv).f32x4Add().localSet(dCv);
      accumulate(dpO, daO, c);
    }
    f.localGet(dFv).localGet(dCv).localGet(cp).f32x4Mul().f32x4Add().localSet(dFv);
    f.localGet(dIv).localGet(dCv).localGet(gv).f32x4Mul().f32x4Add().localSet(dIv);
    f.localGet(dCv).localGet(fv).f32x4Mul().localSet(dCp);
    if (sw.coupled) f.localGet(dFv).localGet(dIv).f32x4Sub().localSet(dFv);
    if (sw.coupled || !sw.i) f.v128Const(splat(0)).localSet(daI);
    else sigmoidBack(dIv, iv, daI);
    if (sw.f) sigmoidBack(dFv, fv, daF);
    else f.v128Const(splat(0)).localSet(daF);
    if (sw.pF) {
      f.localGet(dCp).localGet(daF);
      io.load(pF);
      f.f32x4Mul().f32x4Add().localSet(dCp);
      accumulate(dpF, daF, cp);
    }
    if (sw.pI) {
      f.localGet(dCp).localGet(daI);
      io.load(pI);
      f.f32x4Mul().f32x4Add().localSet(dCp);
      accumulate(dpI, daI, cp);
    }
    if (sw.f) io.store(dF, daF);
    if (sw.i) io.store(dI, daI);
    // ∂a_g = ∂c ⊙ i [⊙ (1 − g²)]
    f.localGet(dCv).localGet(iv).f32x4Mul();
    if (sw.inputActivation) one().localGet(gv).localGet(gv).f32x4Mul().f32x4Sub().f32x4Mul();
    f.localSet(t);
    io.store(dG, t);
    if (sw.o) io.store(dO, daO);
    io.store(dc, dCp);
  });
}

/** Build the row kernels for one set of switches. */
export function lstmRowKernels(heap: WasmHeap, sw: LstmSwitches): LstmRowKernels {
  const I = Type.i32;
  const module = WasmHeap.module()
    .function('forward', new Array(20).fill(I), [], (f, ...args) => emitForward(f, sw, args))
    .function('backward', new Array(23).fill(I), [], (f, ...args) => emitBackward(f, sw, args));
  return heap.instantiate<LstmRowKernels>(module, 'lstm step');
}

/** The switches a layer's step needs (peepholes and bias as its buffers have them). */
export function lstmSwitches(L: LstmLayout, b: LstmBuffers, gateRecurrence: boolean): LstmSwitches {
  return {
    f: L.f >= 0,
    i: L.i >= 0,
    o: L.o >= 0,
    coupled: L.coupled,
    pI: b.pI !== null,
    pF: b.pF !== null,
    pO: b.pO !== null,
    bias: b.bias !== null,
    inputActivation: L.inputActivation,
    outputActivation: L.outputActivation,
    gateRecurrence,
  };
}

/** The LSTM step for one layer's layout, with the TypeScript kernel's arguments, over row kernels built for its switches. */
export class WasmLstmStep {
  constructor(
    readonly layout: LstmLayout,
    private readonly rows: LstmRowKernels,
  ) {}

  forward(b: LstmBuffers, s: number, rows: number, lengths: IndexBuf): void {
    const L = this.layout,
      H = L.hiddenSize,
      W = L.width;
    const { pre, act, cs, tcs, hs } = b;
    const at = (buf: { byteOffset: number } | null, index: number) => (buf === null ? 0 : buf.byteOffset + 4 * index);
    const gate = (offset: number) => Math.max(offset, 0);
    for (let r = 0; r < rows; r++) {
      const cPrev = (s * rows + r) * H,
        cNext = cPrev + rows * H;
      if (carriedPastEnd(s, lengths[r], H, cNext, cPrev, hs, cs)) continue;
      const p = (s * rows + r) * W,
        a = (s * rows + r) * 4 * H;
      this.rows.forward(
        H,
        at(pre, p + gate(L.f)),
        at(pre, p + gate(L.i)),
        at(pre, p + L.g),
        at(pre, p + gate(L.o)),
        at(b.bias, gate(L.f)),
        at(b.bias, gate(L.i)),
        at(b.bias, L.g),
        at(b.bias, gate(L.o)),
        at(b.pI, 0),
        at(b.pF, 0),
        at(b.pO, 0),
        at(cs, cPrev),
        at(cs, cNext),
        at(act, a),
        at(act, a + H),
        at(act, a + 2 * H),
        at(act, a + 3 * H),
        at(tcs, cPrev),
        at(hs, cNext),
      );
    }
  }

  backward(b: LstmBuffers, d: LstmGradBuffers, s: number, rows: number, lengths: IndexBuf): void {
    const L = this.layout,
      H = L.hiddenSize,
      W = L.width;
    const { act, cs, tcs } = b;
    const { dPre, dh, dc, dGateRecurrent: rec } = d;
    const at = (buf: { byteOffset: number } | null, index: number) => (buf === null ? 0 : buf.byteOffset + 4 * index);
    const gate = (offset: number) => Math.max(offset, 0);
    for (let r = 0; r < rows; r++) {
      const p = (s * rows + r) * W;
      if (zeroedPastEnd(s, lengths[r], p, W, dPre)) continue;
      const a = (s * rows + r) * 4 * H,
        t = (s * rows + r) * H,
        q = r * H,
        x = r * 4 * H;
      this.rows.backward(
        H,
        at(act, a),
        at(act, a + H),
        at(act, a + 2 * H),
        at(act, a + 3 * H),
        at(cs, t),
        at(cs, t + rows * H),
        at(tcs, t),
        at(dh, q),
        at(dc, q),
        at(rec, x),
        at(rec, x + H),
        at(rec, x + 3 * H),
        at(b.pI, 0),
        at(b.pF, 0),
        at(b.pO, 0),
        at(d.dpI, 0),
        at(d.dpF, 0),
        at(d.dpO, 0),
        at(dPre, p + gate(L.f)),
        at(dPre, p + gate(L.i)),
        at(dPre, p + L.g),
        at(dPre, p + gate(L.o)),
      );
    }
  }
}
