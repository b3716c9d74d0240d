// GEMM: the naive oracle against the blocked kernel on the shapes the layers use.
import { gemm, gemmNaive } from '../kernels/js/gemm.js';
import { gemmPackSize } from '../kernels/js/gemmPanels.js';
import { gemm as gemmViews, view } from '../kernels/backend/matrix.js';
import { alloc, Rng, wasmAvailable } from '../index.js';
import type { BenchCase } from './measure.js';

/**
 * [m, n, k, transA, transB]: C [m,n] = op(A) [m,k] · op(B) [k,n]. Cases are named m×k×n, as
 * the issue names them: 64×512×1024 is the L step's [B, I+H]·[I+H, 4H], 1×165×400 the S step's.
 */
export type GemmShape = [number, number, number, boolean, boolean];

export const gemmShapes: GemmShape[] = [
  [512, 512, 512, false, false],
  [512, 512, 512, false, true],
  [512, 512, 512, true, false],
  [64, 1024, 512, false, false],
  [1, 400, 165, false, false],
];

export function gemmCases(shapes: readonly GemmShape[]): BenchCase[] {
  return shapes.flatMap(([m, n, k, ta, tb]) => {
    const data = () => {
      const rng = new Rng(1);
      const a = alloc('f32', m * k),
        b = alloc('f32', k * n),
        c = alloc('f32', m * n),
        work = alloc('f64', gemmPackSize(m, n, k));
      rng.fillUniform(a, -1, 1);
      rng.fillUniform(b, -1, 1);
      return { a, b, c, work };
    };
    const form = `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`;
    const config = `${m}x${k}x${n}${form === 'NN' ? '' : ` ${form}`}`;
    const base = { cell: 'gemm', config, pass: 'forward' as const, flops: 2 * m * n * k, backend: 'js' as const };
    const lda = ta ? m : k,
      ldb = tb ? k : n;
    const wasm: BenchCase[] = !wasmAvailable().ok
      ? []
      : [
          {
            ...base,
            backend: 'wasm',
            name: `gemm ${config} wasm`,
            variant: 'wasm',
            setup: () => {
              const { a, b, c } = data();
              return () => gemmViews(view(c, m, n), view(a, ta ? k : m, lda), view(b, tb ? n : k, ldb), ta, tb, 0);
            },
          },
        ];
    return [
      {
        ...base,
        name: `gemm ${config} naive`,
        variant: 'naive',
        setup: () => {
          const { a, b, c } = data();
          return () => gemmNaive(c, a, b, m, n, k, ta, tb, 0);
        },
      },
      {
        ...base,
        name: `gemm ${config} unpacked`,
        variant: 'unpacked',
        setup: () => {
          const { a, b, c } = data();
          return () => gemm(c, a, b, m, n, k, ta, tb, 0);
        },
      },
      {
        ...base,
        name: `gemm ${config} blocked`,
        variant: 'blocked',
        setup: () => {
          const { a, b, c, work } = data();
          return () => gemm(c, a, b, m, n, k, ta, tb, 0, 0, 0, 0, n, lda, ldb, work);
        },
      },
      ...wasm,
    ];
  });
}
