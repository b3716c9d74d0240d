// The float32 GEMM in WebAssembly SIMD128, twin of ../js/gemm.ts (its oracle):
//
//   C = op(A) · op(B) + beta · C,   op(A) [m,k], op(B) [k,n], C [m,n], all float32 in the heap
//
// op(B) is packed, a k-block of SIMD_KC rows at a time, into panels of 8 columns:
//   panel q:  pb[(q·kc + p)·8 + j] = op(B)[p0 + p, 8q + j]   (zero past n)
// and each panel is multiplied by all of op(A)'s rows, read where they lie (element (i, p)
// at a + i·aRow + p·aCol bytes: aRow = 4·lda, aCol = 4 for A, the other way round for Aᵀ,
// so no transpose needs a copy of A). The register tile is 4 rows × 8 columns: eight v128
// accumulators, two v128 loads of the panel and four splats of A per step of k, mul then add:
//
//   for p < kc:  b0 = pb[p·8 ..+4], b1 = pb[p·8+4 ..+8]
//                for r < 4:  a = splat(A[i+r, p]);  acc[r][0] += a·b0;  acc[r][1] += a·b1
//
// (4×8 is the tile of XNNPACK's x86 wasm kernel: 8 + 2 + 1 of the 16 vector registers; its
// measured speed is in docs/performance.md.) Rows past the last whole tile take 3-, 2- and
// 1-row tiles; a last panel of fewer than 8 columns stores only its columns. The first
// k-block writes C (or adds to it when beta is 1), the others add.
import { Type, type FunctionBuilder, type Local } from './builder.js';
import { Room, WasmHeap } from './heap.js';
import { emitPack } from './pack.js';

/** The k-block: a panel of 8 × SIMD_KC floats (8 KB) stays in the L1 cache. */
const SIMD_KC = 256;
/** The m-block: MC rows of packed A (MC·SIMD_KC floats, 128 KB) stay in the 512 KB L2 cache. */
const MC = 128;
const MR = 4;
const NR = 8;

/**
 * One column panel of B against every row panel of A:
 * panel(rowPanels, kc, pa, pb, c, ldc, add, cols, lastRows). Byte addresses; `add` 1 adds
 * into C, 0 writes it; `cols` ≤ 8 columns are stored, and `lastRows` ≤ 4 rows of the last
 * row panel (the packed panels are zero beyond m and n).
 */
function emitPanel(f: FunctionBuilder, args: Local[]): void {
  const [rowPanels, kc, pa, pb, c, ldc, add, cols, lastRows] = args;
  const t = f.local(Type.i32),
    rows = f.local(Type.i32);
  f.block(() =>
    f.loop(() => {
      f.localGet(t).localGet(rowPanels).i32GeS().brIf(1);
      // rows ← t = rowPanels − 1 ? lastRows : 4
      f.i32Const(MR).localSet(rows);
      f.localGet(t)
        .i32Const(1)
        .i32Add()
        .localGet(rowPanels)
        .i32Eq()
        .if(() => f.localGet(lastRows).localSet(rows));
      emitTile(f, { kc, pa, pb, c, ldc, add, cols, rows });
      f.localGet(pa)
        .localGet(kc)
        .i32Const(MR * 4)
        .i32Mul()
        .i32Add()
        .localSet(pa);
      f.localGet(c).localGet(ldc).i32Const(MR).i32Mul().i32Add().localSet(c);
      f.localGet(t).i32Const(1).i32Add().localSet(t);
      f.br(0);
    }),
  );
}

interface TileArgs {
  kc: Local;
  pa: Local;
  pb: Local;
  c: Local;
  ldc: Local;
  add: Local;
  cols: Local;
  rows: Local;
}

/**
 * A 4 × 8 tile: the sums over k in eight v128 accumulators (one step of k a turn, the loop
 * tested at its end; unrolled, it ran slower: docs/performance.md), then stored into C.
 */
function emitTile(f: FunctionBuilder, t: TileArgs): void {
  const acc = Array.from({ length: MR }, () => [f.local(Type.v128), f.local(Type.v128)]);
  const b0 = f.local(Type.v128),
    b1 = f.local(Type.v128),
    av = f.local(Type.v128);
  const ap = f.local(Type.i32),
    bp = f.local(Type.i32),
    end = f.local(Type.i32);
  for (const [x, y] of acc) {
    f.v128Const([0, 0, 0, 0]).localSet(x);
    f.v128Const([0, 0, 0, 0]).localSet(y);
  }
  f.localGet(t.pa).localSet(ap);
  f.localGet(t.pb).localSet(bp);
  f.localGet(t.pb)
    .localGet(t.kc)
    .i32Const(NR * 4)
    .i32Mul()
    .i32Add()
    .localSet(end);
  f.loop(() => {
    // B's two vectors at this step of k, then each row's value of A splat and multiplied in.
    f.localGet(bp).v128Load(0).localSet(b0);
    f.localGet(bp).v128Load(16).localSet(b1);
    acc.forEach(([x, y], r) => {
      f.localGet(ap)
        .v128Load32Splat(r * 4)
        .localSet(av);
      f.localGet(x).localGet(av).localGet(b0).f32x4Mul().f32x4Add().localSet(x);
      f.localGet(y).localGet(av).localGet(b1).f32x4Mul().f32x4Add().localSet(y);
    });
    f.localGet(ap)
      .i32Const(MR * 4)
      .i32Add()
      .localSet(ap);
    f.localGet(bp)
      .i32Const(NR * 4)
      .i32Add()
      .localTee(bp)
      .localGet(end)
      .i32LtU()
      .brIf(0);
  });
  acc.forEach(([x, y], r) => storeRow(f, t, r, x, y));
}

/** Row q of the tile into C, if it is one of C's rows: both vectors when all 8 columns are C's, else lane by lane up to cols. */
function storeRow(f: FunctionBuilder, t: TileArgs, q: number, x: Local, y: Local): void {
  const at = f.local(Type.i32),
    value = f.local(Type.f32);
  f.localGet(t.rows)
    .i32Const(q)
    .i32GtS()
    .if(() => {
      f.localGet(t.c).localGet(t.ldc).i32Const(q).i32Mul().i32Add().localSet(at);
      f.localGet(t.cols)
        .i32Const(NR)
        .i32Eq()
        .if(() => {
          f.localGet(t.add).if(() => {
            f.localGet(x).localGet(at).v128Load(0).f32x4Add().localSet(x);
            f.localGet(y).localGet(at).v128Load(16).f32x4Add().localSet(y);
          });
          f.localGet(at).localGet(x).v128Store(0);
          f.localGet(at).localGet(y).v128Store(16);
        });
      for (let j = 0; j < NR; j++) {
        f.localGet(t.cols)
          .i32Const(NR)
          .i32Ne()
          .localGet(t.cols)
          .i32Const(j)
          .i32GtS()
          .i32And()
          .if(() => {
            f.localGet(j < 4 ? x : y)
              .f32x4ExtractLane(j % 4)
              .localSet(value);
            f.localGet(t.add).if(() =>
              f
                .localGet(value)
                .localGet(at)
                .f32Load(4 * j)
                .f32Add()
                .localSet(value),
            );
            f.localGet(at)
              .localGet(value)
              .f32Store(4 * j);
          });
      }
    });
}

/**
 * Every column panel: panels(rowPanels, colPanels, kc, pa, pb, c, ldc, add, lastCols, lastRows)
 * calls panel for q < colPanels, with pb and c moved to panel q and `lastCols` columns in the last.
 */
function emitPanels(f: FunctionBuilder, args: Local[], panelIndex: number): void {
  const [rowPanels, colPanels, kc, pa, pb, c, ldc, add, lastCols, lastRows] = args;
  const q = f.local(Type.i32),
    cols = f.local(Type.i32);
  f.block(() =>
    f.loop(() => {
      f.localGet(q).localGet(colPanels).i32GeS().brIf(1);
      f.i32Const(NR).localSet(cols);
      f.localGet(q)
        .i32Const(1)
        .i32Add()
        .localGet(colPanels)
        .i32Eq()
        .if(() => f.localGet(lastCols).localSet(cols));
      f.localGet(rowPanels)
        .localGet(kc)
        .localGet(pa)
        .localGet(pb)
        .localGet(c)
        .localGet(ldc)
        .localGet(add)
        .localGet(cols)
        .localGet(lastRows)
        .call(panelIndex);
      f.localGet(pb)
        .localGet(kc)
        .i32Const(NR * 4)
        .i32Mul()
        .i32Add()
        .localSet(pb);
      f.localGet(c)
        .i32Const(NR * 4)
        .i32Add()
        .localSet(c);
      f.localGet(q).i32Const(1).i32Add().localSet(q);
      f.br(0);
    }),
  );
}

export interface GemmKernels {
  panel(
    rowPanels: number,
    kc: number,
    pa: number,
    pb: number,
    c: number,
    ldc: number,
    add: number,
    cols: number,
    lastRows: number,
  ): void;
  panels(
    rowPanels: number,
    colPanels: number,
    kc: number,
    pa: number,
    pb: number,
    c: number,
    ldc: number,
    add: number,
    lastCols: number,
    lastRows: number,
  ): void;
  packB(dst: number, src: number, kc: number, n: number, sp: number, sj: number): void;
  packA(dst: number, src: number, kc: number, m: number, sp: number, si: number): void;
}

/** Build, validate and instantiate the GEMM kernels over the heap's memory. */
export function gemmKernels(heap: WasmHeap): GemmKernels {
  const I = Type.i32;
  const module = WasmHeap.module()
    .function('panel', [I, I, I, I, I, I, I, I, I], [], (f, ...args) => emitPanel(f, args))
    .function('panels', [I, I, I, I, I, I, I, I, I, I], [], (f, ...args) => emitPanels(f, args, 0))
    .function('packB', [I, I, I, I, I, I], [], (f, ...args) => emitPack(f, args, NR))
    .function('packA', [I, I, I, I, I, I], [], (f, ...args) => emitPack(f, args, MR));
  return heap.instantiate<GemmKernels>(module, 'gemm');
}

/**
 * C = op(A)·op(B) + beta·C over float32 buffers that live in the heap (the same contract as
 * gemm.ts's gemm: offsets and leading dimensions in elements). For each k-block, op(A) is
 * packed in panels of 4 rows and op(B) in panels of 8 columns, then every column panel
 * runs down all the row panels. gemm and gemmPrepacked return false, having done nothing,
 * when the heap has no room left for the packed panels (the caller then runs the TypeScript kernel).
 */
export class WasmGemm {
  private readonly kernels: GemmKernels;
  /** Room for the packed panels, grown when a larger product comes. */
  private readonly room: Room;

  constructor(heap: WasmHeap) {
    this.kernels = gemmKernels(heap);
    this.room = new Room(heap);
  }

  gemm(
    c: Float32Array,
    a: Float32Array,
    b: Float32Array,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    beta: number,
    offC: number,
    offA: number,
    offB: number,
    ldc: number,
    lda: number,
    ldb: number,
  ): boolean {
    const rowPanels = Math.ceil(m / MR),
      colPanels = Math.ceil(n / NR),
      kc0 = Math.min(k, SIMD_KC);
    const pa = this.room.fit((rowPanels * MR + colPanels * NR) * kc0 * 4),
      pb = pa + rowPanels * MR * kc0 * 4;
    if (pa < 0) return false;
    if (m === 0 || n === 0) return true;
    if (k === 0 || (beta !== 0 && beta !== 1)) scaleRows(c, m, n, beta, offC, ldc);
    if (k === 0) return true;
    const A = a.byteOffset + 4 * offA,
      B = b.byteOffset + 4 * offB,
      C = c.byteOffset + 4 * offC;
    // Where element (p, i) of op(A) and (p, j) of op(B) lie: a step along k, a step across.
    const [ap, ai] = transA ? [4 * lda, 4] : [4, 4 * lda];
    const [bp, bj] = transB ? [4, 4 * ldb] : [4 * ldb, 4];
    for (let p0 = 0; p0 < k; p0 += SIMD_KC) {
      const kc = Math.min(SIMD_KC, k - p0);
      this.kernels.packA(pa, A + p0 * ap, kc, m, ap, ai);
      this.kernels.packB(pb, B + p0 * bp, kc, n, bp, bj);
      const add = p0 === 0 && beta === 0 ? 0 : 1;
      // A block of MC rows of packed A at a time, so that it stays in L2 while every column panel passes it.
      for (let p = 0; p < rowPanels; p += MC / MR) {
        const panels = Math.min(MC / MR, rowPanels - p),
          last = p + panels === rowPanels ? m - (rowPanels - 1) * MR : MR;
        this.kernels.panels(
          panels,
          colPanels,
          kc,
          pa + p * MR * kc * 4,
          pb,
          C + p * MR * 4 * ldc,
          4 * ldc,
          add,
          n - (colPanels - 1) * NR,
          last,
        );
      }
    }
    return true;
  }

  /** Floats a packed k × n weight takes: its columns in panels of 8, the whole of k. */
  static packedFloats(k: number, n: number): number {
    return Math.ceil(n / NR) * NR * k;
  }

  /** Pack op(B) [k,n] whole (no k-blocks) at `at` in the heap, for gemmPrepacked step after step. */
  prepack(at: number, b: Float32Array, k: number, n: number, transB: boolean, offB: number, ldb: number): void {
    const [bp, bj] = transB ? [4, 4 * ldb] : [4 * ldb, 4];
    this.kernels.packB(at, b.byteOffset + 4 * offB, k, n, bp, bj);
  }

  /** C = A·B + beta·C (beta 0 or 1) with B packed by prepack: A [m,k] row-major (lda), C [m,n] (ldc). */
  gemmPrepacked(
    c: Float32Array,
    a: Float32Array,
    packed: number,
    m: number,
    n: number,
    k: number,
    beta: number,
    offC: number,
    offA: number,
    ldc: number,
    lda: number,
  ): boolean {
    const rowPanels = Math.ceil(m / MR),
      colPanels = Math.ceil(n / NR);
    const pa = this.room.fit(rowPanels * MR * k * 4);
    if (pa < 0) return false;
    if (m === 0 || n === 0) return true;
    if (k === 0 || (beta !== 0 && beta !== 1)) scaleRows(c, m, n, beta, offC, ldc);
    if (k === 0) return true;
    this.kernels.packA(pa, a.byteOffset + 4 * offA, k, m, 4, 4 * lda);
    const C = c.byteOffset + 4 * offC;
    this.kernels.panels(
      rowPanels,
      colPanels,
      k,
      pa,
      packed,
      C,
      4 * ldc,
      beta === 0 ? 0 : 1,
      n - (colPanels - 1) * NR,
      m - (rowPanels - 1) * MR,
    );
    return true;
  }
}

/** C = beta·C over an m×n block (beta 0 writes zeros, so that NaN in C never survives). */
function scaleRows(c: Float32Array, m: number, n: number, beta: number, offC: number, ldc: number): void {
  for (let i = 0; i < m; i++) {
    const row = offC + i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = row; j < row + n; j++) c[j] *= beta;
  }
}
