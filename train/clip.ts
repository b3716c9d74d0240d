// Gradient clipping, the two classic remedies for exploding gradients:
//
//   by value (Mikolov 2012):      g ← max(−c, min(c, g)) element by element
//   by global norm (Pascanu et al. 2013): with ‖g‖ the 2-norm over all gradients together,
//                                  g ← g · min(1, c / (‖g‖ + 1e-6))     (PyTorch's clip_grad_norm_)
//   per tensor:                    the same, each tensor against its own norm
//
// They act on gradient buffers in place: a ParamStore's flat grad, or a list of buffers.
import { ArgumentError, NonFiniteError, type Buf, type ParamStore } from '../core/index.js';

type Grads = ParamStore | readonly Buf[];

function buffers(grads: Grads): readonly Buf[] {
  return Array.isArray(grads) ? grads : [(grads as ParamStore).grad];
}

/** Clamp every gradient element to [−clipValue, clipValue]. */
export function clipGradValue(grads: Grads, clipValue: number): void {
  if (!(clipValue > 0 && Number.isFinite(clipValue)))
    throw new ArgumentError('clipGradValue', 'clipValue', 'a finite number > 0', clipValue);
  for (const g of buffers(grads)) {
    for (let q = 0; q < g.length; q++) {
      if (g[q] > clipValue) g[q] = clipValue;
      else if (g[q] < -clipValue) g[q] = -clipValue;
    }
  }
}

export interface ClipNormOptions {
  /** Throw instead of clipping when the norm is NaN or infinite (PyTorch's error_if_nonfinite). */
  errorIfNonfinite?: boolean;
}

/** Scale all gradients together so that their 2-norm is at most maxNorm. Returns the norm before clipping. */
export function clipGradNorm(grads: Grads, maxNorm: number, options: ClipNormOptions = {}): number {
  if (!(maxNorm > 0 && Number.isFinite(maxNorm)))
    throw new ArgumentError('clipGradNorm', 'maxNorm', 'a finite number > 0', maxNorm);
  const list = buffers(grads);
  // The norm of the per-tensor norms, as PyTorch computes it.
  let sumOfSquares = 0;
  for (const g of list) {
    const n = norm(g);
    sumOfSquares += n * n;
  }
  const total = Math.sqrt(sumOfSquares);
  if (!Number.isFinite(total) && options.errorIfNonfinite) {
    throw new NonFiniteError(
      'clipGradNorm',
      'the total gradient norm',
      total,
      ', so it cannot be clipped (errorIfNonfinite is set)',
    );
  }
  scaleTo(list, total, maxNorm);
  return total;
}

/** Clip each tensor's gradient to 2-norm maxNorm on its own. Returns the norms before clipping. */
export function clipGradNormPerTensor(store: ParamStore, maxNorm: number): Map<string, number> {
  if (!(maxNorm > 0 && Number.isFinite(maxNorm)))
    throw new ArgumentError('clipGradNormPerTensor', 'maxNorm', 'a finite number > 0', maxNorm);
  const norms = new Map<string, number>();
  for (const [name, t] of store.entries()) {
    const g = t.ensureGrad();
    const n = norm(g);
    norms.set(name, n);
    scaleTo([g], n, maxNorm);
  }
  return norms;
}

/** The 2-norm of a buffer, summed in a double. */
export function norm(g: Buf): number {
  let s = 0;
  for (let q = 0; q < g.length; q++) s += g[q] * g[q];
  return Math.sqrt(s);
}

function scaleTo(list: readonly Buf[], total: number, maxNorm: number): void {
  const coef = Math.min(1, maxNorm / (total + 1e-6));
  if (coef === 1) return;
  for (const g of list) for (let q = 0; q < g.length; q++) g[q] *= coef;
}
