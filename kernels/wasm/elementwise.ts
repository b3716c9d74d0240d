// The element-wise kernels of the training path in WebAssembly SIMD128, twins of
// ../js/elementwise.ts, ../js/activations.ts and ../js/reduce.ts (the oracles, with the equations).
// Addresses are bytes; n, rows and cols count floats.
//
//   over n elements, four lanes at a time (lanes.ts):
//     add, sub, mul        out = a ∘ b                 affine   out = s·a + t
//     axpy                 y += s·x                    addConstant  y += s
//     mulBackward          da += dout ⊙ b              maximum  out = a ≥ b ? a : b (and its backward)
//     sigmoid, tanh, relu  y = f(x), and dx += dy ⊙ f′ from y
//   over rows × cols, a vector v [cols] broadcast to every row (rows ld floats apart):
//     addRow, subRow, mulRow, mulRowBackwardA (da += dout ⊙ v), addRowAt (buf += v in place)
//   over the rows of each column, summed in float64 lanes (f64x2) as the TypeScript kernels
//   sum in a double, in the same order, so the sums come out bit for bit the same:
//     rowSum           out[j] = α·Σ_r a[r,j] + β·out[j]
//     mulRowBackwardV  dv[j] += Σ_r dout[r,j]·a[r,j]
//
// Scalars (s, t, α, β) arrive as f32 (α, β as f64): a float32 buffer's s·x then rounds twice
// (the product, the sum) where the TypeScript kernel rounds once, a difference of an ulp.
import { splat, Type, type FunctionBuilder, type Local } from './builder.js';
import { WasmHeap } from './heap.js';
import { laneLoop, type LaneIO } from './lanes.js';
import { emitSigmoid, emitTanh, MathScratch } from './math.js';

export interface ElementwiseKernels {
  add(out: number, a: number, b: number, n: number): void;
  sub(out: number, a: number, b: number, n: number): void;
  mul(out: number, a: number, b: number, n: number): void;
  affine(out: number, a: number, s: number, t: number, n: number): void;
  axpy(y: number, s: number, x: number, n: number): void;
  addConstant(y: number, s: number, n: number): void;
  mulBackward(da: number, dout: number, b: number, n: number): void;
  maximum(out: number, a: number, b: number, n: number): void;
  maximumBackward(d: number, dout: number, a: number, b: number, n: number, forA: number): void;
  sigmoidForward(y: number, x: number, n: number): void;
  tanhForward(y: number, x: number, n: number): void;
  reluForward(y: number, x: number, n: number): void;
  sigmoidBackward(dx: number, y: number, dy: number, n: number): void;
  tanhBackward(dx: number, y: number, dy: number, n: number): void;
  reluBackward(dx: number, y: number, dy: number, n: number): void;
  addRow(out: number, a: number, v: number, rows: number, cols: number): void;
  subRow(out: number, a: number, v: number, rows: number, cols: number): void;
  mulRow(out: number, a: number, v: number, rows: number, cols: number): void;
  mulRowBackwardA(da: number, dout: number, v: number, rows: number, cols: number): void;
  addRowAt(buf: number, v: number, rows: number, cols: number, ld: number): void;
  rowSum(out: number, a: number, rows: number, cols: number, alpha: number, beta: number, lda: number): void;
  mulRowBackwardV(dv: number, dout: number, a: number, rows: number, cols: number): void;
}

const I = Type.i32,
  F = Type.f32,
  D = Type.f64;

/**
 * A kernel over n elements: the body writes one step's arithmetic with io, the function's
 * parameters, the math emitters' scratch m, and v, a v128 local of its own (m's are the
 * emitters' to clobber).
 */
type LaneBody = (f: FunctionBuilder, io: LaneIO, args: Local[], m: MathScratch, v: Local) => void;

/** Emit a kernel whose parameter at nAt is n, over its lanes. */
function overLanes(nAt: number, body: LaneBody): (f: FunctionBuilder, ...args: Local[]) => void {
  return (f, ...args) => {
    const m = new MathScratch(f),
      v = f.local(Type.v128);
    laneLoop(f, args[nAt], (io) => body(f, io, args, m, v));
  };
}

/** out ← a ∘ b for a binary f32x4 instruction. */
function binary(op: (f: FunctionBuilder) => void): LaneBody {
  return (f, io, [out, a, b], m) => {
    io.load(a);
    io.load(b);
    op(f);
    f.localSet(m.t[0]);
    io.store(out, m.t[0]);
  };
}

/** y ← y + value, value pushed by `push`. */
function accumulate(f: FunctionBuilder, io: LaneIO, y: Local, into: Local, push: () => void): void {
  io.load(y);
  push();
  f.f32x4Add().localSet(into);
  io.store(y, into);
}

/**
 * A kernel over rows × cols with a vector v [cols] for every row: `body` sees the row's
 * pointers (moved on by their strides each row) and v's, from the start for each row.
 */
function overRows(
  strides: (args: Local[]) => [Local, Local | number][],
  v: (args: Local[]) => Local,
  sizes: (args: Local[]) => [Local, Local],
  body: LaneBody,
) {
  return (f: FunctionBuilder, ...args: Local[]) => {
    const m = new MathScratch(f),
      spare = f.local(Type.v128),
      r = f.local(I);
    const [rows, cols] = sizes(args);
    const moving = strides(args);
    const vector = v(args),
      v0 = f.local(I);
    f.localGet(vector).localSet(v0);
    f.block(() =>
      f.loop(() => {
        f.localGet(r).localGet(rows).i32GeS().brIf(1);
        f.localGet(v0).localSet(vector);
        laneLoop(f, cols, (io) => body(f, io, args, m, spare));
        for (const [pointer, stride] of moving) {
          f.localGet(pointer);
          if (typeof stride === 'number') f.i32Const(stride).localGet(cols).i32Mul();
          else f.i32Const(4).localGet(stride).i32Mul();
          f.i32Add().localSet(pointer);
        }
        f.localGet(r).i32Const(1).i32Add().localSet(r);
        f.br(0);
      }),
    );
  };
}

/**
 * A column reduction: for each group of four columns (then each single column), sums over
 * the rows in f64x2 lanes, then `finish` stores them. Column j of row r at a + 4(r·lda + j).
 */
function emitColumnSums(
  f: FunctionBuilder,
  a: Local,
  rows: Local,
  cols: Local,
  lda: Local,
  b: Local | null,
  finish: (lo: Local, hi: Local, at: Local, single: boolean) => void,
): void {
  const j = f.local(I),
    r = f.local(I),
    p = f.local(I),
    q = f.local(I),
    lo = f.local(Type.v128),
    hi = f.local(Type.v128),
    x = f.local(Type.v128),
    y = f.local(Type.v128);
  const columns = (step: number, last: () => void, single: boolean) => {
    f.block(() =>
      f.loop(() => {
        last();
        f.v128Const([0, 0, 0, 0]).localTee(lo).localSet(hi);
        f.localGet(a).localGet(j).i32Const(4).i32Mul().i32Add().localSet(p);
        if (b !== null) f.localGet(b).localGet(j).i32Const(4).i32Mul().i32Add().localSet(q);
        f.i32Const(0).localSet(r);
        f.block(() =>
          f.loop(() => {
            f.localGet(r).localGet(rows).i32GeS().brIf(1);
            f.localGet(p);
            if (single) f.v128Load32Zero();
            else f.v128Load();
            f.localSet(x);
            if (b !== null) {
              f.localGet(q);
              if (single) f.v128Load32Zero();
              else f.v128Load();
              f.localSet(y);
            }
            // lo += the low two lanes, hi += the high two, each widened to f64 (times b's when there is b)
            const widen = (v: Local, high: boolean) => {
              f.localGet(v);
              if (high) f.localGet(v).f32x4Shuffle([2, 3, 2, 3]);
              f.f64x2PromoteLowF32x4();
            };
            for (const [acc, high] of [
              [lo, false],
              [hi, true],
            ] as const) {
              f.localGet(acc);
              widen(x, high);
              if (b !== null) {
                widen(y, high);
                f.f64x2Mul();
              }
              f.f64x2Add().localSet(acc);
            }
            f.localGet(p).i32Const(4).localGet(lda).i32Mul().i32Add().localSet(p);
            if (b !== null) f.localGet(q).i32Const(4).localGet(lda).i32Mul().i32Add().localSet(q);
            f.localGet(r).i32Const(1).i32Add().localSet(r);
            f.br(0);
          }),
        );
        finish(lo, hi, j, single);
        f.localGet(j).i32Const(step).i32Add().localSet(j);
        f.br(0);
      }),
    );
  };
  columns(4, () => f.localGet(j).i32Const(4).i32Add().localGet(cols).i32GtS().brIf(1), false);
  columns(1, () => f.localGet(j).localGet(cols).i32GeS().brIf(1), true);
}

/** Store f64 lane `lane` of acc (demoted) into out + 4·(j + lane), by `value(sum)` pushing the f64 to store. */
function storeLanes(
  f: FunctionBuilder,
  out: Local,
  acc: [Local, Local],
  j: Local,
  single: boolean,
  value: (sum: () => void, at: () => void) => void,
): void {
  const lanes = single ? 1 : 4;
  for (let lane = 0; lane < lanes; lane++) {
    const at = () => f.localGet(out).localGet(j).i32Const(lane).i32Add().i32Const(4).i32Mul().i32Add();
    at();
    value(() => f.localGet(acc[lane >> 1]).f64x2ExtractLane(lane & 1), at);
    f.f32DemoteF64().f32Store();
  }
}

/** Build the element-wise kernels over the heap's memory. */
export function elementwiseKernels(heap: WasmHeap): ElementwiseKernels {
  const one = () => splat(1);
  const module = WasmHeap.module()
    .function(
      'add',
      [I, I, I, I],
      [],
      overLanes(
        3,
        binary((f) => f.f32x4Add()),
      ),
    )
    .function(
      'sub',
      [I, I, I, I],
      [],
      overLanes(
        3,
        binary((f) => f.f32x4Sub()),
      ),
    )
    .function(
      'mul',
      [I, I, I, I],
      [],
      overLanes(
        3,
        binary((f) => f.f32x4Mul()),
      ),
    )
    .function(
      'affine',
      [I, I, F, F, I],
      [],
      overLanes(4, (f, io, [out, a, s, t], m) => {
        f.localGet(s).f32x4Splat();
        io.load(a);
        f.f32x4Mul().localGet(t).f32x4Splat().f32x4Add().localSet(m.t[0]);
        io.store(out, m.t[0]);
      }),
    )
    .function(
      'axpy',
      [I, F, I, I],
      [],
      overLanes(3, (f, io, [y, s, x], m) =>
        accumulate(f, io, y, m.t[0], () => {
          f.localGet(s).f32x4Splat();
          io.load(x);
          f.f32x4Mul();
        }),
      ),
    )
    .function(
      'addConstant',
      [I, F, I],
      [],
      overLanes(2, (f, io, [y, s], m) => accumulate(f, io, y, m.t[0], () => f.localGet(s).f32x4Splat())),
    )
    .function(
      'mulBackward',
      [I, I, I, I],
      [],
      overLanes(3, (f, io, [da, dout, b], m) =>
        accumulate(f, io, da, m.t[0], () => {
          io.load(dout);
          io.load(b);
          f.f32x4Mul();
        }),
      ),
    )
    .function(
      'maximum',
      [I, I, I, I],
      [],
      overLanes(3, (f, io, [out, a, b], m) => {
        io.load(a);
        f.localSet(m.t[0]);
        io.load(b);
        f.localSet(m.t[1]);
        f.localGet(m.t[0])
          .localGet(m.t[1])
          .localGet(m.t[0])
          .localGet(m.t[1])
          .f32x4Ge()
          .v128Bitselect()
          .localSet(m.t[2]);
        io.store(out, m.t[2]);
      }),
    )
    .function(
      'maximumBackward',
      [I, I, I, I, I, I],
      [],
      overLanes(4, (f, io, [d, dout, a, b, , forA], m) => {
        // mask: a ≥ b, flipped when the gradient is for b; d += dout where the mask is set
        io.load(a);
        io.load(b);
        f.f32x4Ge();
        f.i32Const(0).localGet(forA).i32Sub().i32x4Splat().v128Not().v128Xor().localSet(m.t[1]);
        io.load(d);
        f.localSet(m.t[0]);
        f.localGet(m.t[0]);
        io.load(dout);
        f.f32x4Add().localGet(m.t[0]).localGet(m.t[1]).v128Bitselect().localSet(m.t[2]);
        io.store(d, m.t[2]);
      }),
    )
    .function(
      'sigmoidForward',
      [I, I, I],
      [],
      overLanes(2, (f, io, [y, x], m, v) => {
        io.load(x);
        f.localSet(v);
        emitSigmoid(f, m, v, v);
        io.store(y, v);
      }),
    )
    .function(
      'tanhForward',
      [I, I, I],
      [],
      overLanes(2, (f, io, [y, x], m, v) => {
        io.load(x);
        f.localSet(v);
        emitTanh(f, m, v, v);
        io.store(y, v);
      }),
    )
    .function(
      'reluForward',
      [I, I, I],
      [],
      overLanes(2, (f, io, [y, x], m) => {
        io.load(x);
        f.localTee(m.t[0]).localGet(m.t[0]).v128Const(splat(0)).f32x4Gt().v128And().localSet(m.t[0]);
        io.store(y, m.t[0]);
      }),
    )
    .function(
      'sigmoidBackward',
      [I, I, I, I],
      [],
      overLanes(3, (f, io, [dx, y, dy], m) =>
        accumulate(f, io, dx, m.t[0], () => {
          io.load(y);
          f.localSet(m.t[1]);
          io.load(dy);
          f.localGet(m.t[1]).f32x4Mul().v128Const(one()).localGet(m.t[1]).f32x4Sub().f32x4Mul();
        }),
      ),
    )
    .function(
      'tanhBackward',
      [I, I, I, I],
      [],
      overLanes(3, (f, io, [dx, y, dy], m) =>
        accumulate(f, io, dx, m.t[0], () => {
          io.load(y);
          f.localSet(m.t[1]);
          io.load(dy);
          f.v128Const(one()).localGet(m.t[1]).localGet(m.t[1]).f32x4Mul().f32x4Sub().f32x4Mul();
        }),
      ),
    )
    .function(
      'reluBackward',
      [I, I, I, I],
      [],
      overLanes(3, (f, io, [dx, y, dy], m) => {
        // dx + dy where y > 0, dx itself elsewhere (so a −0 stays −0, as the TypeScript kernel leaves it)
        io.load(dx);
        f.localSet(m.t[0]);
        f.localGet(m.t[0]);
        io.load(dy);
        f.f32x4Add().localGet(m.t[0]);
        io.load(y);
        f.v128Const(splat(0)).f32x4Gt().v128Bitselect().localSet(m.t[1]);
        io.store(dx, m.t[1]);
      }),
    )
    .function(
      'addRow',
      [I, I, I, I, I],
      [],
      overRows(
        ([out, a]) => [
          [out, 4],
          [a, 4],
        ],
        ([, , v]) => v,
        ([, , , rows, cols]) => [rows, cols],
        binary((f) => f.f32x4Add()),
      ),
    )
    .function(
      'subRow',
      [I, I, I, I, I],
      [],
      overRows(
        ([out, a]) => [
          [out, 4],
          [a, 4],
        ],
        ([, , v]) => v,
        ([, , , rows, cols]) => [rows, cols],
        binary((f) => f.f32x4Sub()),
      ),
    )
    .function(
      'mulRow',
      [I, I, I, I, I],
      [],
      overRows(
        ([out, a]) => [
          [out, 4],
          [a, 4],
        ],
        ([, , v]) => v,
        ([, , , rows, cols]) => [rows, cols],
        binary((f) => f.f32x4Mul()),
      ),
    )
    .function(
      'mulRowBackwardA',
      [I, I, I, I, I],
      [],
      overRows(
        ([da, dout]) => [
          [da, 4],
          [dout, 4],
        ],
        ([, , v]) => v,
        ([, , , rows, cols]) => [rows, cols],
        (f, io, [da, dout, v], m) =>
          accumulate(f, io, da, m.t[0], () => {
            io.load(dout);
            io.load(v);
            f.f32x4Mul();
          }),
      ),
    )
    .function(
      'addRowAt',
      [I, I, I, I, I],
      [],
      overRows(
        ([buf, , , , ld]) => [[buf, ld]],
        ([, v]) => v,
        ([, , rows, cols]) => [rows, cols],
        (f, io, [buf, v], m) => accumulate(f, io, buf, m.t[0], () => io.load(v)),
      ),
    )
    .function('rowSum', [I, I, I, I, D, D, I], [], (f, out, a, rows, cols, alpha, beta, lda) => {
      const betaZero = f.local(I),
        scaled = f.local(D);
      f.localGet(beta).f64Const(0).f64Eq().localSet(betaZero);
      emitColumnSums(f, a, rows, cols, lda, null, (lo, hi, j, single) =>
        storeLanes(f, out, [lo, hi], j, single, (sum, at) => {
          // β = 0 ? α·sum : β·out + α·sum, in f64 as the TypeScript kernel has it (out unread when β = 0)
          f.localGet(alpha);
          sum();
          f.f64Mul().localTee(scaled);
          f.localGet(beta);
          at();
          f.f32Load().f64PromoteF32().f64Mul().localGet(scaled).f64Add();
          f.localGet(betaZero).select();
        }),
      );
    })
    .function('mulRowBackwardV', [I, I, I, I, I], [], (f, dv, dout, a, rows, cols) => {
      emitColumnSums(f, dout, rows, cols, cols, a, (lo, hi, j, single) =>
        storeLanes(f, dv, [lo, hi], j, single, (sum, at) => {
          at();
          f.f32Load().f64PromoteF32();
          sum();
          f.f64Add();
        }),
      );
    });
  return heap.instantiate<ElementwiseKernels>(module, 'elementwise');
}
