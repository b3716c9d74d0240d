// Softmax and cross-entropy fused, forward beside backward. For a row of logits z over
// C classes with target class t:
//
//   p_c    = e^(z_c) / Σ_k e^(z_k)
//   loss   = −log p_t = log Σ_k e^(z_k) − z_t
//   ∂loss/∂z_c = p_c − [c = t]
//
// logits, probs, dlogits: [rows, C]; targets: [rows] class indices; rowLoss: [rows].
// The largest logit is subtracted before exponentiating, so large logits cannot overflow.
import type { Buf, IndexBuf } from './types.js';

export function softmaxCrossEntropyForward(
  probs: Buf,
  rowLoss: Buf,
  logits: Buf,
  targets: IndexBuf,
  rows: number,
  classes: number,
): void {
  for (let r = 0; r < rows; r++) {
    const row = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (logits[row + c] > max) max = logits[row + c];
    let total = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(logits[row + c] - max);
      probs[row + c] = e;
      total += e;
    }
    for (let c = 0; c < classes; c++) probs[row + c] /= total;
    rowLoss[r] = Math.log(total) + max - logits[row + targets[r]];
  }
}

/**
 * dlogits[r,c] += scale · w_r · (p[r,c] − [c = t_r]), where w_r is rowWeight[r]
 * (a padding mask, say) or 1 when rowWeight is null.
 */
export function softmaxCrossEntropyBackward(
  dlogits: Buf,
  probs: Buf,
  targets: IndexBuf,
  rowWeight: Buf | null,
  scale: number,
  rows: number,
  classes: number,
): void {
  for (let r = 0; r < rows; r++) {
    const s = rowWeight === null ? scale : scale * rowWeight[r];
    if (s === 0) continue;
    const row = r * classes;
    for (let c = 0; c < classes; c++) dlogits[row + c] += s * probs[row + c];
    dlogits[row + targets[r]] -= s;
  }
}
