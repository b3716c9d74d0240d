// The fused GRU over a whole sequence, in both forms (kernels/gruCell.ts): one tape entry.
//
//   xp = xs · W_x + b_ih                      all T steps at once, [T·B, I] × [I, 3H]
//   reset after, each step s:
//     hp[s] = h_{s−1} · W_h + b_hh            one GEMM, [B, H] × [H, 3H]
//     gruStepForward                          r, z, n, h
//   reset before, each step s:
//     hp[s]_{r,z} = h_{s−1} · W_h,{r,z}       [B, H] × [H, 2H]
//     r, z, and r ⊙ h_{s−1}
//     hp[s]_n = (r ⊙ h_{s−1}) · W_h,n         [B, H] × [H, H]
//     n, h
//
// Backward walks the steps in reverse; the weight gradients are GEMMs over all T·B rows
// after the loop: ∂W_x = xsᵀ ∂xp, ∂W_h = hsᵀ ∂hp (reset before: (r ⊙ h)ᵀ ∂hp for the n block).
// W: [I+H, 3H], blocks r | z | n, rows 0..I−1 on x_t and I..I+H−1 on h_{t−1}.
import { alloc, type DType, type Tape, type TapeEntry, type Tensor } from '../../core/index.js';
import { addRowAt, axpy } from '../../kernels/elementwise.js';
import { gemm } from '../../kernels/gemm.js';
import { gemmPrepacked, packB, panelSize } from '../../kernels/gemmPanels.js';
import {
  gruBeforeGatesBackward, gruBeforeGatesForward, gruBeforeOutputBackward, gruBeforeOutputForward,
  gruStepBackward, gruStepForward, type GruBuffers, type GruGradBuffers,
} from '../../kernels/gruCell.js';
import { rowSum } from '../../kernels/reduce.js';
import { addOutputGrads } from '../../kernels/sequence.js';
import { beginPass, endPass, SequenceWorkspace, type PassSizes } from './common.js';
import type { WorkspacePool } from './workspace.js';

export interface GruParams {
  W: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
}

export class GruWorkspace extends SequenceWorkspace {
  readonly buffers: GruBuffers;
  readonly grads: GruGradBuffers;
  readonly dhPair: [ReturnType<typeof alloc>, ReturnType<typeof alloc>];

  constructor(T: number, B: number, dtype: DType, readonly hidden: number, I: number) {
    super(T, B, dtype, I, hidden, false, 3);
    const H = hidden;
    this.buffers = {
      xp: alloc(dtype, T * B * 3 * H), hp: alloc(dtype, T * B * 3 * H), act: alloc(dtype, T * B * 3 * H),
      rh: alloc(dtype, T * B * H), hs: this.hs,
    };
    this.dhPair = [alloc(dtype, B * H), alloc(dtype, B * H)];
    this.grads = {
      dXp: alloc(dtype, T * B * 3 * H), dHp: alloc(dtype, T * B * 3 * H),
      dh: this.dhPair[0], dhPrev: this.dhPair[1], dRh: alloc(dtype, B * H),
    };
  }
}

interface GruSaved { ws: GruWorkspace; generation: number; params: GruParams; sizes: PassSizes; resetAfter: boolean }

export function gruSequence(
  tape: Tape | null, pool: WorkspacePool<GruWorkspace>, resetAfter: boolean, params: GruParams,
  x: Tensor, h0: Tensor, lengths: ArrayLike<number> | null, reverse: boolean,
): { y: Tensor; h: Tensor; c: null } {
  const H = params.W.shape[1] / 3, I = params.W.shape[0] - H, G = 3 * H;
  const start = beginPass('gru (fused)', tape, pool, x, { h0 }, [params.W, params.bIh, params.bHh], I, H, lengths, reverse);
  const { ws, sizes: { T, B } } = start;
  const buf = ws.buffers, W = params.W.data, wH = I * G;

  gemm(buf.xp, ws.xs, W, T * B, G, I, false, false, 0, 0, 0, 0, G, I, G, ws.work);
  // Reset after: W_h packed whole; reset before: its r, z columns, then its n columns after them.
  const nAt = panelSize(2 * H, H);
  if (resetAfter) packB(ws.panels, 0, W, G, H, false, wH, G);
  else {
    packB(ws.panels, 0, W, 2 * H, H, false, wH, G);
    packB(ws.panels, nAt, W, H, H, false, wH + 2 * H, G);
  }
  if (params.bIh !== null) addRowAt(buf.xp, 0, params.bIh.data, T * B, G);
  for (let s = 0; s < T; s++) {
    const at = s * B * G;
    if (resetAfter) {
      gemmPrepacked(buf.hp, buf.hs, B, H, false, s * B * H, H, ws.panels, 0, G, 0, at, G, ws.stepAt);
      if (params.bHh !== null) addRowAt(buf.hp, at, params.bHh.data, B, G);
      gruStepForward(buf, H, s, B, ws.lengths);
    } else {
      gemmPrepacked(buf.hp, buf.hs, B, H, false, s * B * H, H, ws.panels, 0, 2 * H, 0, at, G, ws.stepAt);
      if (params.bHh !== null) addRowAt(buf.hp, at, params.bHh.data, B, 2 * H, G);
      gruBeforeGatesForward(buf, H, s, B, ws.lengths);
      gemmPrepacked(buf.hp, buf.rh, B, H, false, s * B * H, H, ws.panels, nAt, H, 0, at + 2 * H, G, ws.stepAt);
      if (params.bHh !== null) addRowAt(buf.hp, at + 2 * H, params.bHh.data, B, H, G, 2 * H);
      gruBeforeOutputForward(buf, H, s, B, ws.lengths);
    }
  }

  const out = endPass(tape, start, gruSequenceBackward, { ws, generation: ws.generation, params, sizes: start.sizes, resetAfter });
  return { y: out.y, h: out.h, c: null };
}

function gruSequenceBackward(e: TapeEntry<GruSaved>): void {
  const { ws, generation, params, sizes, resetAfter } = e.saved;
  ws.checkGeneration(generation, 'gru (fused) backward');
  const { T, B, I, H } = sizes;
  const G = 3 * H, wH = I * G;
  const [x, h0] = e.inputs;
  const { y, h } = ws.outputs;
  const buf = ws.buffers, g = ws.grads, W = params.W.data;

  // Reset after: W_hᵀ packed whole; reset before: W_h,nᵀ, then W_h,{r,z}ᵀ after it.
  const rzAt = panelSize(H, H);
  if (resetAfter) packB(ws.panels, 0, W, H, G, true, wH, G);
  else {
    packB(ws.panels, 0, W, H, H, true, wH + 2 * H, G);
    packB(ws.panels, rzAt, W, H, 2 * H, true, wH, G);
  }
  let [dh, dhPrev] = ws.dhPair;
  dh.fill(0);
  if (h.grad !== null) dh.set(h.grad);
  for (let s = T - 1; s >= 0; s--) {
    if (y.grad !== null) addOutputGrads(dh, y.grad, ws.rowOf, ws.lengths, s, B, H);
    g.dh = dh;
    g.dhPrev = dhPrev;
    const at = s * B * G;
    if (resetAfter) {
      gruStepBackward(buf, g, H, s, B, ws.lengths);
      gemmPrepacked(dhPrev, g.dHp, B, G, false, at, G, ws.panels, 0, H, 1, 0, H, ws.stepAt);
    } else {
      gruBeforeOutputBackward(buf, g, H, s, B, ws.lengths);
      gemmPrepacked(g.dRh, g.dHp, B, H, false, at + 2 * H, G, ws.panels, 0, H, 0, 0, H, ws.stepAt);
      gruBeforeGatesBackward(buf, g, H, s, B, ws.lengths);
      gemmPrepacked(dhPrev, g.dHp, B, 2 * H, false, at, G, ws.panels, rzAt, H, 1, 0, H, ws.stepAt);
    }
    [dh, dhPrev] = [dhPrev, dh];
  }
  if (h0.requiresGrad) axpy(h0.ensureGrad(), 1, dh, B * H);

  const rows = T * B;
  if (params.W.requiresGrad) {
    const dW = params.W.ensureGrad();
    gemm(dW, ws.xs, g.dXp, I, G, rows, true, false, 1, 0, 0, 0, G, I, G, ws.work);
    if (resetAfter) gemm(dW, buf.hs, g.dHp, H, G, rows, true, false, 1, wH, 0, 0, G, H, G, ws.work);
    else {
      gemm(dW, buf.hs, g.dHp, H, 2 * H, rows, true, false, 1, wH, 0, 0, G, H, G, ws.work);
      gemm(dW, buf.rh, g.dHp, H, H, rows, true, false, 1, wH + 2 * H, 0, 2 * H, G, H, G, ws.work);
    }
  }
  if (params.bIh !== null && params.bIh.requiresGrad) rowSum(params.bIh.ensureGrad(), g.dXp, rows, G, 1, 1);
  if (params.bHh !== null && params.bHh.requiresGrad) rowSum(params.bHh.ensureGrad(), g.dHp, rows, G, 1, 1);
  if (x.requiresGrad) {
    gemm(ws.dxs, g.dXp, W, rows, I, G, false, true, 0, 0, 0, 0, I, G, G, ws.work);
    ws.scatterInputGrad(x, sizes);
  }
}
