// The Elman step h = act(pre), pre = x·W_x + h_{t−d}·W_h + b, as a fused pointwise pass
// (d = 1 is the plain Elman network; d > 1 the long-delay recurrence).
//
//   tanh:    h = tanh(pre)           ∂pre = ∂h ⊙ (1 − h²)       (tanh′ ≤ 1)
//   relu:    h = max(0, pre)         ∂pre = ∂h ⊙ [h > 0]
//   sigmoid: h = 1 / (1 + e^−pre)    ∂pre = ∂h ⊙ h ⊙ (1 − h)    (σ′ ≤ 1/4: Elman's own network)
//
// pre [T, B, H]; hs [T+1, B, H] with hs[0] = h₀ and hs[s+1] = h after step s.
// A row is active at step s while s < lengths[row]; an inactive row carries h unchanged.
import { sigmoidScalar } from './activations.js';
import { addBlock } from './gather.js';
import { carriedPastEnd, zeroedPastEnd } from './sequence.js';
import type { Buf, IndexBuf } from './types.js';

export type RnnNonlinearity = 'tanh' | 'relu' | 'sigmoid';

export function rnnStepForward(
  pre: Buf,
  hs: Buf,
  act: RnnNonlinearity,
  H: number,
  s: number,
  rows: number,
  lengths: IndexBuf,
): void {
  for (let r = 0; r < rows; r++) {
    const p = (s * rows + r) * H,
      next = p + rows * H;
    if (carriedPastEnd(s, lengths[r], H, next, p, hs)) continue;
    if (act === 'relu') for (let j = 0; j < H; j++) hs[next + j] = pre[p + j] > 0 ? pre[p + j] : 0;
    else if (act === 'sigmoid') for (let j = 0; j < H; j++) hs[next + j] = sigmoidScalar(pre[p + j]);
    else for (let j = 0; j < H; j++) hs[next + j] = Math.tanh(pre[p + j]);
  }
}

/**
 * dPre[s] = ∂h ⊙ act'(h) for active rows, where ∂h = dHs[s+1] ([T+1, B, H], the gradient
 * reaching h after step s). An inactive row gets dPre 0 and hands its gradient to dHs[s].
 */
export function rnnStepBackward(
  dPre: Buf,
  hs: Buf,
  dHs: Buf,
  act: RnnNonlinearity,
  H: number,
  s: number,
  rows: number,
  lengths: IndexBuf,
): void {
  for (let r = 0; r < rows; r++) {
    const p = (s * rows + r) * H,
      h = p + rows * H;
    if (zeroedPastEnd(s, lengths[r], p, H, dPre)) {
      addBlock(dHs, p, dHs, h, H);
      continue;
    }
    if (act === 'relu') for (let j = 0; j < H; j++) dPre[p + j] = hs[h + j] > 0 ? dHs[h + j] : 0;
    else if (act === 'sigmoid') for (let j = 0; j < H; j++) dPre[p + j] = dHs[h + j] * hs[h + j] * (1 - hs[h + j]);
    else for (let j = 0; j < H; j++) dPre[p + j] = dHs[h + j] * (1 - hs[h + j] * hs[h + j]);
  }
}
