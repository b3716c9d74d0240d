// Matrix product of two 2-D tensors, either of them optionally transposed.
//
//   C = op(A) · op(B)            A: [m,k] (or [k,m]), B: [k,n] (or [n,k]), C: [m,n]
//   ∂A = ∂C · op(B)ᵀ  (transposed back to A's layout when transA)
//   ∂B = op(A)ᵀ · ∂C  (transposed back to B's layout when transB)
import { gemm, view } from '../../kernels/backend/matrix.js';
import type { Tape, TapeEntry } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { ArgumentError } from '../errors.js';
import { checkTensors, output, record, shapeStr } from './common.js';

interface MatmulSaved {
  m: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

export function matmul(tape: Tape | null, a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  checkTensors('matmul', { a, b });
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new ArgumentError('matmul', 'a and b', '2-D', `a ${shapeStr(a.shape)} and b ${shapeStr(b.shape)}`, true);
  }
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [kb, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (k !== kb) {
    throw new ArgumentError(
      'matmul',
      `b ${shapeStr(b.shape)}${transB ? 'ᵀ' : ''}`,
      `a matrix that has ${k} rows (the inner sizes must agree)`,
      `a ${shapeStr(a.shape)}${transA ? 'ᵀ' : ''} has ${k} columns and b has ${kb} rows`,
      true,
    );
  }
  const out = output(tape, [a, b], [m, n]);
  gemm(view(out.data, m, n), matrixOf(a), matrixOf(b), transA, transB, 0);
  record(tape, matmulBackward, out, [a, b], { m, n, transA, transB });
  return out;
}

/** A 2-D tensor's values as a matrix view (its stored layout, before any transpose). */
function matrixOf(t: Tensor, data = t.data) {
  return view(data, t.shape[0], t.shape[1]);
}

function matmulBackward(e: TapeEntry<MatmulSaved>): void {
  const [a, b] = e.inputs;
  const { m, n, transA, transB } = e.saved;
  const dC = view(e.out.grad!, m, n),
    A = matrixOf(a),
    B = matrixOf(b);
  if (a.requiresGrad) {
    const dA = matrixOf(a, a.ensureGrad());
    if (!transA)
      gemm(dA, dC, B, false, !transB, 1); // [m,k] = dC · op(B)ᵀ
    else gemm(dA, B, dC, transB, true, 1); //           [k,m] = op(B) · dCᵀ
  }
  if (b.requiresGrad) {
    const dB = matrixOf(b, b.ensureGrad());
    if (!transB)
      gemm(dB, A, dC, !transA, false, 1); // [k,n] = op(A)ᵀ · dC
    else gemm(dB, dC, A, true, transA, 1); //           [n,k] = dCᵀ · op(A)
  }
}
