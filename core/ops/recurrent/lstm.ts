// The fused LSTM over a whole sequence, as one op: kernels plus one tape entry for the pass.
// The step's equations, forward beside backward, open kernels/js/lstmStep.ts.
//
//   pre = xs · W_x                all T steps at once: one [T·B, I] × [I, G·H] GEMM
//   for each step s:
//     pre[s] += h_{s−1} · W_h     the one GEMM inside the time loop, [B, H] × [H, G·H],
//                                 with W_h packed once before the loop (and W_hᵀ before backward's)
//     (fgr: pre[s] += [f,i,o]_{s−1} · W_fgr)
//     the step kernel             adds b = b_ih + b_hh; gates, c, tanh(c), h in one pointwise pass
//                                 (kernels/js/lstmStep.ts, or its wasm twin: kernels/backend/steps.ts)
//
// Backward runs the steps in reverse with the step kernel's backward and one GEMM per step for
// ∂h_{s−1} = ∂pre[s] · W_hᵀ, then forms the weight gradients once for all steps:
// ∂W_x = xsᵀ · ∂pre and ∂W_h = hsᵀ · ∂pre over all T·B rows.
//
// W: [I+H, G·H], rows 0..I−1 act on x_t and rows I..I+H−1 on h_{t−1}. xs holds the
// input in step order (each sequence reversed within its length for the backward direction).
import { axpy, rowSum } from '../../../kernels/backend/pointwise.js';
import type { LstmBuffers, LstmGradBuffers, LstmLayout } from '../../../kernels/js/lstmStep.js';
import {
  addRecurrent,
  columns,
  gemm,
  gemmPacked,
  inputGrads,
  projectInputs,
  rows,
  StepView,
  view,
  weightGrads,
  type MatrixView,
} from '../../../kernels/backend/matrix.js';
import { addOutputGrads, carryInactive } from '../../../kernels/js/sequence.js';
import { lstmStepKernels } from '../../../kernels/backend/steps.js';
import type { Buf } from '../../../kernels/js/types.js';
import type { DType } from '../../alloc.js';
import type { Tape, TapeEntry } from '../../tape.js';
import type { Tensor } from '../../tensor.js';
import { beginPass, endPass, SequenceWorkspace, type PassSizes } from './sequence.js';
import type { WorkspacePool } from './workspace.js';

/** The LSTM's parameter record: the packed weight, biases, peepholes, gate recurrence. */
export interface LstmParams {
  W: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
  pI: Tensor | null;
  pF: Tensor | null;
  pO: Tensor | null;
  /** Full gate recurrence [3H, 3H]: previous f, i, o → f, i, o pre-activations. */
  fgr: Tensor | null;
}

export class LstmWorkspace extends SequenceWorkspace {
  readonly buffers: LstmBuffers;
  readonly grads: LstmGradBuffers;
  /** The two [B, H] buffers ∂h_s and ∂h_{s−1} alternate between. */
  readonly dhPair: [Buf, Buf];
  /** [B, 4H] gradient reaching the gates from the next step's gate recurrence (fgr only). */
  readonly dRec: Buf | null;
  /** [G·H] b_ih + b_hh for the pass. */
  readonly biasSum: Buf;

  constructor(
    T: number,
    B: number,
    dtype: DType,
    readonly layout: LstmLayout,
    I: number,
    gateRecurrence: boolean,
  ) {
    const H = layout.hiddenSize,
      W = layout.width;
    super(T, B, dtype, I, H, true, W / H);
    this.buffers = {
      pre: this.pinned(dtype, T * B * W),
      act: this.pinned(dtype, T * B * 4 * H),
      cs: this.cs!,
      tcs: this.pinned(dtype, T * B * H),
      hs: this.hs,
      bias: null,
      pI: null,
      pF: null,
      pO: null,
    };
    this.biasSum = this.pinned(dtype, W);
    this.dhPair = [this.pinned(dtype, B * H), this.pinned(dtype, B * H)];
    this.dRec = gateRecurrence ? this.pinned(dtype, B * 4 * H) : null;
    this.grads = {
      dPre: this.pinned(dtype, T * B * W),
      dh: this.dhPair[0],
      dc: this.pinned(dtype, B * H),
      dGateRecurrent: this.dRec,
      dpI: null,
      dpF: null,
      dpO: null,
    };
  }
}

interface LstmSaved {
  ws: LstmWorkspace;
  generation: number;
  params: LstmParams;
  sizes: PassSizes;
}

/** The pass's outputs: y [T, B, H], the final h and c [B, H], all fresh. */
export interface LstmPass {
  y: Tensor;
  h: Tensor;
  c: Tensor;
}

/** The packed weight (or its gradient) as views: W_x its first I rows, W_h the H rows after them. */
export function weightViews(W: Buf, I: number, H: number, width: number): { Wx: MatrixView; Wh: MatrixView } {
  const all = view(W, I + H, width);
  return { Wx: rows(all, 0, I), Wh: rows(all, I, H) };
}

/** Run the fused LSTM over x [T, B, I] from h0, c0 [B, H]; the pool must make workspaces for this layout. */
export function lstmSequence(
  tape: Tape | null,
  pool: WorkspacePool<LstmWorkspace>,
  layout: LstmLayout,
  params: LstmParams,
  x: Tensor,
  h0: Tensor,
  c0: Tensor,
  lengths: ArrayLike<number> | null,
  reverse: boolean,
): LstmPass {
  const H = layout.hiddenSize,
    Wd = layout.width,
    I = params.W.shape[0] - H;
  const { bIh, bHh, pI, pF, pO, fgr } = params;
  const start = beginPass(
    'lstm (fused)',
    tape,
    pool,
    x,
    { h0, c0 },
    [params.W, bIh, bHh, pI, pF, pO, fgr],
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
  buf.pI = pI?.data ?? null;
  buf.pF = pF?.data ?? null;
  buf.pO = pO?.data ?? null;
  const { Wx, Wh } = weightViews(params.W.data, I, H, Wd);

  buf.bias = sumBiases(ws.biasSum, bIh, bHh);
  projectInputs(view(buf.pre, T * B, Wd), view(ws.xs, T * B, I), Wx, ws.work);
  const packedWh = ws.packRoom.start().pack(Wh, false);
  const preStep = new StepView(buf.pre, B, Wd),
    hPrev = new StepView(buf.hs, B, H);
  const step = lstmStepKernels(layout, buf, fgr !== null, null);
  for (let s = 0; s < T; s++) {
    addRecurrent(preStep.at(s), hPrev.at(s), packedWh);
    if (fgr !== null && s > 0) gateRecurrenceForward(buf, fgr.data, s, B, H);
    step.forward(buf, s, B, ws.lengths);
  }

  const out = endPass(tape, start, lstmSequenceBackward, { ws, generation: ws.generation, params, sizes: start.sizes });
  return { y: out.y, h: out.h, c: out.c! };
}

/** b_ih + b_hh into sum (either may be absent); null when there is no bias. */
function sumBiases(sum: Buf, bIh: Tensor | null, bHh: Tensor | null): Buf | null {
  if (bIh === null && bHh === null) return null;
  sum.fill(0);
  if (bIh !== null) axpy(sum, 1, bIh.data, sum.length);
  if (bHh !== null) axpy(sum, 1, bHh.data, sum.length);
  return sum;
}

// Full gate recurrence: the f, i, o pre-activations of step s also see f, i, o of step s−1.
// act rows are [f | i | g | o] (4H wide), pre rows [f | i | g | o], W_fgr rows and columns [f | i | o].
// Each product takes one source block (f,i or o) against the matching rows of W_fgr.
function fgrBlocks(
  act: Buf,
  fgr: Buf,
  actRow: number,
  B: number,
  H: number,
): { gates: MatrixView; weights: MatrixView }[] {
  const previous = view(act, B, 4 * H, actRow);
  const W = view(fgr, 3 * H, 3 * H);
  return [
    { gates: columns(previous, 0, 2 * H), weights: rows(W, 0, 2 * H) },
    { gates: columns(previous, 3 * H, H), weights: rows(W, 2 * H, H) },
  ];
}

function gateRecurrenceForward(buf: LstmBuffers, fgr: Buf, s: number, B: number, H: number): void {
  const pre = view(buf.pre, B, 4 * H, s * B * 4 * H);
  for (const { gates, weights } of fgrBlocks(buf.act, fgr, (s - 1) * B * 4 * H, B, H)) {
    gemm(columns(pre, 0, 2 * H), gates, columns(weights, 0, 2 * H), false, false, 1);
    gemm(columns(pre, 3 * H, H), gates, columns(weights, 2 * H, H), false, false, 1);
  }
}

function lstmSequenceBackward(e: TapeEntry<LstmSaved>): void {
  const { ws, generation, params, sizes } = e.saved;
  ws.checkGeneration(generation, 'lstm (fused) backward');
  const { T, B, I, H } = sizes;
  const Wd = ws.layout.width;
  const [x, h0, c0] = e.inputs;
  const [y, h, c] = e.outs;
  const buf = ws.buffers,
    g = ws.grads;
  const { Wx, Wh } = weightViews(params.W.data, I, H, Wd);

  let [dh, dhNext] = ws.dhPair;
  let [dhView, dhNextView] = [view(dh, B, H), view(dhNext, B, H)];
  dh.fill(0);
  g.dc.fill(0);
  if (h.grad !== null) dh.set(h.grad);
  if (c.grad !== null) g.dc.set(c.grad);
  g.dpI = params.pI?.ensureGrad() ?? null;
  g.dpF = params.pF?.ensureGrad() ?? null;
  g.dpO = params.pO?.ensureGrad() ?? null;
  const dRec = ws.dRec;
  const packedWhT = ws.packRoom.start().pack(Wh, true);
  const dPreStep = new StepView(g.dPre, B, Wd);
  const step = lstmStepKernels(ws.layout, buf, dRec !== null, g, ws.dhPair);
  for (let s = T - 1; s >= 0; s--) {
    if (y.grad !== null) addOutputGrads(dh, y.grad, ws.rowOf, ws.lengths, s, B, H);
    g.dh = dh;
    if (dRec !== null) {
      dRec.fill(0);
      if (s < T - 1) gateRecurrenceBackward(dRec, g.dPre, params.fgr!.data, s + 1, B, H);
    }
    step.backward(buf, g, s, B, ws.lengths);
    gemmPacked(dhNextView, dPreStep.at(s), packedWhT, 0); // ∂h_{s−1} = ∂pre[s] · W_hᵀ
    carryInactive(dhNext, dh, ws.lengths, s, B, H);
    [dh, dhNext] = [dhNext, dh];
    [dhView, dhNextView] = [dhNextView, dhView];
  }
  if (h0.requiresGrad) axpy(h0.ensureGrad(), 1, dh, B * H);
  if (c0.requiresGrad) axpy(c0.ensureGrad(), 1, g.dc, B * H);

  const all = T * B,
    dPre = view(g.dPre, all, Wd);
  if (params.W.requiresGrad) {
    const dW = weightViews(params.W.ensureGrad(), I, H, Wd);
    weightGrads(dW.Wx, view(ws.xs, all, I), dPre, ws.work);
    weightGrads(dW.Wh, view(buf.hs, all, H), dPre, ws.work);
  }
  const biases = [params.bIh, params.bHh].filter((b) => b !== null && b.requiresGrad);
  if (biases.length > 0) {
    // Both biases get the same gradient, Σ over rows of ∂pre: summed once (biasSum is free after forward).
    rowSum(ws.biasSum, g.dPre, all, Wd, 1, 0);
    for (const b of biases) axpy(b!.ensureGrad(), 1, ws.biasSum, Wd);
  }
  if (params.fgr !== null && params.fgr.requiresGrad && T > 1)
    gateRecurrenceWeightGrad(params.fgr.ensureGrad(), buf.act, g.dPre, T, B, H);
  if (x.requiresGrad) {
    inputGrads(view(ws.dxs, all, I), dPre, Wx, ws.work);
    ws.scatterInputGrad(x, sizes);
  }
}

// ∂[f,i,o]_{s−1} = ∂pre[s]_{f,i,o} · W_fgrᵀ, written into dRec ([B, 4H], act layout).
function gateRecurrenceBackward(dRec: Buf, dPre: Buf, fgr: Buf, s: number, B: number, H: number): void {
  const dPreS = view(dPre, B, 4 * H, s * B * 4 * H);
  for (const { gates: dGates, weights } of fgrBlocks(dRec, fgr, 0, B, H)) {
    gemm(dGates, columns(dPreS, 0, 2 * H), columns(weights, 0, 2 * H), false, true, 1);
    gemm(dGates, columns(dPreS, 3 * H, H), columns(weights, 2 * H, H), false, true, 1);
  }
}

// ∂W_fgr += [f,i,o]_{s−1}ᵀ · ∂pre[s]_{f,i,o} summed over s = 1..T−1: act rows 0..(T−1)B, ∂pre rows B..TB.
function gateRecurrenceWeightGrad(dFgr: Buf, act: Buf, dPre: Buf, T: number, B: number, H: number): void {
  const later = view(dPre, (T - 1) * B, 4 * H, B * 4 * H);
  for (const { gates, weights: dWeights } of fgrBlocks(act, dFgr, 0, (T - 1) * B, H)) {
    weightGrads(columns(dWeights, 0, 2 * H), gates, columns(later, 0, 2 * H), null);
    weightGrads(columns(dWeights, 2 * H, H), gates, columns(later, 3 * H, H), null);
  }
}
