// The fused LSTM step: one pass turns a step's pre-activations into the gates, the cell
// state and the output; one pass back turns ∂h_t, ∂c_t into ∂pre-activations and ∂c_{t−1}.
//
// The lecture LSTM (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al.
// 2000). With a = [x_t, h_{t−1}]·W + b in four blocks a_f, a_i, a_g, a_o:
//
//   forward                            backward, from ∂h and ∂c (the gradient reaching c from step t+1)
//   f = σ(a_f)      forget gate        ∂o   = ∂h ⊙ tanh(c)
//   i = σ(a_i)      input gate         ∂c  += ∂h ⊙ o ⊙ (1 − tanh²(c))
//   g = tanh(a_g)   block input        ∂f   = ∂c ⊙ c₋₁      ∂i = ∂c ⊙ g      ∂g = ∂c ⊙ i
//   o = σ(a_o)      output gate        ∂a_f = ∂f ⊙ f(1 − f) ∂a_i = ∂i ⊙ i(1 − i)
//   c = f ⊙ c₋₁ + i ⊙ g                ∂a_g = ∂g ⊙ (1 − g²) ∂a_o = ∂o ⊙ o(1 − o)
//   h = o ⊙ tanh(c)                    ∂c₋₁ = ∂c ⊙ f        the constant error carousel: ∂c/∂c₋₁ = f
//
// The published variants (Greff et al. 2015) change single lines, read from the layout:
//   peephole  a_f += p_f ⊙ c₋₁, a_i += p_i ⊙ c₋₁, a_o += p_o ⊙ c (Gers & Schmidhuber 2000);
//             backward: ∂c += ∂a_o ⊙ p_o, ∂c₋₁ += ∂a_f ⊙ p_f + ∂a_i ⊙ p_i
//   cifg      i = 1 − f (coupled gates; ∂f −= ∂i)     nfg  f ≡ 1     nig  i ≡ 1     nog  o ≡ 1
//   niaf      g = a_g (no input activation)          noaf h = o ⊙ c (no output activation)
//   fgr       a_{f,i,o} += [f, i, o]₋₁ · W_fgr, added by the sequence op; its gradient
//             arrives here as dGateRecurrent
//
// Buffers, per step s of a sequence of T steps and B rows (time-major):
//   pre  [T, B, G·H]  pre-activations a without the bias, one column block per present gate
//   bias [G·H]        b_ih + b_hh, added here as each a is read (or none)
//   act  [T, B, 4H]   f, i, g, o (constants stored for absent gates)
//   cs   [T+1, B, H]  cs[0] = c₀, cs[s+1] = c after step s
//   tcs  [T, B, H]    tanh(c) (c itself under noaf)
//   hs   [T+1, B, H]  hs[0] = h₀, hs[s+1] = h after step s
// A row b is active at step s while s < lengths[b]; an inactive row carries its state
// unchanged and passes gradients straight through.
import { sigmoidScalar } from './activations.js';
import { carriedPastEnd, zeroedPastEnd } from './sequence.js';
import type { Buf, IndexBuf } from './types.js';

/** Where each gate's block sits in a pre-activation row (−1: the gate is absent), and the switches. */
export interface LstmLayout {
  hiddenSize: number;
  /** G·H: the width of a pre-activation row. */
  width: number;
  f: number;
  i: number;
  g: number;
  o: number;
  coupled: boolean;
  peephole: boolean;
  inputActivation: boolean;
  outputActivation: boolean;
}

export interface LstmBuffers {
  pre: Buf;
  /** [G·H] the summed bias, or null. */
  bias: Buf | null;
  act: Buf;
  cs: Buf;
  tcs: Buf;
  hs: Buf;
  /** Peephole weights [H] each, or null. */
  pI: Buf | null;
  pF: Buf | null;
  pO: Buf | null;
}

export interface LstmGradBuffers {
  /** [T, B, G·H] written for step s. */
  dPre: Buf;
  /** [B, H] ∂L/∂h_s in; left as is (the caller forms ∂L/∂h_{s−1}). */
  dh: Buf;
  /** [B, H] ∂L/∂c_s in, ∂L/∂c_{s−1} out. */
  dc: Buf;
  /** [B, 4H] gradient reaching f, i, o of this step from the next step's gate recurrence (FGR), or null. */
  dGateRecurrent: Buf | null;
  /** Peephole gradients [H] each (accumulated), or null. */
  dpI: Buf | null;
  dpF: Buf | null;
  dpO: Buf | null;
}

export function lstmStepForward(b: LstmBuffers, L: LstmLayout, s: number, rows: number, lengths: IndexBuf): void {
  const H = L.hiddenSize,
    W = L.width;
  const { pre, bias, act, cs, tcs, hs, pI, pF, pO } = b;
  const fAt = L.f,
    iAt = L.i,
    gAt = L.g,
    oAt = L.o;
  const { coupled, inputActivation, outputActivation } = L;
  for (let r = 0; r < rows; r++) {
    const cPrev = (s * rows + r) * H,
      cNext = cPrev + rows * H;
    if (carriedPastEnd(s, lengths[r], H, cNext, cPrev, hs, cs)) continue;
    const p = (s * rows + r) * W,
      a = (s * rows + r) * 4 * H,
      t = (s * rows + r) * H;
    for (let j = 0; j < H; j++) {
      const cp = cs[cPrev + j];
      const f =
        fAt < 0
          ? 1
          : sigmoidScalar(pre[p + fAt + j] + (bias === null ? 0 : bias[fAt + j]) + (pF === null ? 0 : pF[j] * cp));
      const i = coupled
        ? 1 - f
        : iAt < 0
          ? 1
          : sigmoidScalar(pre[p + iAt + j] + (bias === null ? 0 : bias[iAt + j]) + (pI === null ? 0 : pI[j] * cp));
      const ag = pre[p + gAt + j] + (bias === null ? 0 : bias[gAt + j]);
      const g = inputActivation ? Math.tanh(ag) : ag;
      const c = f * cp + i * g;
      const o =
        oAt < 0
          ? 1
          : sigmoidScalar(pre[p + oAt + j] + (bias === null ? 0 : bias[oAt + j]) + (pO === null ? 0 : pO[j] * c));
      const tc = outputActivation ? Math.tanh(c) : c;
      act[a + j] = f;
      act[a + H + j] = i;
      act[a + 2 * H + j] = g;
      act[a + 3 * H + j] = o;
      cs[cNext + j] = c;
      tcs[t + j] = tc;
      hs[cNext + j] = o * tc;
    }
  }
}

export function lstmStepBackward(
  b: LstmBuffers,
  d: LstmGradBuffers,
  L: LstmLayout,
  s: number,
  rows: number,
  lengths: IndexBuf,
): void {
  const H = L.hiddenSize,
    W = L.width;
  const { act, cs, tcs, pI, pF, pO } = b;
  const { dPre, dh, dc, dGateRecurrent: dRec, dpI, dpF, dpO } = d;
  for (let r = 0; r < rows; r++) {
    const p = (s * rows + r) * W;
    if (zeroedPastEnd(s, lengths[r], p, W, dPre)) continue;
    const a = (s * rows + r) * 4 * H,
      t = (s * rows + r) * H,
      cPrev = t,
      cNow = t + rows * H,
      q = r * H;
    for (let j = 0; j < H; j++) {
      const f = act[a + j],
        i = act[a + H + j],
        g = act[a + 2 * H + j],
        o = act[a + 3 * H + j];
      const cp = cs[cPrev + j],
        c = cs[cNow + j],
        tc = tcs[t + j];
      const dhj = dh[q + j];
      let dO = dhj * tc;
      let dC = dc[q + j] + dhj * o * (L.outputActivation ? 1 - tc * tc : 1);
      let dF = 0,
        dI = 0;
      if (dRec !== null) {
        const x = r * 4 * H + j;
        dF = dRec[x];
        dI = dRec[x + H];
        dO += dRec[x + 3 * H];
      }
      const daO = L.o < 0 ? 0 : dO * o * (1 - o);
      if (pO !== null) {
        dC += daO * pO[j];
        dpO![j] += daO * c;
      }
      dF += dC * cp;
      dI += dC * g;
      const dG = dC * i;
      let dCp = dC * f;
      if (L.coupled) dF -= dI;
      const daI = L.coupled || L.i < 0 ? 0 : dI * i * (1 - i);
      const daF = L.f < 0 ? 0 : dF * f * (1 - f);
      if (pF !== null) {
        dCp += daF * pF[j];
        dpF![j] += daF * cp;
      }
      if (pI !== null) {
        dCp += daI * pI[j];
        dpI![j] += daI * cp;
      }
      if (L.f >= 0) dPre[p + L.f + j] = daF;
      if (L.i >= 0) dPre[p + L.i + j] = daI;
      dPre[p + L.g + j] = L.inputActivation ? dG * (1 - g * g) : dG;
      if (L.o >= 0) dPre[p + L.o + j] = daO;
      dc[q + j] = dCp;
    }
  }
}
