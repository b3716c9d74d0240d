// The fused LSTM over a whole sequence: one tape entry for the pass.
//
//   pre = xs · W_x                all T steps at once: one [T·B, I] × [I, G·H] GEMM
//   for each step s:
//     pre[s] += h_{s−1} · W_h     the one GEMM inside the time loop, [B, H] × [H, G·H],
//                                 with W_h packed once before the loop (and W_hᵀ before backward's)
//     (FGR: pre[s] += [f,i,o]_{s−1} · W_fgr)
//     lstmStepForward             adds b = b_ih + b_hh; gates, c, tanh(c), h in one pointwise pass
//
// Backward runs the steps in reverse with lstmStepBackward and one GEMM per step for
// ∂h_{s−1} = ∂pre[s] · W_hᵀ, then forms the weight gradients once for all steps:
// ∂W_x = xsᵀ · ∂pre and ∂W_h = hsᵀ · ∂pre over all T·B rows.
//
// W: [I+H, G·H], rows 0..I−1 act on x_t and rows I..I+H−1 on h_{t−1}. xs holds the
// input in step order (each sequence reversed within its length for the backward direction).
import { alloc, type DType, type Tape, type TapeEntry, type Tensor } from '../../core/index.js';
import { axpy } from '../../kernels/elementwise.js';
import { gemm } from '../../kernels/gemm.js';
import { gemmPrepacked, packB } from '../../kernels/gemmPanels.js';
import { lstmStepBackward, lstmStepForward, type LstmBuffers, type LstmGradBuffers, type LstmLayout } from '../../kernels/lstmCell.js';
import { rowSum } from '../../kernels/reduce.js';
import { addOutputGrads, carryInactive } from '../../kernels/sequence.js';
import { beginPass, endPass, SequenceWorkspace, type PassSizes } from './common.js';
import type { WorkspacePool } from './workspace.js';

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
  readonly dhPair: [ReturnType<typeof alloc>, ReturnType<typeof alloc>];
  /** [B, 4H] gradient reaching the gates from the next step's gate recurrence (FGR only). */
  readonly dRec: ReturnType<typeof alloc> | null;
  /** [G·H] b_ih + b_hh for the pass. */
  readonly biasSum: ReturnType<typeof alloc>;

  constructor(T: number, B: number, dtype: DType, readonly layout: LstmLayout, I: number, gateRecurrence: boolean) {
    const H = layout.hidden, W = layout.width;
    super(T, B, dtype, I, H, true, W / H);
    this.buffers = {
      pre: alloc(dtype, T * B * W), act: alloc(dtype, T * B * 4 * H),
      cs: this.cs!, tcs: alloc(dtype, T * B * H), hs: this.hs,
      bias: null, pI: null, pF: null, pO: null,
    };
    this.biasSum = alloc(dtype, W);
    this.dhPair = [alloc(dtype, B * H), alloc(dtype, B * H)];
    this.dRec = gateRecurrence ? alloc(dtype, B * 4 * H) : null;
    this.grads = {
      dPre: alloc(dtype, T * B * W), dh: this.dhPair[0], dc: alloc(dtype, B * H),
      dGateRecurrent: this.dRec, dpI: null, dpF: null, dpO: null,
    };
  }
}

interface LstmSaved { ws: LstmWorkspace; generation: number; params: LstmParams; sizes: PassSizes }

export interface LstmPass {
  y: Tensor;
  h: Tensor;
  c: Tensor;
}

/** Run the fused LSTM over x [T, B, I] from h0, c0 [B, H]; the pool must make workspaces for this layout. */
export function lstmSequence(
  tape: Tape | null, pool: WorkspacePool<LstmWorkspace>, layout: LstmLayout, params: LstmParams,
  x: Tensor, h0: Tensor, c0: Tensor, lengths: ArrayLike<number> | null, reverse: boolean,
): LstmPass {
  const H = layout.hidden, Wd = layout.width, I = params.W.shape[0] - H;
  const { bIh, bHh, pI, pF, pO, fgr } = params;
  const start = beginPass('lstm (fused)', tape, pool, x, { h0, c0 }, [params.W, bIh, bHh, pI, pF, pO, fgr], I, H, lengths, reverse);
  const { ws, sizes: { T, B } } = start;
  const buf = ws.buffers;
  buf.pI = pI?.data ?? null;
  buf.pF = pF?.data ?? null;
  buf.pO = pO?.data ?? null;
  const W = params.W.data;

  buf.bias = sumBiases(ws.biasSum, bIh, bHh);
  gemm(buf.pre, ws.xs, W, T * B, Wd, I, false, false, 0, 0, 0, 0, Wd, I, Wd, ws.work);
  packB(ws.panels, 0, W, Wd, H, false, I * Wd, Wd);
  for (let s = 0; s < T; s++) {
    gemmPrepacked(buf.pre, buf.hs, B, H, false, s * B * H, H, ws.panels, 0, Wd, 1, s * B * Wd, Wd, ws.stepAt);
    if (fgr !== null && s > 0) gateRecurrenceForward(buf, fgr.data, s, B, H);
    lstmStepForward(buf, layout, s, B, ws.lengths);
  }

  const out = endPass(tape, start, lstmSequenceBackward, { ws, generation: ws.generation, params, sizes: start.sizes });
  return { y: out.y, h: out.h, c: out.c! };
}

/** b_ih + b_hh into sum (either may be absent); null when there is no bias. */
function sumBiases(sum: LstmBuffers['pre'], bIh: Tensor | null, bHh: Tensor | null): LstmBuffers['pre'] | null {
  if (bIh === null && bHh === null) return null;
  sum.fill(0);
  if (bIh !== null) axpy(sum, 1, bIh.data, sum.length);
  if (bHh !== null) axpy(sum, 1, bHh.data, sum.length);
  return sum;
}

// Full gate recurrence: the f, i, o pre-activations of step s also see f, i, o of step s−1.
// act rows are [f | i | g | o] (4H wide), pre rows [f | i | c | o], W_fgr rows and columns [f | i | o].
function gateRecurrenceForward(buf: LstmBuffers, fgr: LstmBuffers['pre'], s: number, B: number, H: number): void {
  const prevAct = (s - 1) * B * 4 * H, pre = s * B * 4 * H;
  for (const [src, fgrRow] of [[0, 0], [3 * H, 2 * H]] as const) {
    const width = src === 0 ? 2 * H : H;
    gemm(buf.pre, buf.act, fgr, B, 2 * H, width, false, false, 1, pre, prevAct + src, fgrRow * 3 * H, 4 * H, 4 * H, 3 * H);
    gemm(buf.pre, buf.act, fgr, B, H, width, false, false, 1, pre + 3 * H, prevAct + src, fgrRow * 3 * H + 2 * H, 4 * H, 4 * H, 3 * H);
  }
}

function lstmSequenceBackward(e: TapeEntry<LstmSaved>): void {
  const { ws, generation, params, sizes } = e.saved;
  ws.checkGeneration(generation, 'lstm (fused) backward');
  const { T, B, I, H } = sizes;
  const Wd = ws.layout.width;
  const [x, h0, c0] = e.inputs;
  const { y, h, c } = ws.outputs;
  const buf = ws.buffers, g = ws.grads;
  const W = params.W.data;

  let [dh, dhNext] = ws.dhPair;
  dh.fill(0);
  g.dc.fill(0);
  if (h.grad !== null) dh.set(h.grad);
  if (c!.grad !== null) g.dc.set(c!.grad);
  g.dpI = params.pI?.ensureGrad() ?? null;
  g.dpF = params.pF?.ensureGrad() ?? null;
  g.dpO = params.pO?.ensureGrad() ?? null;
  const dRec = ws.dRec;
  packB(ws.panels, 0, W, H, Wd, true, I * Wd, Wd);
  for (let s = T - 1; s >= 0; s--) {
    if (y.grad !== null) addOutputGrads(dh, y.grad, ws.rowOf, ws.lengths, s, B, H);
    g.dh = dh;
    if (dRec !== null) {
      dRec.fill(0);
      if (s < T - 1) gateRecurrenceBackward(dRec, g.dPre, params.fgr!.data, s + 1, B, H);
    }
    lstmStepBackward(buf, g, ws.layout, s, B, ws.lengths);
    gemmPrepacked(dhNext, g.dPre, B, Wd, false, s * B * Wd, Wd, ws.panels, 0, H, 0, 0, H, ws.stepAt);
    carryInactive(dhNext, dh, ws.lengths, s, B, H);
    [dh, dhNext] = [dhNext, dh];
  }
  if (h0.requiresGrad) axpy(h0.ensureGrad(), 1, dh, B * H);
  if (c0.requiresGrad) axpy(c0.ensureGrad(), 1, g.dc, B * H);

  const rows = T * B;
  if (params.W.requiresGrad) {
    const dW = params.W.ensureGrad();
    gemm(dW, ws.xs, g.dPre, I, Wd, rows, true, false, 1, 0, 0, 0, Wd, I, Wd, ws.work);
    gemm(dW, buf.hs, g.dPre, H, Wd, rows, true, false, 1, I * Wd, 0, 0, Wd, H, Wd, ws.work);
  }
  const biases = [params.bIh, params.bHh].filter((b) => b !== null && b.requiresGrad);
  if (biases.length > 0) {
    // Both biases get the same gradient, Σ over rows of ∂pre: summed once (biasSum is free after forward).
    rowSum(ws.biasSum, g.dPre, rows, Wd, 1, 0);
    for (const b of biases) axpy(b!.ensureGrad(), 1, ws.biasSum, Wd);
  }
  if (params.fgr !== null && params.fgr.requiresGrad && T > 1) gateRecurrenceWeightGrad(params.fgr.ensureGrad(), buf.act, g.dPre, T, B, H);
  if (x.requiresGrad) {
    gemm(ws.dxs, g.dPre, W, rows, I, Wd, false, true, 0, 0, 0, 0, I, Wd, Wd, ws.work);
    ws.scatterInputGrad(x, sizes);
  }
}

// ∂[f,i,o]_{s−1} = ∂pre[s]_{f,i,o} · W_fgrᵀ, written into dRec ([B, 4H], act layout).
function gateRecurrenceBackward(dRec: LstmBuffers['pre'], dPre: LstmBuffers['pre'], fgr: LstmBuffers['pre'], s: number, B: number, H: number): void {
  const pre = s * B * 4 * H;
  for (const [dst, fgrRow, width] of [[0, 0, 2 * H], [3 * H, 2 * H, H]] as const) {
    gemm(dRec, dPre, fgr, B, width, 2 * H, false, true, 1, dst, pre, fgrRow * 3 * H, 4 * H, 4 * H, 3 * H);
    gemm(dRec, dPre, fgr, B, width, H, false, true, 1, dst, pre + 3 * H, fgrRow * 3 * H + 2 * H, 4 * H, 4 * H, 3 * H);
  }
}

// ∂W_fgr += [f,i,o]_{s−1}ᵀ · ∂pre[s]_{f,i,o} summed over s = 1..T−1: act rows 0..(T−1)B, ∂pre rows B..TB.
function gateRecurrenceWeightGrad(dFgr: LstmBuffers['pre'], act: LstmBuffers['pre'], dPre: LstmBuffers['pre'], T: number, B: number, H: number): void {
  const rows = (T - 1) * B, later = B * 4 * H;
  for (const [src, fgrRow, height] of [[0, 0, 2 * H], [3 * H, 2 * H, H]] as const) {
    gemm(dFgr, act, dPre, height, 2 * H, rows, true, false, 1, fgrRow * 3 * H, src, later, 3 * H, 4 * H, 4 * H);
    gemm(dFgr, act, dPre, height, H, rows, true, false, 1, fgrRow * 3 * H + 2 * H, src, later + 3 * H, 3 * H, 4 * H, 4 * H);
  }
}
