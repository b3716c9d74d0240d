// Matrix product of two 2-D tensors, either of them optionally transposed.
//
//   C = op(A) · op(B)            A: [m,k] (or [k,m]), B: [k,n] (or [n,k]), C: [m,n]
//   ∂A = ∂C · op(B)ᵀ  (transposed back to A's layout when transA)
//   ∂B = op(A)ᵀ · ∂C  (transposed back to B's layout when transB)
import { gemm } from '../../kernels/gemm.js';
import type { Tape, TapeEntry } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { checkTensors, output, record, shapeStr } from './common.js';

interface MatmulSaved { m: number; n: number; k: number; transA: boolean; transB: boolean }

export function matmul(tape: Tape | null, a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  checkTensors('matmul', { a, b });
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new Error(`matmul: a and b must be 2-D, got a ${shapeStr(a.shape)} and b ${shapeStr(b.shape)}`);
  }
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [kb, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (k !== kb) {
    throw new Error(
      `matmul: inner sizes differ: a ${shapeStr(a.shape)}${transA ? 'ᵀ' : ''} has ${k} columns, ` +
      `b ${shapeStr(b.shape)}${transB ? 'ᵀ' : ''} has ${kb} rows`,
    );
  }
  const out = output(tape, [a, b], [m, n]);
  gemm(out.data, a.data, b.data, m, n, k, transA, transB, 0);
  record(tape, matmulBackward, out, [a, b], { m, n, k, transA, transB });
  return out;
}

function matmulBackward(e: TapeEntry<MatmulSaved>): void {
  const [a, b] = e.inputs;
  const dC = e.out.grad!;
  const { m, n, k, transA, transB } = e.saved;
  if (a.requiresGrad) {
    const dA = a.ensureGrad();
    if (!transA) gemm(dA, dC, b.data, m, k, n, false, !transB, 1); // [m,k] = dC · op(B)ᵀ
    else gemm(dA, b.data, dC, k, m, n, transB, true, 1); //           [k,m] = op(B) · dCᵀ
  }
  if (b.requiresGrad) {
    const dB = b.ensureGrad();
    if (!transB) gemm(dB, a.data, dC, k, n, m, !transA, false, 1); // [k,n] = op(A)ᵀ · dC
    else gemm(dB, dC, a.data, n, k, m, true, transA, 1); //           [n,k] = dCᵀ · op(A)
  }
}
