// exp, the logistic sigmoid and tanh on four float32 lanes, as emitters for the wasm kernels.
// Plain SIMD128 arithmetic only (no relaxed or fused instructions), so every machine gives
// the same bits. Against the exact functions rounded to float32, the worst error measured
// is 2 ulps for both, over every 61st bit pattern of the whole float32 range and every
// 3rd with 2⁻¹⁰ ≤ |x| < 32 (spec/wasmMath.spec.ts checks a sample of each, and the
// special values: NaN stays NaN, ±∞ give the limits, tanh keeps the sign of zero).
//
//   exp(x), x ≤ 0:  n = x·log₂e rounded to an integer, r = x − n·ln2 (ln2 split in two: n times
//                   the leading part is exact), eʳ = 1 + (r + r²·Q(r)) with Q the Taylor series'
//                   terms r² … r⁷ over r² (|r| ≤ ln2/2: the next term is about 5e-9, a tenth of a
//                   half-ulp), Q by Estrin's scheme; then scaled by 2ⁿ = 2^⌊n/2⌋·2^(n−⌊n/2⌋), each
//                   a float built from its exponent bits, so that subnormal results are right too
//   sigmoid(x) = 1 / (1 + e^−|x|) for x ≥ 0, e^−|x| / (1 + e^−|x|) below: one division, no
//                overflow anywhere
//   tanh(x) = sign(x)·(1 − e^−2|x|) / (1 + e^−2|x|) for |x| ≥ 0.35; below, its Taylor
//             series to x¹³ (where 1 − e^−2|x| would lose digits to cancellation)
//
// The polynomials use Estrin's scheme rather than Horner's rule: these kernels wait on
// latency, and Estrin's chains are shorter (the timings: docs/performance.md). The clamp is
// pmax and −|x| an or with the sign bit: one instruction each on x86, where max and abs take
// several.
import { splat, Type, type FunctionBuilder, type Local } from './builder.js';

const LOG2E = 1.4426950408889634;
const LN2_HI = 0.693145751953125;
const SHIFTER = 12582912;
const SHIFTER_BITS = 0x4b400000;
const LN2_LO = 1.4286067653302e-6;
const EXP_TAYLOR = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040];
const TANH_TAYLOR = [-1 / 3, 2 / 15, -17 / 315, 62 / 2835, -1382 / 155925, 21844 / 6081075];
const TANH_SERIES_BELOW = 0.35;

/** Temporary v128 locals for the emitters of one function, made once and shared. */
export class MathScratch {
  readonly t: Local[];
  constructor(f: FunctionBuilder) {
    this.t = Array.from({ length: 10 }, () => f.local(Type.v128));
  }
}

/**
 * Push Σ c_q·x^q by Estrin's scheme: pairs c_2q + c_2q+1·x, joined by x², then by x⁴, so the
 * chain of dependent operations is 3 multiply-adds deep instead of Horner's 7 (the kernels'
 * time goes to latency, not to arithmetic). powers = [x, x², x⁴], as far as needed.
 */
function estrin(
  f: FunctionBuilder,
  powers: readonly Local[],
  c: readonly number[],
  level = Math.ceil(Math.log2(c.length)) - 1,
): void {
  if (c.length === 1 || level < 0) {
    f.v128Const(splat(c[0]));
    return;
  }
  const half = 2 ** level;
  if (c.length <= half) {
    estrin(f, powers, c, level - 1);
    return;
  }
  estrin(f, powers, c.slice(0, half), level - 1);
  estrin(f, powers, c.slice(half), level - 1);
  f.localGet(powers[level]).f32x4Mul().f32x4Add();
}

/** Set x², x⁴ from x into the given locals, for estrin. */
function squares(f: FunctionBuilder, x: Local, x2: Local, x4: Local): Local[] {
  f.localGet(x).localGet(x).f32x4Mul().localTee(x2).localGet(x2).f32x4Mul().localSet(x4);
  return [x, x2, x4];
}

/** out ← e^x for lanes x ≤ 0 (NaN stays NaN). */
export function emitExpNeg(f: FunctionBuilder, s: MathScratch, x: Local, out: Local): void {
  const [n, r, p, s1, s2] = s.t;
  // x below −104 underflows to 0 whatever we do; clamping keeps n in range (pmax keeps a NaN x).
  f.localGet(x).v128Const(splat(-104)).f32x4Pmax().localSet(r);
  // n = x·log₂e rounded to an integer by adding 1.5·2²³: the sum's low mantissa bits are n,
  // so the sum's bits less the constant's are n as an int32 (s1), and the sum less the constant n as a float.
  f.localGet(r)
    .v128Const(splat(LOG2E))
    .f32x4Mul()
    .v128Const(splat(SHIFTER))
    .f32x4Add()
    .localTee(n)
    .i32x4Const(splat(SHIFTER_BITS))
    .i32x4Sub()
    .localSet(s1);
  f.localGet(n).v128Const(splat(SHIFTER)).f32x4Sub().localSet(n);
  f.localGet(r)
    .localGet(n)
    .v128Const(splat(LN2_HI))
    .f32x4Mul()
    .f32x4Sub()
    .localGet(n)
    .v128Const(splat(LN2_LO))
    .f32x4Mul()
    .f32x4Sub()
    .localSet(r);
  // eʳ = 1 + (r + r²·Q(r)), Q by Estrin's scheme, so that the last two additions round once each.
  const powers = squares(f, r, s.t[8], s.t[9]);
  estrin(f, powers, EXP_TAYLOR.slice(2));
  f.localGet(powers[1]).f32x4Mul().localGet(r).f32x4Add().v128Const(splat(1)).f32x4Add().localSet(p);
  // 2^n1 and 2^n2 with n1 = ⌊n/2⌋ (an arithmetic shift), n2 = n − n1: (e + 127) << 23 is 2^e.
  f.localGet(s1).localTee(n).i32Const(1).i32x4ShrS().localSet(s1);
  f.localGet(n).localGet(s1).i32x4Sub().localSet(s2);
  for (const e of [s1, s2])
    f.localGet(e).i32x4Const([127, 127, 127, 127]).i32x4Add().i32Const(23).i32x4Shl().localSet(e);
  f.localGet(p).localGet(s1).f32x4Mul().localGet(s2).f32x4Mul().localSet(out);
}

/** out ← sigmoid(x); out may be x. */
export function emitSigmoid(f: FunctionBuilder, s: MathScratch, x: Local, out: Local): void {
  const z = s.t[5];
  f.localGet(x).v128Const(splat(-0)).v128Or().localSet(z); // −|x|
  emitExpNeg(f, s, z, z);
  // (x ≥ 0 ? 1 : z) / (1 + z): one division, either way
  f.v128Const(splat(1))
    .localGet(z)
    .localGet(x)
    .v128Const(splat(0))
    .f32x4Ge()
    .v128Bitselect()
    .v128Const(splat(1))
    .localGet(z)
    .f32x4Add()
    .f32x4Div()
    .localSet(out);
}

/** out ← tanh(x); out may be x. */
export function emitTanh(f: FunctionBuilder, s: MathScratch, x: Local, out: Local): void {
  const [a2, a4, a, series, z] = [s.t[0], s.t[1], s.t[5], s.t[6], s.t[7]];
  f.localGet(x).i32x4Const(splat(0x7fffffff)).v128And().localSet(a); // |x|, the sign bit cleared
  // The series below 0.35: a + a³·P(a²) (s.t[0] … s.t[2] are free until the exponential).
  f.localGet(a).localGet(a).f32x4Mul().localSet(a2);
  estrin(f, squares(f, a2, a4, s.t[2]), TANH_TAYLOR);
  f.localGet(a2).f32x4Mul().localGet(a).f32x4Mul().localGet(a).f32x4Add().localSet(series);
  // The exponential form above: (1 − z)/(1 + z), z = e^−2a.
  f.localGet(a).v128Const(splat(-2)).f32x4Mul().localSet(z);
  emitExpNeg(f, s, z, z);
  f.v128Const(splat(1)).localGet(z).f32x4Sub().v128Const(splat(1)).localGet(z).f32x4Add().f32x4Div().localSet(z);
  f.localGet(z)
    .localGet(series)
    .localGet(a)
    .v128Const(splat(TANH_SERIES_BELOW))
    .f32x4Ge()
    .v128Bitselect()
    // x's sign bit back on
    .localGet(x)
    .v128Const(splat(-0))
    .v128And()
    .v128Or()
    .localSet(out);
}
