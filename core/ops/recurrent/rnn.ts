// The fused Elman RNN over a whole sequence, with an optional delay d (h_t from h_{t−d}):
//
//   pre = xs · W_x + b                        all T steps at once, [T·B, I] × [I, H]
//   each step s:
//     pre[s] += h_{s−d} · W_h                 one GEMM, [B, H] × [H, H]  (h_{t} = h₀ for t < 0)
//     h_s = act(pre[s])
//
// Backward accumulates ∂L/∂h for every step in dHs (a step's gradient can come from the
// step d later), then ∂W_x = xsᵀ ∂pre and ∂W_h = Σ_s h_{s−d}ᵀ ∂pre[s] as few GEMMs as the delay allows.
import { addRowAt, axpy, rowSum } from '../../../kernels/backend/pointwise.js';
import {
  addRecurrent,
  gemmPacked,
  inputGrads,
  projectInputs,
  StepView,
  view,
  weightGrads,
} from '../../../kernels/backend/matrix.js';
import { addOutputGrads } from '../../../kernels/js/sequence.js';
import { rnnStepKernels } from '../../../kernels/backend/steps.js';
import type { RnnNonlinearity } from '../../../kernels/js/rnnStep.js';
import type { Buf } from '../../../kernels/js/types.js';
import type { DType } from '../../alloc.js';
import type { Tape, TapeEntry } from '../../tape.js';
import type { Tensor } from '../../tensor.js';
import { weightViews } from './lstm.js';
import { beginPass, endPass, SequenceWorkspace, type PassOutputs, type PassSizes } from './sequence.js';
import type { WorkspacePool } from './workspace.js';

/** The Elman RNN's parameter record. */
export interface RnnParams {
  W: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
}

export class RnnWorkspace extends SequenceWorkspace {
  readonly pre: Buf;
  readonly dPre: Buf;
  readonly dHs: Buf;

  constructor(T: number, B: number, dtype: DType, H: number, I: number) {
    super(T, B, dtype, I, H, false, 1);
    this.pre = this.pinned(dtype, T * B * H);
    this.dPre = this.pinned(dtype, T * B * H);
    this.dHs = this.pinned(dtype, (T + 1) * B * H);
  }
}

interface RnnSaved {
  ws: RnnWorkspace;
  generation: number;
  params: RnnParams;
  sizes: PassSizes;
  act: RnnNonlinearity;
  delay: number;
}

/** The slot of hs step s reads: h_{s−d} lives in slot s+1−d, and every earlier time in slot 0 (h₀). */
const sourceSlot = (s: number, delay: number) => Math.max(0, s + 1 - delay);

export function rnnSequence(
  tape: Tape | null,
  pool: WorkspacePool<RnnWorkspace>,
  act: RnnNonlinearity,
  delay: number,
  params: RnnParams,
  x: Tensor,
  h0: Tensor,
  lengths: ArrayLike<number> | null,
  reverse: boolean,
): PassOutputs {
  const H = params.W.shape[1],
    I = params.W.shape[0] - H;
  const start = beginPass(
    'rnn (fused)',
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
  const { Wx, Wh } = weightViews(params.W.data, I, H, H);

  projectInputs(view(ws.pre, T * B, H), view(ws.xs, T * B, I), Wx, ws.work);
  for (const b of [params.bIh, params.bHh]) if (b !== null) addRowAt(ws.pre, 0, b.data, T * B, H);
  const packedWh = ws.packRoom.start().pack(Wh, false);
  const preStep = new StepView(ws.pre, B, H),
    hSource = new StepView(ws.hs, B, H);
  const step = rnnStepKernels(act, [ws.pre, ws.hs]);
  for (let s = 0; s < T; s++) {
    addRecurrent(preStep.at(s), hSource.at(sourceSlot(s, delay)), packedWh);
    step.forward(ws.pre, ws.hs, H, s, B, ws.lengths);
  }

  return endPass(tape, start, rnnSequenceBackward, {
    ws,
    generation: ws.generation,
    params,
    sizes: start.sizes,
    act,
    delay,
  });
}

function rnnSequenceBackward(e: TapeEntry<RnnSaved>): void {
  const { ws, generation, params, sizes, act, delay } = e.saved;
  ws.checkGeneration(generation, 'rnn (fused) backward');
  const { T, B, I, H } = sizes;
  const [x, h0] = e.inputs;
  const [y, h] = e.outs;
  const { Wx, Wh } = weightViews(params.W.data, I, H, H);

  const packedWhT = ws.packRoom.start().pack(Wh, true);
  ws.dHs.fill(0);
  if (h.grad !== null) ws.dHs.set(h.grad, T * B * H);
  const dPreStep = new StepView(ws.dPre, B, H),
    dhSource = new StepView(ws.dHs, B, H);
  const step = rnnStepKernels(act, [ws.dPre, ws.hs, ws.dHs]);
  for (let s = T - 1; s >= 0; s--) {
    if (y.grad !== null) addOutputGrads(ws.dHs, y.grad, ws.rowOf, ws.lengths, s, B, H, (s + 1) * B * H);
    step.backward(ws.dPre, ws.hs, ws.dHs, H, s, B, ws.lengths);
    gemmPacked(dhSource.at(sourceSlot(s, delay)), dPreStep.at(s), packedWhT, 1); // ∂h_{s−d} += ∂pre[s] · W_hᵀ
  }
  if (h0.requiresGrad) axpy(h0.ensureGrad(), 1, ws.dHs, B * H);

  const all = T * B,
    dPre = view(ws.dPre, all, H);
  if (params.W.requiresGrad) {
    const dW = weightViews(params.W.ensureGrad(), I, H, H);
    weightGrads(dW.Wx, view(ws.xs, all, I), dPre, ws.work);
    // Steps d−1.. read slots 0.. in order: one GEMM; earlier steps all read slot 0 (h₀).
    const first = Math.min(delay - 1, T);
    if (first < T)
      weightGrads(dW.Wh, view(ws.hs, (T - first) * B, H), view(ws.dPre, (T - first) * B, H, first * B * H), ws.work);
    for (let s = 0; s < first; s++) weightGrads(dW.Wh, view(ws.hs, B, H), view(ws.dPre, B, H, s * B * H), null);
  }
  for (const b of [params.bIh, params.bHh])
    if (b !== null && b.requiresGrad) rowSum(b.ensureGrad(), ws.dPre, all, H, 1, 1);
  if (x.requiresGrad) {
    inputGrads(view(ws.dxs, all, I), dPre, Wx, ws.work);
    ws.scatterInputGrad(x, sizes);
  }
}
