// The fused GRU over a whole sequence, in both forms (kernels/js/gruStep.ts): one tape entry.
//
//   xp = xs · W_x + b_ih                      all T steps at once, [T·B, I] × [I, 3H]
//   reset after, each step s:
//     hp[s] = h_{s−1} · W_h + b_hh            one GEMM, [B, H] × [H, 3H]
//     the step kernel                         r, z, n, h (TypeScript or wasm: kernels/backend/steps.ts)
//   reset before, each step s:
//     hp[s]_{r,z} = h_{s−1} · W_h,{r,z}       [B, H] × [H, 2H]
//     r, z, and r ⊙ h_{s−1}
//     hp[s]_n = (r ⊙ h_{s−1}) · W_h,n         [B, H] × [H, H]
//     n, h
//
// Backward walks the steps in reverse; the weight gradients are GEMMs over all T·B rows
// after the loop: ∂W_x = xsᵀ ∂xp, ∂W_h = hsᵀ ∂hp (reset before: (r ⊙ h)ᵀ ∂hp for the n block).
// W: [I+H, 3H], blocks r | z | n, rows 0..I−1 on x_t and I..I+H−1 on h_{t−1}.
import { addRowAt, axpy, rowSum } from '../../../kernels/backend/pointwise.js';
import type { GruBuffers, GruGradBuffers } from '../../../kernels/js/gruStep.js';
import {
  columns,
  gemmPacked,
  inputGrads,
  projectInputs,
  StepView,
  view,
  weightGrads,
} from '../../../kernels/backend/matrix.js';
import { addOutputGrads } from '../../../kernels/js/sequence.js';
import { gruStepKernels } from '../../../kernels/backend/steps.js';
import type { Buf } from '../../../kernels/js/types.js';
import type { DType } from '../../alloc.js';
import type { Tape, TapeEntry } from '../../tape.js';
import type { Tensor } from '../../tensor.js';
import { weightViews } from './lstm.js';
import { beginPass, endPass, SequenceWorkspace, type PassOutputs, type PassSizes } from './sequence.js';
import type { WorkspacePool } from './workspace.js';

/** The GRU's parameter record. */
export interface GruParams {
  W: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
}

export class GruWorkspace extends SequenceWorkspace {
  readonly buffers: GruBuffers;
  readonly grads: GruGradBuffers;
  readonly dhPair: [Buf, Buf];

  constructor(
    T: number,
    B: number,
    dtype: DType,
    readonly hiddenSize: number,
    I: number,
  ) {
    super(T, B, dtype, I, hiddenSize, false, 3);
    const H = hiddenSize;
    this.buffers = {
      xp: this.pinned(dtype, T * B * 3 * H),
      hp: this.pinned(dtype, T * B * 3 * H),
      act: this.pinned(dtype, T * B * 3 * H),
      rh: this.pinned(dtype, T * B * H),
      hs: this.hs,
    };
    this.dhPair = [this.pinned(dtype, B * H), this.pinned(dtype, B * H)];
    this.grads = {
      dXp: this.pinned(dtype, T * B * 3 * H),
      dHp: this.pinned(dtype, T * B * 3 * H),
      dh: this.dhPair[0],
      dhPrev: this.dhPair[1],
      dRh: this.pinned(dtype, B * H),
    };
  }
}

/** Which GRU: the reset after the recurrent product (PyTorch) or before it (Cho et al.); z the gate that keeps h₋₁ (PyTorch) or that writes n. */
export interface GruForm {
  resetAfter: boolean;
  zWrites: boolean;
}

interface GruSaved {
  ws: GruWorkspace;
  generation: number;
  params: GruParams;
  sizes: PassSizes;
  form: GruForm;
}

export function gruSequence(
  tape: Tape | null,
  pool: WorkspacePool<GruWorkspace>,
  form: GruForm,
  params: GruParams,
  x: Tensor,
  h0: Tensor,
  lengths: ArrayLike<number> | null,
  reverse: boolean,
): PassOutputs {
  const { resetAfter } = form;
  const H = params.W.shape[1] / 3,
    I = params.W.shape[0] - H,
    G = 3 * H;
  const start = beginPass(
    'gru (fused)',
    tape,
    pool,
    x,
    { h0 },
    [params.W, params.bIh, params.bHh],
    I,
    H,
    lengths,
    reverse,
  );
  const {
    ws,
    sizes: { T, B },
  } = start;
  const buf = ws.buffers;
  const { Wx, Wh } = weightViews(params.W.data, I, H, G);

  projectInputs(view(buf.xp, T * B, G), view(ws.xs, T * B, I), Wx, ws.work);
  // Reset after: W_h packed whole; reset before: its r, z columns, then its n columns after them.
  const room = ws.packRoom.start();
  const packedWh = room.pack(resetAfter ? Wh : columns(Wh, 0, 2 * H), false);
  const packedWhn = resetAfter ? null : room.pack(columns(Wh, 2 * H, H), false);
  if (params.bIh !== null) addRowAt(buf.xp, 0, params.bIh.data, T * B, G);
  const hPrev = new StepView(buf.hs, B, H),
    rhStep = new StepView(buf.rh, B, H);
  const hpStep = new StepView(buf.hp, B, G),
    hpRz = new StepView(buf.hp, B, 2 * H, G),
    hpN = new StepView(buf.hp, B, H, G, 2 * H);
  const step = gruStepKernels(form.zWrites, buf, null);
  for (let s = 0; s < T; s++) {
    const at = s * B * G;
    if (resetAfter) {
      gemmPacked(hpStep.at(s), hPrev.at(s), packedWh, 0);
      if (params.bHh !== null) addRowAt(buf.hp, at, params.bHh.data, B, G);
      step.forward(buf, H, s, B, ws.lengths);
    } else {
      gemmPacked(hpRz.at(s), hPrev.at(s), packedWh, 0);
      if (params.bHh !== null) addRowAt(buf.hp, at, params.bHh.data, B, 2 * H, G);
      step.beforeGatesForward(buf, H, s, B, ws.lengths);
      gemmPacked(hpN.at(s), rhStep.at(s), packedWhn!, 0);
      if (params.bHh !== null) addRowAt(buf.hp, at + 2 * H, params.bHh.data, B, H, G, 2 * H);
      step.beforeOutputForward(buf, H, s, B, ws.lengths);
    }
  }

  return endPass(tape, start, gruSequenceBackward, { ws, generation: ws.generation, params, sizes: start.sizes, form });
}

function gruSequenceBackward(e: TapeEntry<GruSaved>): void {
  const { ws, generation, params, sizes, form } = e.saved;
  const { resetAfter } = form;
  ws.checkGeneration(generation, 'gru (fused) backward');
  const { T, B, I, H } = sizes;
  const G = 3 * H;
  const [x, h0] = e.inputs;
  const [y, h] = e.outs;
  const buf = ws.buffers,
    g = ws.grads;
  const { Wx, Wh } = weightViews(params.W.data, I, H, G);

  // Reset after: W_hᵀ packed whole; reset before: W_h,nᵀ, then W_h,{r,z}ᵀ after it.
  const room = ws.packRoom.start();
  const packedWhT = room.pack(resetAfter ? Wh : columns(Wh, 2 * H, H), true);
  const packedWhRzT = resetAfter ? null : room.pack(columns(Wh, 0, 2 * H), true);
  let [dh, dhPrev] = ws.dhPair;
  let [dhView, dhPrevView] = [view(dh, B, H), view(dhPrev, B, H)];
  const dRh = view(g.dRh, B, H);
  const dHpStep = new StepView(g.dHp, B, G),
    dHpRz = new StepView(g.dHp, B, 2 * H, G),
    dHpN = new StepView(g.dHp, B, H, G, 2 * H);
  dh.fill(0);
  if (h.grad !== null) dh.set(h.grad);
  const step = gruStepKernels(form.zWrites, buf, g, ws.dhPair);
  for (let s = T - 1; s >= 0; s--) {
    if (y.grad !== null) addOutputGrads(dh, y.grad, ws.rowOf, ws.lengths, s, B, H);
    g.dh = dh;
    g.dhPrev = dhPrev;
    if (resetAfter) {
      step.backward(buf, g, H, s, B, ws.lengths);
      gemmPacked(dhPrevView, dHpStep.at(s), packedWhT, 1);
    } else {
      step.beforeOutputBackward(buf, g, H, s, B, ws.lengths);
      gemmPacked(dRh, dHpN.at(s), packedWhT, 0);
      step.beforeGatesBackward(buf, g, H, s, B, ws.lengths);
      gemmPacked(dhPrevView, dHpRz.at(s), packedWhRzT!, 1);
    }
    [dh, dhPrev] = [dhPrev, dh];
    [dhView, dhPrevView] = [dhPrevView, dhView];
  }
  if (h0.requiresGrad) axpy(h0.ensureGrad(), 1, dh, B * H);

  const all = T * B,
    dXp = view(g.dXp, all, G),
    dHp = view(g.dHp, all, G);
  if (params.W.requiresGrad) {
    const dW = weightViews(params.W.ensureGrad(), I, H, G);
    weightGrads(dW.Wx, view(ws.xs, all, I), dXp, ws.work);
    if (resetAfter) weightGrads(dW.Wh, view(buf.hs, all, H), dHp, ws.work);
    else {
      weightGrads(columns(dW.Wh, 0, 2 * H), view(buf.hs, all, H), columns(dHp, 0, 2 * H), ws.work);
      weightGrads(columns(dW.Wh, 2 * H, H), view(buf.rh, all, H), columns(dHp, 2 * H, H), ws.work);
    }
  }
  if (params.bIh !== null && params.bIh.requiresGrad) rowSum(params.bIh.ensureGrad(), g.dXp, all, G, 1, 1);
  if (params.bHh !== null && params.bHh.requiresGrad) rowSum(params.bHh.ensureGrad(), g.dHp, all, G, 1, 1);
  if (x.requiresGrad) {
    inputGrads(view(ws.dxs, all, I), dXp, Wx, ws.work);
    ws.scatterInputGrad(x, sizes);
  }
}
