// The fused GRU step in WebAssembly SIMD128, twin of ../js/gruStep.ts (its oracle, where the
// two published forms, the buffers and their shapes are set out). Per active row of a
// step, over its H units four lanes at a time (lanes.ts), in float32:
//
//   reset after    r = σ(x_r + h_r)   z = σ(x_z + h_z)   n = tanh(x_n + r ⊙ h_n)
//                  h = (1 − z) ⊙ n + z ⊙ h₋₁
//   its backward   ∂a_n = ∂h ⊙ (1 − z) ⊙ (1 − n²)   ∂a_z = ∂h ⊙ (h₋₁ − n) ⊙ z(1 − z)
//                  ∂a_r = ∂a_n ⊙ h_n ⊙ r(1 − r)     ∂h_n = ∂a_n ⊙ r   ∂h₋₁ (direct) = ∂h ⊙ z
//   reset before   the same in two phases around the product W_hn (r ⊙ h₋₁): gates and
//                  r ⊙ h₋₁ first, then n and h; backward in the reverse order
//   z writes       z's pre-activation negated on the way in, ∂a_z on the way out (z here
//                  is always the gate that keeps; see ../js/gruStep.ts)
//
// Each row's blocks (r, z, n of xp, hp, act, and of their gradients) are passed as byte
// addresses by the row loop in TypeScript, which handles rows past their length as the
// TypeScript kernels do.
import { splat, Type, type FunctionBuilder, type Local } from './builder.js';
import { WasmHeap } from './heap.js';
import { laneLoop, type LaneIO } from './lanes.js';
import { emitSigmoid, emitTanh, MathScratch } from './math.js';
import { copyBlock } from '../js/gather.js';
import type { GruBuffers, GruGradBuffers } from '../js/gruStep.js';
import type { IndexBuf } from '../js/types.js';

export interface GruRowKernels {
  afterForward(
    n: number,
    xr: number,
    xz: number,
    xn: number,
    hr: number,
    hz: number,
    hn: number,
    ar: number,
    az: number,
    an: number,
    hPrev: number,
    hNext: number,
  ): void;
  afterBackward(
    n: number,
    ar: number,
    az: number,
    an: number,
    hn: number,
    hPrev: number,
    dh: number,
    dxr: number,
    dxz: number,
    dxn: number,
    dhr: number,
    dhz: number,
    dhn: number,
    dhPrev: number,
  ): void;
  gatesForward(
    n: number,
    xr: number,
    xz: number,
    hr: number,
    hz: number,
    ar: number,
    az: number,
    hPrev: number,
    rh: number,
  ): void;
  outputForward(n: number, xn: number, hn: number, az: number, an: number, hPrev: number, hNext: number): void;
  outputBackward(n: number, az: number, an: number, dh: number, dxn: number, dhn: number, dhPrev: number): void;
  gatesBackward(
    n: number,
    ar: number,
    az: number,
    an: number,
    hPrev: number,
    dRh: number,
    dh: number,
    dxr: number,
    dxz: number,
    dhr: number,
    dhz: number,
    dhPrev: number,
  ): void;
}

/** A row kernel: `args` i32 addresses after n; `body` emits the lanes' arithmetic with named v128 locals to spare. */
function rowKernel(
  f: FunctionBuilder,
  args: Local[],
  body: (io: LaneIO, a: Local[], v: () => Local, m: MathScratch) => void,
): void {
  const [n, ...addresses] = args;
  const m = new MathScratch(f);
  const pool: Local[] = [];
  let next = 0;
  laneLoop(f, n, (io) => {
    next = 0;
    body(io, addresses, () => ((pool[next] ??= f.local(Type.v128)), pool[next++]), m);
  });
}

/** into ← load(x) + load(y). */
function sum(f: FunctionBuilder, io: LaneIO, x: Local, y: Local, into: Local): void {
  io.load(x);
  io.load(y);
  f.f32x4Add().localSet(into);
}

/** h ← (1 − z) ⊙ n + z ⊙ h₋₁, stored at hNext. */
function blend(f: FunctionBuilder, io: LaneIO, z: Local, n: Local, hPrev: Local, hNext: Local, t: Local): void {
  f.v128Const(splat(1)).localGet(z).f32x4Sub().localGet(n).f32x4Mul().localGet(z);
  io.load(hPrev);
  f.f32x4Mul().f32x4Add().localSet(t);
  io.store(hNext, t);
}

/** into ← x ⊙ y ⊙ (1 − y). */
function timesSigmoidSlope(f: FunctionBuilder, x: () => void, y: Local, into: Local): void {
  x();
  f.localGet(y).f32x4Mul().v128Const(splat(1)).localGet(y).f32x4Sub().f32x4Mul().localSet(into);
}

/** into ← −into where z writes (its pre-activation, or ∂a_z): the sign bit flipped. */
function signed(f: FunctionBuilder, zWrites: boolean, into: Local): void {
  if (zWrites) f.localGet(into).v128Const(splat(-0)).v128Xor().localSet(into);
}

/** Build the GRU row kernels (a module for each convention of z serves both forms). */
export function gruRowKernels(heap: WasmHeap, zWrites: boolean): GruRowKernels {
  const I = Type.i32;
  const module = WasmHeap.module()
    .function('afterForward', new Array(12).fill(I), [], (f, ...args) =>
      rowKernel(f, args, (io, [xr, xz, xn, hr, hz, hn, ar, az, an, hPrev, hNext], v, m) => {
        const [r, z, nv, t] = [v(), v(), v(), v()];
        sum(f, io, xr, hr, r);
        emitSigmoid(f, m, r, r);
        sum(f, io, xz, hz, z);
        signed(f, zWrites, z);
        emitSigmoid(f, m, z, z);
        io.load(xn);
        f.localGet(r);
        io.load(hn);
        f.f32x4Mul().f32x4Add().localSet(nv);
        emitTanh(f, m, nv, nv);
        io.store(ar, r);
        io.store(az, z);
        io.store(an, nv);
        blend(f, io, z, nv, hPrev, hNext, t);
      }),
    )
    .function('afterBackward', new Array(14).fill(I), [], (f, ...args) =>
      rowKernel(f, args, (io, [ar, az, an, hn, hPrev, dh, dxr, dxz, dxn, dhr, dhz, dhn, dhPrev], v) => {
        const [r, z, nv, d, daN, daZ, daR, t] = [v(), v(), v(), v(), v(), v(), v(), v()];
        io.load(ar);
        f.localSet(r);
        io.load(az);
        f.localSet(z);
        io.load(an);
        f.localSet(nv);
        io.load(dh);
        f.localSet(d);
        // ∂a_n = ∂h (1 − z)(1 − n²)
        f.localGet(d)
          .v128Const(splat(1))
          .localGet(z)
          .f32x4Sub()
          .f32x4Mul()
          .v128Const(splat(1))
          .localGet(nv)
          .localGet(nv)
          .f32x4Mul()
          .f32x4Sub()
          .f32x4Mul()
          .localSet(daN);
        // ∂a_z = ∂h (h₋₁ − n) z(1 − z)
        timesSigmoidSlope(
          f,
          () => {
            f.localGet(d);
            io.load(hPrev);
            f.localGet(nv).f32x4Sub().f32x4Mul();
          },
          z,
          daZ,
        );
        signed(f, zWrites, daZ);
        // ∂a_r = ∂a_n h_n r(1 − r)
        timesSigmoidSlope(
          f,
          () => {
            f.localGet(daN);
            io.load(hn);
            f.f32x4Mul();
          },
          r,
          daR,
        );
        io.store(dxr, daR);
        io.store(dxz, daZ);
        io.store(dxn, daN);
        io.store(dhr, daR);
        io.store(dhz, daZ);
        f.localGet(daN).localGet(r).f32x4Mul().localSet(t);
        io.store(dhn, t);
        f.localGet(d).localGet(z).f32x4Mul().localSet(t);
        io.store(dhPrev, t);
      }),
    )
    .function('gatesForward', new Array(9).fill(I), [], (f, ...args) =>
      rowKernel(f, args, (io, [xr, xz, hr, hz, ar, az, hPrev, rh], v, m) => {
        const [r, z, t] = [v(), v(), v()];
        sum(f, io, xr, hr, r);
        emitSigmoid(f, m, r, r);
        io.store(ar, r);
        sum(f, io, xz, hz, z);
        signed(f, zWrites, z);
        emitSigmoid(f, m, z, z);
        io.store(az, z);
        f.localGet(r);
        io.load(hPrev);
        f.f32x4Mul().localSet(t);
        io.store(rh, t);
      }),
    )
    .function('outputForward', new Array(7).fill(I), [], (f, ...args) =>
      rowKernel(f, args, (io, [xn, hn, az, an, hPrev, hNext], v, m) => {
        const [z, nv, t] = [v(), v(), v()];
        io.load(az);
        f.localSet(z);
        sum(f, io, xn, hn, nv);
        emitTanh(f, m, nv, nv);
        io.store(an, nv);
        blend(f, io, z, nv, hPrev, hNext, t);
      }),
    )
    .function('outputBackward', new Array(7).fill(I), [], (f, ...args) =>
      rowKernel(f, args, (io, [az, an, dh, dxn, dhn, dhPrev], v) => {
        const [z, nv, d, t] = [v(), v(), v(), v()];
        io.load(az);
        f.localSet(z);
        io.load(an);
        f.localSet(nv);
        io.load(dh);
        f.localSet(d);
        f.localGet(d)
          .v128Const(splat(1))
          .localGet(z)
          .f32x4Sub()
          .f32x4Mul()
          .v128Const(splat(1))
          .localGet(nv)
          .localGet(nv)
          .f32x4Mul()
          .f32x4Sub()
          .f32x4Mul()
          .localSet(t);
        io.store(dxn, t);
        io.store(dhn, t);
        f.localGet(d).localGet(z).f32x4Mul().localSet(t);
        io.store(dhPrev, t);
      }),
    )
    .function('gatesBackward', new Array(12).fill(I), [], (f, ...args) =>
      rowKernel(f, args, (io, [ar, az, an, hPrev, dRh, dh, dxr, dxz, dhr, dhz, dhPrev], v) => {
        const [r, z, h0, dr, daR, daZ, t] = [v(), v(), v(), v(), v(), v(), v()];
        io.load(ar);
        f.localSet(r);
        io.load(az);
        f.localSet(z);
        io.load(hPrev);
        f.localSet(h0);
        io.load(dRh);
        f.localSet(dr);
        timesSigmoidSlope(f, () => f.localGet(dr).localGet(h0).f32x4Mul(), r, daR);
        timesSigmoidSlope(
          f,
          () => {
            io.load(dh);
            f.localGet(h0);
            io.load(an);
            f.f32x4Sub().f32x4Mul();
          },
          z,
          daZ,
        );
        signed(f, zWrites, daZ);
        io.store(dxr, daR);
        io.store(dxz, daZ);
        io.store(dhr, daR);
        io.store(dhz, daZ);
        io.load(dhPrev);
        f.localGet(dr).localGet(r).f32x4Mul().f32x4Add().localSet(t);
        io.store(dhPrev, t);
      }),
    );
  return heap.instantiate<GruRowKernels>(module, 'gru step');
}

/** The GRU step kernels, with the TypeScript kernels' arguments. */
export class WasmGruStep {
  constructor(private readonly rows: GruRowKernels) {}

  forward(b: GruBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void {
    const { xp, hp, act, hs } = b;
    eachRow(
      s,
      rows,
      lengths,
      (r) => {
        const g = (s * rows + r) * 3 * H,
          hPrev = (s * rows + r) * H;
        const [x0, x1, x2] = blocks(xp, g, H),
          [h0, h1, h2] = blocks(hp, g, H),
          [a0, a1, a2] = blocks(act, g, H);
        this.rows.afterForward(H, x0, x1, x2, h0, h1, h2, a0, a1, a2, at(hs, hPrev), at(hs, hPrev + rows * H));
      },
      carry(hs, s, rows, H),
    );
  }

  backward(b: GruBuffers, d: GruGradBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void {
    const { hp, act, hs } = b;
    const { dXp, dHp, dh, dhPrev } = d;
    eachRow(
      s,
      rows,
      lengths,
      (r) => {
        const g = (s * rows + r) * 3 * H,
          q = r * H;
        const [a0, a1, a2] = blocks(act, g, H),
          [x0, x1, x2] = blocks(dXp, g, H),
          [h0, h1, h2] = blocks(dHp, g, H);
        this.rows.afterBackward(
          H,
          a0,
          a1,
          a2,
          at(hp, g + 2 * H),
          at(hs, (s * rows + r) * H),
          at(dh, q),
          x0,
          x1,
          x2,
          h0,
          h1,
          h2,
          at(dhPrev, q),
        );
      },
      passThrough(d, s, rows, H),
    );
  }

  beforeGatesForward(b: GruBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void {
    const { xp, hp, act, rh, hs } = b;
    eachRow(s, rows, lengths, (r) => {
      const g = (s * rows + r) * 3 * H,
        t = (s * rows + r) * H;
      this.rows.gatesForward(
        H,
        at(xp, g),
        at(xp, g + H),
        at(hp, g),
        at(hp, g + H),
        at(act, g),
        at(act, g + H),
        at(hs, t),
        at(rh, t),
      );
    });
  }

  beforeOutputForward(b: GruBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void {
    const { xp, hp, act, hs } = b;
    eachRow(
      s,
      rows,
      lengths,
      (r) => {
        const g = (s * rows + r) * 3 * H,
          hPrev = (s * rows + r) * H;
        this.rows.outputForward(
          H,
          at(xp, g + 2 * H),
          at(hp, g + 2 * H),
          at(act, g + H),
          at(act, g + 2 * H),
          at(hs, hPrev),
          at(hs, hPrev + rows * H),
        );
      },
      carry(hs, s, rows, H),
    );
  }

  beforeOutputBackward(b: GruBuffers, d: GruGradBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void {
    const { act } = b;
    const { dXp, dHp, dh, dhPrev } = d;
    eachRow(
      s,
      rows,
      lengths,
      (r) => {
        const g = (s * rows + r) * 3 * H,
          q = r * H;
        this.rows.outputBackward(
          H,
          at(act, g + H),
          at(act, g + 2 * H),
          at(dh, q),
          at(dXp, g + 2 * H),
          at(dHp, g + 2 * H),
          at(dhPrev, q),
        );
      },
      passThrough(d, s, rows, H),
    );
  }

  beforeGatesBackward(b: GruBuffers, d: GruGradBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void {
    const { act, hs } = b;
    const { dXp, dHp, dh, dhPrev, dRh } = d;
    eachRow(s, rows, lengths, (r) => {
      const g = (s * rows + r) * 3 * H,
        q = r * H,
        [a0, a1, a2] = blocks(act, g, H);
      this.rows.gatesBackward(
        H,
        a0,
        a1,
        a2,
        at(hs, (s * rows + r) * H),
        at(dRh, q),
        at(dh, q),
        at(dXp, g),
        at(dXp, g + H),
        at(dHp, g),
        at(dHp, g + H),
        at(dhPrev, q),
      );
    });
  }
}

/** `active` for each row still inside its sequence at step s, `inactive` (when given) for the others. */
function eachRow(
  s: number,
  rows: number,
  lengths: IndexBuf,
  active: (r: number) => void,
  inactive?: (r: number) => void,
): void {
  for (let r = 0; r < rows; r++) {
    if (s < lengths[r]) active(r);
    else inactive?.(r);
  }
}

/** A row past its length carries h unchanged to the next step. */
function carry(hs: GruBuffers['hs'], s: number, rows: number, H: number): (r: number) => void {
  return (r) => copyBlock(hs, ((s + 1) * rows + r) * H, hs, (s * rows + r) * H, H);
}

/** The byte address of element `index` of a heap buffer. */
function at(buf: { byteOffset: number }, index: number): number {
  return buf.byteOffset + 4 * index;
}

/** The addresses of the r, z, n blocks of a row starting at g. */
function blocks(buf: { byteOffset: number }, g: number, H: number): [number, number, number] {
  return [at(buf, g), at(buf, g + H), at(buf, g + 2 * H)];
}

/** A row past its length: no gradient to its gates, and ∂h passes straight to h₋₁. */
function passThrough(d: GruGradBuffers, s: number, rows: number, H: number): (r: number) => void {
  return (r) => {
    const g = (s * rows + r) * 3 * H,
      q = r * H;
    d.dXp.fill(0, g, g + 3 * H);
    d.dHp.fill(0, g, g + 3 * H);
    copyBlock(d.dhPrev, q, d.dh, q, H);
  };
}
