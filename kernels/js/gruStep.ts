// The fused GRU step, in its two published forms. Gate blocks in a row of width 3H: r, z, n.
//
//   r = σ(x_r + h_r)                     reset gate      (x_• = W_x• x + b, h_• = W_h• h₋₁ + b)
//   z = σ(x_z + h_z)                     update gate
//   n = tanh(x_n + r ⊙ h_n)              reset after the recurrent matmul (PyTorch, cuDNN, Keras default)
//   n = tanh(x_n + W_hn (r ⊙ h₋₁))       reset before it (Cho et al. 2014, Keras reset_after=False)
//   h = (1 − z) ⊙ n + z ⊙ h₋₁            z keeps (PyTorch, Cho et al. 2014)
//
// The other convention, h = (1 − z) ⊙ h₋₁ + z ⊙ n (z writes, as some lectures write it), is
// the same cell with z's pre-activation negated: σ(−a) = 1 − σ(a). The kernels take that
// sign, `zSign` (1: z keeps, −1: z writes), and always store the gate that keeps, k = σ(zSign·a_z),
// so that everything after it is one formula; ∂a_z picks the sign up again.
//
// Buffers, per step s of T steps and B rows (time-major):
//   xp  [T, B, 3H]  input projections x_r, x_z, x_n (biases included)
//   hp  [T, B, 3H]  recurrent projections h_r, h_z, h_n (reset-before: h_n = W_hn (r ⊙ h₋₁))
//   act [T, B, 3H]  r, k (the gate that keeps), n
//   rh  [T, B, H]   r ⊙ h₋₁ (reset-before only)
//   hs  [T+1, B, H] hs[0] = h₀, hs[s+1] = h after step s
// A row is active at step s while s < lengths[row]; an inactive row carries h unchanged.
import { sigmoidScalar } from './activations.js';
import { copyBlock } from './gather.js';
import { carriedPastEnd, zeroedPastEnd } from './sequence.js';
import type { Buf, IndexBuf } from './types.js';

export interface GruBuffers {
  xp: Buf;
  hp: Buf;
  act: Buf;
  rh: Buf;
  hs: Buf;
}

export interface GruGradBuffers {
  /** [T, B, 3H] ∂L/∂xp, written for step s. */
  dXp: Buf;
  /** [T, B, 3H] ∂L/∂hp, written for step s (the n block: ∂L/∂h_n, or ∂L/∂a_n before reset). */
  dHp: Buf;
  /** [B, H] ∂L/∂h_s in; its direct part z ⊙ ∂h is written to dhPrev. */
  dh: Buf;
  /** [B, H] out: the part of ∂L/∂h_{s−1} not through the recurrent matmul (z ⊙ ∂h, plus r ⊙ ∂(r⊙h) before reset). */
  dhPrev: Buf;
  /** [B, H] reset-before: ∂L/∂(r ⊙ h₋₁), filled by the caller between the two backward phases. */
  dRh: Buf;
}

/** Reset after: the whole step, given xp[s] and hp[s] = h₋₁·W_h + b_hh. */
export function gruStepForward(
  b: GruBuffers,
  H: number,
  s: number,
  rows: number,
  lengths: IndexBuf,
  zSign: 1 | -1,
): void {
  const { xp, hp, act, hs } = b;
  for (let r = 0; r < rows; r++) {
    const hPrev = (s * rows + r) * H,
      hNext = hPrev + rows * H;
    if (carriedPastEnd(s, lengths[r], H, hNext, hPrev, hs)) continue;
    const g = (s * rows + r) * 3 * H;
    for (let j = 0; j < H; j++) {
      const rj = sigmoidScalar(xp[g + j] + hp[g + j]);
      const zj = sigmoidScalar(zSign * (xp[g + H + j] + hp[g + H + j]));
      const nj = Math.tanh(xp[g + 2 * H + j] + rj * hp[g + 2 * H + j]);
      act[g + j] = rj;
      act[g + H + j] = zj;
      act[g + 2 * H + j] = nj;
      hs[hNext + j] = (1 - zj) * nj + zj * hs[hPrev + j];
    }
  }
}

export function gruStepBackward(
  b: GruBuffers,
  d: GruGradBuffers,
  H: number,
  s: number,
  rows: number,
  lengths: IndexBuf,
  zSign: 1 | -1,
): void {
  const { hp, act, hs } = b;
  const { dXp, dHp, dh, dhPrev } = d;
  for (let r = 0; r < rows; r++) {
    const g = (s * rows + r) * 3 * H,
      q = r * H;
    if (zeroedPastEnd(s, lengths[r], g, 3 * H, dXp, dHp)) {
      copyBlock(dhPrev, q, dh, q, H);
      continue;
    }
    const hPrev = (s * rows + r) * H;
    for (let j = 0; j < H; j++) {
      const rj = act[g + j],
        zj = act[g + H + j],
        nj = act[g + 2 * H + j];
      const dhj = dh[q + j];
      const daN = dhj * (1 - zj) * (1 - nj * nj);
      const daZ = zSign * dhj * (hs[hPrev + j] - nj) * zj * (1 - zj);
      const daR = daN * hp[g + 2 * H + j] * rj * (1 - rj);
      dXp[g + j] = daR;
      dXp[g + H + j] = daZ;
      dXp[g + 2 * H + j] = daN;
      dHp[g + j] = daR;
      dHp[g + H + j] = daZ;
      dHp[g + 2 * H + j] = daN * rj;
      dhPrev[q + j] = dhj * zj;
    }
  }
}

/** Reset before, phase 1: r, z from xp[s] and hp[s] (r, z blocks), and r ⊙ h₋₁ for the n matmul. */
export function gruBeforeGatesForward(
  b: GruBuffers,
  H: number,
  s: number,
  rows: number,
  lengths: IndexBuf,
  zSign: 1 | -1,
): void {
  const { xp, hp, act, rh, hs } = b;
  for (let r = 0; r < rows; r++) {
    if (s >= lengths[r]) continue;
    const g = (s * rows + r) * 3 * H,
      t = (s * rows + r) * H;
    for (let j = 0; j < H; j++) {
      const rj = sigmoidScalar(xp[g + j] + hp[g + j]);
      act[g + j] = rj;
      act[g + H + j] = sigmoidScalar(zSign * (xp[g + H + j] + hp[g + H + j]));
      rh[t + j] = rj * hs[t + j];
    }
  }
}

/** Reset before, phase 2: n and h from xp[s] (n block) and hp[s] (n block = W_hn (r ⊙ h₋₁)). */
export function gruBeforeOutputForward(b: GruBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void {
  const { xp, hp, act, hs } = b;
  for (let r = 0; r < rows; r++) {
    const hPrev = (s * rows + r) * H,
      hNext = hPrev + rows * H;
    if (carriedPastEnd(s, lengths[r], H, hNext, hPrev, hs)) continue;
    const g = (s * rows + r) * 3 * H;
    for (let j = 0; j < H; j++) {
      const zj = act[g + H + j];
      const nj = Math.tanh(xp[g + 2 * H + j] + hp[g + 2 * H + j]);
      act[g + 2 * H + j] = nj;
      hs[hNext + j] = (1 - zj) * nj + zj * hs[hPrev + j];
    }
  }
}

/** Reset before, backward phase 1: ∂a_n (into dXp and dHp n blocks) and the direct z ⊙ ∂h into dhPrev. */
export function gruBeforeOutputBackward(
  b: GruBuffers,
  d: GruGradBuffers,
  H: number,
  s: number,
  rows: number,
  lengths: IndexBuf,
): void {
  const { act } = b;
  const { dXp, dHp, dh, dhPrev } = d;
  for (let r = 0; r < rows; r++) {
    const g = (s * rows + r) * 3 * H,
      q = r * H;
    if (zeroedPastEnd(s, lengths[r], g, 3 * H, dXp, dHp)) {
      copyBlock(dhPrev, q, dh, q, H);
      continue;
    }
    for (let j = 0; j < H; j++) {
      const zj = act[g + H + j],
        nj = act[g + 2 * H + j];
      const daN = dh[q + j] * (1 - zj) * (1 - nj * nj);
      dXp[g + 2 * H + j] = daN;
      dHp[g + 2 * H + j] = daN;
      dhPrev[q + j] = dh[q + j] * zj;
    }
  }
}

/** Reset before, backward phase 2: from ∂(r ⊙ h₋₁) (dRh) to ∂a_r, ∂a_z, and r ⊙ ∂(r⊙h) added to dhPrev. */
export function gruBeforeGatesBackward(
  b: GruBuffers,
  d: GruGradBuffers,
  H: number,
  s: number,
  rows: number,
  lengths: IndexBuf,
  zSign: 1 | -1,
): void {
  const { act, hs } = b;
  const { dXp, dHp, dh, dhPrev, dRh } = d;
  for (let r = 0; r < rows; r++) {
    if (s >= lengths[r]) continue;
    const g = (s * rows + r) * 3 * H,
      q = r * H,
      hPrev = (s * rows + r) * H;
    for (let j = 0; j < H; j++) {
      const rj = act[g + j],
        zj = act[g + H + j],
        nj = act[g + 2 * H + j];
      const h0 = hs[hPrev + j];
      const daR = dRh[q + j] * h0 * rj * (1 - rj);
      const daZ = zSign * dh[q + j] * (h0 - nj) * zj * (1 - zj);
      dXp[g + j] = daR;
      dXp[g + H + j] = daZ;
      dHp[g + j] = daR;
      dHp[g + H + j] = daZ;
      dhPrev[q + j] += dRh[q + j] * rj;
    }
  }
}
