// The LSA baseline of the word-vector comparison: a truncated SVD of the word co-occurrence
// matrix, at the dimension of the vectors it is compared with (Deerwester et al. 1990; the
// LSA rows of Mikolov, Yih & Zweig 2013).
//
//   A[v, w] = log(1 + count of w within `window` words of v)       [V, V], symmetric
//   A ≈ U_k Σ_k V_kᵀ;  the vector of word v is row v of U_k Σ_k
//
// The SVD is randomized subspace iteration (Halko, Martinsson & Tropp 2011): Q spans A·Ω
// for a random Ω of k + 10 columns, refined by two passes Q ← orth(A·Q) (A is symmetric);
// then the small matrix B = Qᵀ·A gives B·Bᵀ = W Λ Wᵀ by Jacobi rotations, and U Σ = Q·W·√Λ.
import { ops, Rng, Tensor } from '../core/index.js';
import type { WordVectors } from './wordVectors.js';

/** log(1 + co-occurrence counts) within `window` tokens either side, [V, V] float32. */
export function cooccurrence(tokens: ArrayLike<number>, V: number, window = 2): Tensor {
  const A = Tensor.zeros([V, V], 'f32');
  for (let q = 0; q < tokens.length; q++) {
    for (let r = Math.max(0, q - window); r <= Math.min(tokens.length - 1, q + window); r++) {
      if (r !== q) A.data[tokens[q] * V + tokens[r]]++;
    }
  }
  for (let q = 0; q < A.data.length; q++) A.data[q] = Math.log1p(A.data[q]);
  return A;
}

/** Orthonormal columns spanning those of M [n, m] (modified Gram-Schmidt, in float64). */
function orthonormalColumns(M: Tensor): Tensor {
  const [n, m] = M.shape,
    q = Float64Array.from(M.data);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < n; r++) dot += q[r * m + i] * q[r * m + j];
      for (let r = 0; r < n; r++) q[r * m + j] -= dot * q[r * m + i];
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += q[r * m + j] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let r = 0; r < n; r++) q[r * m + j] *= scale;
  }
  return Tensor.from(q, [n, m], M.dtype);
}

/** Eigenvalues and eigenvectors (columns of W) of a symmetric S [m, m], by cyclic Jacobi rotations. */
export function symmetricEigen(S: ArrayLike<number>, m: number): { values: Float64Array; W: Float64Array } {
  const a = Float64Array.from(S),
    W = new Float64Array(m * m);
  for (let i = 0; i < m; i++) W[i * m + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let r = p + 1; r < m; r++) off += a[p * m + r] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < m; p++)
      for (let r = p + 1; r < m; r++) {
        const apr = a[p * m + r];
        if (Math.abs(apr) < 1e-300) continue;
        const theta = (a[r * m + r] - a[p * m + p]) / (2 * apr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < m; k++) {
          // rotate columns p, r
          const akp = a[k * m + p],
            akr = a[k * m + r];
          a[k * m + p] = c * akp - s * akr;
          a[k * m + r] = s * akp + c * akr;
        }
        for (let k = 0; k < m; k++) {
          // and rows p, r
          const apk = a[p * m + k],
            ark = a[r * m + k];
          a[p * m + k] = c * apk - s * ark;
          a[r * m + k] = s * apk + c * ark;
        }
        for (let k = 0; k < m; k++) {
          const wkp = W[k * m + p],
            wkr = W[k * m + r];
          W[k * m + p] = c * wkp - s * wkr;
          W[k * m + r] = s * wkp + c * wkr;
        }
      }
  }
  return { values: Float64Array.from({ length: m }, (_, i) => a[i * m + i]), W };
}

/** Rows of U_k Σ_k of the symmetric matrix A [V, V]: the k-dimensional LSA vectors. */
export function truncatedSvdRows(A: Tensor, k: number, seed: number): Float64Array {
  const V = A.shape[0],
    m = Math.min(V, k + 10);
  const omega = Tensor.zeros([V, m], 'f32');
  new Rng(seed).fillNormal(omega.data, 0, 1);
  let Q = orthonormalColumns(ops.matmul(null, A, omega));
  for (let pass = 0; pass < 2; pass++) Q = orthonormalColumns(ops.matmul(null, A, Q));
  // B = Qᵀ A is [m, V]; since A is symmetric, Bᵀ = A Q, and B·Bᵀ = (A Q)ᵀ (A Q).
  const AQ = ops.matmul(null, A, Q).data;
  const BBt = new Float64Array(m * m);
  for (let r = 0; r < V; r++)
    for (let i = 0; i < m; i++) {
      const x = AQ[r * m + i];
      for (let j = 0; j < m; j++) BBt[i * m + j] += x * AQ[r * m + j];
    }
  const { values, W } = symmetricEigen(BBt, m);
  const order = Array.from({ length: m }, (_, i) => i)
    .sort((i, j) => values[j] - values[i])
    .slice(0, k);
  const out = new Float64Array(V * k);
  order.forEach((e, col) => {
    const sigma = Math.sqrt(Math.max(0, values[e]));
    for (let r = 0; r < V; r++) {
      let u = 0;
      for (let i = 0; i < m; i++) u += Q.data[r * m + i] * W[i * m + e];
      out[r * k + col] = u * sigma;
    }
  });
  return out;
}

/** LSA vectors of dimension `dim` for a vocabulary, from its training tokens. */
export function lsaVectors(
  words: readonly string[],
  tokens: ArrayLike<number>,
  dim: number,
  seed: number,
): WordVectors {
  return { words, data: truncatedSvdRows(cooccurrence(tokens, words.length), dim, seed), dim };
}
