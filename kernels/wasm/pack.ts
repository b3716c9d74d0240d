// Packing for the wasm GEMM (gemm.ts): a k-block of an operand into panels of `width`
// vectors interleaved along k, so that the micro-kernel reads each panel front to back.
//
//   pack(dst, src, kc, n, sp, sj):  element (p, j) of the block lies at src + p·sp + j·sj bytes;
//   dst[(q·kc + p)·width + r] = element (p, q·width + r)    for p < kc, zero for columns past n
//
// op(B) goes in panels of 8 columns, op(A) in panels of 4 rows. How a whole panel is copied
// depends on which way the operand is contiguous:
//   sj = 4 (a panel row is contiguous: B, or Aᵀ)     v128 copies, width/4 per step of k
//   sp = 4 (each vector is contiguous along k: Bᵀ, or A)  4×4 blocks transposed in registers
//                                                         (two unpacks and two half-moves per pair)
//   otherwise, the last steps of k, and the last partial panel: one float at a time.
import { Type, type FunctionBuilder, type Local } from './builder.js';

/** Emit pack(dst, src, kc, n, sp, sj) for panels `width` wide (4 or 8). */
export function emitPack(f: FunctionBuilder, args: Local[], width: number): void {
  const [dst, src, kc, n, sp, sj] = args;
  const j0 = f.local(Type.i32),
    p = f.local(Type.i32),
    out = f.local(Type.i32),
    from = f.local(Type.i32),
    real = f.local(Type.i32);
  const ctx: PanelArgs = { dst: out, src: from, kc, sp, sj, p, width };
  f.localGet(dst).localSet(out);
  whileLess(f, j0, n, width, () => {
    // from ← src + j0·sj: the panel's first vector
    f.localGet(src).localGet(j0).localGet(sj).i32Mul().i32Add().localSet(from);
    f.i32Const(0).localSet(p);
    f.localGet(j0)
      .i32Const(width)
      .i32Add()
      .localGet(n)
      .i32GtS()
      .if(() => {
        // The last panel, partial: its real vectors, then zeros.
        f.localGet(n).localGet(j0).i32Sub().localSet(real);
        packScalar(f, ctx, real);
      });
    f.localGet(j0)
      .i32Const(width)
      .i32Add()
      .localGet(n)
      .i32LeS()
      .if(() => {
        f.localGet(sj)
          .i32Const(4)
          .i32Eq()
          .if(() => copyRows(f, ctx));
        f.localGet(sj)
          .i32Const(4)
          .i32Ne()
          .localGet(sp)
          .i32Const(4)
          .i32Eq()
          .i32And()
          .if(() => transposeBlocks(f, ctx));
        // Whatever steps of k are left, one float at a time.
        packScalar(f, ctx, null);
      });
    f.localGet(out)
      .localGet(kc)
      .i32Const(4 * width)
      .i32Mul()
      .i32Add()
      .localSet(out);
  });
}

interface PanelArgs {
  dst: Local;
  src: Local;
  kc: Local;
  sp: Local;
  sj: Local;
  /** The step of k the panel has been packed up to. */
  p: Local;
  width: number;
}

/** for (i = 0; i < end; i += step) body(), i a fresh zeroed counter. */
function whileLess(f: FunctionBuilder, i: Local, end: Local, step: number, body: () => void): void {
  f.i32Const(0).localSet(i);
  f.block(() =>
    f.loop(() => {
      f.localGet(i).localGet(end).i32GeS().brIf(1);
      body();
      f.localGet(i).i32Const(step).i32Add().localSet(i);
      f.br(0);
    }),
  );
}

/** A panel row is contiguous: each step of k copies `width` floats as v128s. */
function copyRows(f: FunctionBuilder, c: PanelArgs): void {
  const at = f.local(Type.i32),
    to = f.local(Type.i32);
  f.block(() =>
    f.loop(() => {
      f.localGet(c.p).localGet(c.kc).i32GeS().brIf(1);
      f.localGet(c.src).localGet(c.p).localGet(c.sp).i32Mul().i32Add().localSet(at);
      f.localGet(c.dst)
        .localGet(c.p)
        .i32Const(4 * c.width)
        .i32Mul()
        .i32Add()
        .localSet(to);
      for (let v = 0; v < c.width / 4; v++)
        f.localGet(to)
          .localGet(at)
          .v128Load(16 * v)
          .v128Store(16 * v);
      f.localGet(c.p).i32Const(1).i32Add().localSet(c.p);
      f.br(0);
    }),
  );
}

/**
 * Each vector is contiguous along k: four steps of k at a time, each group of four vectors
 * is loaded as four v128 (vector j, steps p … p+3) and transposed into four v128 (step p,
 * vectors j … j+3):  t0 = [x0₀ x1₀ x0₁ x1₁]  t1 = [x2₀ x3₀ x2₁ x3₁]  → [x0₀ x1₀ x2₀ x3₀], [x0₁ x1₁ x2₁ x3₁],
 * and the same with the high halves for steps p+2 and p+3.
 */
function transposeBlocks(f: FunctionBuilder, c: PanelArgs): void {
  const x = Array.from({ length: 4 }, () => f.local(Type.v128));
  const lo = [f.local(Type.v128), f.local(Type.v128)],
    hi = [f.local(Type.v128), f.local(Type.v128)];
  const at = f.local(Type.i32),
    to = f.local(Type.i32),
    last = f.local(Type.i32);
  f.localGet(c.kc).i32Const(-4).i32And().localSet(last);
  f.block(() =>
    f.loop(() => {
      f.localGet(c.p).localGet(last).i32GeS().brIf(1);
      f.localGet(c.dst)
        .localGet(c.p)
        .i32Const(4 * c.width)
        .i32Mul()
        .i32Add()
        .localSet(to);
      for (let g = 0; g < c.width / 4; g++) {
        // at ← src + p·4 + 4g·sj: vector 4g of the group, step p
        f.localGet(c.src)
          .localGet(c.p)
          .i32Const(4)
          .i32Mul()
          .i32Add()
          .localGet(c.sj)
          .i32Const(4 * g)
          .i32Mul()
          .i32Add()
          .localSet(at);
        x.forEach((v, r) => {
          f.localGet(at);
          if (r > 0) f.localGet(c.sj).i32Const(r).i32Mul().i32Add();
          f.v128Load().localSet(v);
        });
        f.localGet(x[0]).localGet(x[1]).f32x4Shuffle([0, 4, 1, 5]).localSet(lo[0]);
        f.localGet(x[2]).localGet(x[3]).f32x4Shuffle([0, 4, 1, 5]).localSet(lo[1]);
        f.localGet(x[0]).localGet(x[1]).f32x4Shuffle([2, 6, 3, 7]).localSet(hi[0]);
        f.localGet(x[2]).localGet(x[3]).f32x4Shuffle([2, 6, 3, 7]).localSet(hi[1]);
        const rows: [Local, [number, number, number, number]][] = [
          [lo[0], [0, 1, 4, 5]],
          [lo[0], [2, 3, 6, 7]],
          [hi[0], [0, 1, 4, 5]],
          [hi[0], [2, 3, 6, 7]],
        ];
        rows.forEach(([first, lanes], step) => {
          const second = first === lo[0] ? lo[1] : hi[1];
          f.localGet(to)
            .localGet(first)
            .localGet(second)
            .f32x4Shuffle(lanes)
            .v128Store(4 * c.width * step + 16 * g);
        });
      }
      f.localGet(c.p).i32Const(4).i32Add().localSet(c.p);
      f.br(0);
    }),
  );
}

/**
 * From step c.p to kc, one float at a time: `real` null packs all `width` vectors;
 * otherwise a local holding how many are real, and the rest of the panel gets zeros.
 */
function packScalar(f: FunctionBuilder, c: PanelArgs, real: Local | null): void {
  const r = f.local(Type.i32),
    to = f.local(Type.i32),
    value = f.local(Type.f32),
    count = f.local(Type.i32);
  if (real === null) f.i32Const(c.width).localSet(count);
  else f.localGet(real).localSet(count);
  f.block(() =>
    f.loop(() => {
      f.localGet(c.p).localGet(c.kc).i32GeS().brIf(1);
      f.localGet(c.dst)
        .localGet(c.p)
        .i32Const(4 * c.width)
        .i32Mul()
        .i32Add()
        .localSet(to);
      f.i32Const(0).localSet(r);
      f.block(() =>
        f.loop(() => {
          f.localGet(r).i32Const(c.width).i32GeS().brIf(1);
          f.f32Const(0).localSet(value);
          f.localGet(r)
            .localGet(count)
            .i32LtS()
            .if(() => {
              f.localGet(c.src)
                .localGet(c.p)
                .localGet(c.sp)
                .i32Mul()
                .i32Add()
                .localGet(r)
                .localGet(c.sj)
                .i32Mul()
                .i32Add()
                .f32Load()
                .localSet(value);
            });
          f.localGet(to).localGet(r).i32Const(4).i32Mul().i32Add().localGet(value).f32Store();
          f.localGet(r).i32Const(1).i32Add().localSet(r);
          f.br(0);
        }),
      );
      f.localGet(c.p).i32Const(1).i32Add().localSet(c.p);
      f.br(0);
    }),
  );
}
