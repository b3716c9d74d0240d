import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gemm, gemmNaive } from '../kernels/js/gemm.js';
import { gemmPackSize, gemmPrepacked, packB, panelSize } from '../kernels/js/gemmPanels.js';
import { alloc, type DType } from '../core/alloc.js';
import { Rng } from '../core/rng.js';
import { maxAbsDiff, relToMax } from './helpers.js';

const sizes = [1, 2, 7, 33, 65];
const forms: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

function random(rng: Rng, dtype: DType, n: number) {
  const b = alloc(dtype, n);
  rng.fillUniform(b, -1, 1);
  return b;
}

test('gemmNaive computes a hand-worked product in every transpose form', () => {
  // A = [[1,2,3],[4,5,6]] (2×3), B = [[7,8],[9,10],[11,12]] (3×2): A·B = [[58,64],[139,154]]
  const A = Float64Array.of(1, 2, 3, 4, 5, 6),
    At = Float64Array.of(1, 4, 2, 5, 3, 6);
  const B = Float64Array.of(7, 8, 9, 10, 11, 12),
    Bt = Float64Array.of(7, 9, 11, 8, 10, 12);
  const expected = [58, 64, 139, 154];
  for (const [ta, tb] of forms) {
    const c = new Float64Array(4);
    gemmNaive(c, ta ? At : A, tb ? Bt : B, 2, 2, 3, ta, tb, 0);
    assert.equal(Array.from(c), expected, `transA ${ta} transB ${tb}`);
  }
  const c = Float64Array.of(1, 1, 1, 1);
  gemmNaive(c, A, B, 2, 2, 3, false, false, 1);
  assert.equal(Array.from(c), [59, 65, 140, 155], 'beta 1 accumulates');
});

for (const dtype of ['f64', 'f32'] as const) {
  test(`gemm matches gemmNaive on odd shapes, all transposes, beta 0 and 1 (${dtype})`, () => {
    const rng = new Rng(11);
    const tol = dtype === 'f64' ? 1e-12 : 1e-5;
    for (const m of sizes)
      for (const n of sizes)
        for (const k of sizes)
          for (const [ta, tb] of forms) {
            const a = random(rng, dtype, m * k),
              b = random(rng, dtype, k * n);
            const start = random(rng, dtype, m * n);
            for (const beta of [0, 1]) {
              const fast = alloc(dtype, m * n),
                slow = alloc(dtype, m * n);
              fast.set(start);
              slow.set(start);
              gemm(fast, a, b, m, n, k, ta, tb, beta);
              gemmNaive(slow, a, b, m, n, k, ta, tb, beta);
              const err = relToMax(fast, slow);
              if (!(err <= tol))
                assert.unreachable(`m ${m} n ${n} k ${k} transA ${ta} transB ${tb} beta ${beta}: error ${err}`);
            }
          }
  });
}

for (const dtype of ['f64', 'f32'] as const) {
  test(`the packed path (a workspace given) matches gemmNaive, with k-blocks, offsets and leading dimensions (${dtype})`, () => {
    const rng = new Rng(21);
    const tol = dtype === 'f64' ? 1e-12 : 1e-5;
    for (const [m, n, k] of [
      [4, 4, 1],
      [7, 33, 65],
      [65, 7, 300],
      [33, 65, 513],
      [5, 1, 7],
    ])
      for (const [ta, tb] of forms) {
        const lda = (ta ? m : k) + 2,
          ldb = (tb ? k : n) + 3,
          ldc = n + 1;
        const a = random(rng, dtype, 3 + (ta ? k : m) * lda),
          b = random(rng, dtype, 5 + (tb ? n : k) * ldb);
        const start = random(rng, dtype, 2 + m * ldc);
        const work = alloc('f64', gemmPackSize(m, n, k));
        for (const beta of [0, 1, 0.5]) {
          const fast = alloc(dtype, start.length),
            slow = alloc(dtype, start.length);
          fast.set(start);
          slow.set(start);
          gemm(fast, a, b, m, n, k, ta, tb, beta, 2, 3, 5, ldc, lda, ldb, work);
          gemmNaive(slow, a, b, m, n, k, ta, tb, beta, 2, 3, 5, ldc, lda, ldb);
          const err = relToMax(fast, slow);
          if (!(err <= tol))
            assert.unreachable(`m ${m} n ${n} k ${k} transA ${ta} transB ${tb} beta ${beta}: error ${err}`);
        }
      }
  });
}

test('gemmPrepacked with B packed once equals gemm, step after step, A packed beside B in one array', () => {
  const rng = new Rng(22);
  for (const [m, n, k] of [
    [6, 10, 9],
    [7, 11, 5],
  ]) {
    const b = random(rng, 'f64', k * n);
    const aAt = panelSize(n, k),
      panels = alloc('f64', aAt + panelSize(m, k));
    packB(panels, 0, b, n, k, false, 0, n);
    for (let step = 0; step < 3; step++) {
      const a = random(rng, 'f64', m * k);
      const fast = alloc('f64', m * n).fill(1),
        slow = alloc('f64', m * n).fill(1);
      gemmPrepacked(fast, a, m, k, false, 0, k, panels, 0, n, 1, 0, n, aAt);
      gemmNaive(slow, a, b, m, n, k, false, false, 1);
      assert.ok(maxAbsDiff(fast, slow) < 1e-13, `m ${m} n ${n} k ${k} step ${step}`);
    }
  }
});

test('gemm with beta 0 overwrites C, even NaN', () => {
  const c = Float64Array.of(NaN, Infinity, NaN, NaN);
  gemm(c, Float64Array.of(1, 2), Float64Array.of(3, 4), 2, 2, 1, false, false, 0);
  assert.equal(Array.from(c), [3, 4, 6, 8]);
});

test('gemm honours offsets into larger buffers', () => {
  const rng = new Rng(5);
  const [m, n, k] = [3, 5, 4];
  const a = random(rng, 'f64', 10 + m * k),
    b = random(rng, 'f64', 7 + k * n);
  const fast = new Float64Array(3 + m * n),
    slow = new Float64Array(m * n);
  gemm(fast, a, b, m, n, k, false, false, 0, 3, 10, 7);
  gemmNaive(slow, a.subarray(10), b.subarray(7), m, n, k, false, false, 0);
  assert.ok(maxAbsDiff(fast.subarray(3), slow) < 1e-14);
  assert.is(fast[0], 0, 'nothing written before the offset');
});

test('gemm and gemmNaive honour leading dimensions: a block of columns inside wider rows', () => {
  // A is the 3×4 block at column 2 of a 3×9 buffer, B the 4×5 block at column 1 of a 4×8
  // buffer, C the 3×5 block at column 3 of a 3×10 buffer; each form is compared with the
  // product of the blocks copied out.
  const rng = new Rng(12);
  const [m, n, k] = [3, 5, 4];
  for (const [ta, tb] of forms) {
    const [aRows, aCols] = ta ? [k, m] : [m, k];
    const [bRows, bCols] = tb ? [n, k] : [k, n];
    const lda = aCols + 5,
      ldb = bCols + 3,
      ldc = n + 5;
    const a = random(rng, 'f64', aRows * lda),
      b = random(rng, 'f64', bRows * ldb);
    const packedA = new Float64Array(aRows * aCols),
      packedB = new Float64Array(bRows * bCols);
    for (let r = 0; r < aRows; r++) for (let q = 0; q < aCols; q++) packedA[r * aCols + q] = a[r * lda + 2 + q];
    for (let r = 0; r < bRows; r++) for (let q = 0; q < bCols; q++) packedB[r * bCols + q] = b[r * ldb + 1 + q];
    const expected = new Float64Array(m * n);
    gemmNaive(expected, packedA, packedB, m, n, k, ta, tb, 0);
    for (const kernel of [gemm, gemmNaive]) {
      const c = new Float64Array(m * ldc).fill(7);
      kernel(c, a, b, m, n, k, ta, tb, 0, 3, 2, 1, ldc, lda, ldb);
      const block = Array.from({ length: m * n }, (_, q) => c[Math.floor(q / n) * ldc + 3 + (q % n)]);
      assert.ok(maxAbsDiff(block, expected) < 1e-14, `${kernel.name} transA ${ta} transB ${tb}`);
      assert.is(c[0], 7, 'columns outside the block are untouched');
      assert.is(c[ldc - 1], 7);
    }
  }
});

test.run();
