// The fused Elman RNN over a whole sequence, with an optional delay d (h_t from h_{t−d}):
//
//   pre = xs · W_x + b                        all T steps at once, [T·B, I] × [I, H]
//   each step s:
//     pre[s] += h_{s−d} · W_h                 one GEMM, [B, H] × [H, H]  (h_{t} = h₀ for t < 0)
//     h_s = act(pre[s])
//
// Backward accumulates ∂L/∂h for every step in dHs (a step's gradient can come from the
// step d later), then ∂W_x = xsᵀ ∂pre and ∂W_h = Σ_s h_{s−d}ᵀ ∂pre[s] as few GEMMs as the delay allows.
import { alloc, type DType, type Tape, type TapeEntry, type Tensor } from '../../core/index.js';
import { addRowAt, axpy } from '../../kernels/elementwise.js';
import { gemm } from '../../kernels/gemm.js';
import { gemmPrepacked, packB } from '../../kernels/gemmPanels.js';
import { rowSum } from '../../kernels/reduce.js';
import { rnnStepBackward, rnnStepForward } from '../../kernels/rnnCell.js';
import { addOutputGrads } from '../../kernels/sequence.js';
import { beginPass, endPass, SequenceWorkspace, type PassSizes } from './common.js';
import type { WorkspacePool } from './workspace.js';

export interface RnnParams {
  W: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
}

export class RnnWorkspace extends SequenceWorkspace {
  readonly pre: ReturnType<typeof alloc>;
  readonly dPre: ReturnType<typeof alloc>;
  readonly dHs: ReturnType<typeof alloc>;

  constructor(T: number, B: number, dtype: DType, H: number, I: number) {
    super(T, B, dtype, I, H, false, 1);
    this.pre = alloc(dtype, T * B * H);
    this.dPre = alloc(dtype, T * B * H);
    this.dHs = alloc(dtype, (T + 1) * B * H);
  }
}

interface RnnSaved { ws: RnnWorkspace; generation: number; params: RnnParams; sizes: PassSizes; relu: boolean; delay: number }

/** The slot of hs step s reads: h_{s−d} lives in slot s+1−d, and every earlier time in slot 0 (h₀). */
const sourceSlot = (s: number, delay: number) => Math.max(0, s + 1 - delay);

export function rnnSequence(
  tape: Tape | null, pool: WorkspacePool<RnnWorkspace>, relu: boolean, delay: number, params: RnnParams,
  x: Tensor, h0: Tensor, lengths: ArrayLike<number> | null, reverse: boolean,
): { y: Tensor; h: Tensor; c: null } {
  const H = params.W.shape[1], I = params.W.shape[0] - H;
  const start = beginPass('rnn (fused)', tape, pool, x, { h0 }, [params.W, params.bIh, params.bHh], I, H, lengths, reverse);
  const { ws, sizes: { T, B } } = start;
  const W = params.W.data;

  gemm(ws.pre, ws.xs, W, T * B, H, I, false, false, 0, 0, 0, 0, H, I, H, ws.work);
  for (const b of [params.bIh, params.bHh]) if (b !== null) addRowAt(ws.pre, 0, b.data, T * B, H);
  packB(ws.panels, 0, W, H, H, false, I * H, H);
  for (let s = 0; s < T; s++) {
    gemmPrepacked(ws.pre, ws.hs, B, H, false, sourceSlot(s, delay) * B * H, H, ws.panels, 0, H, 1, s * B * H, H, ws.stepAt);
    rnnStepForward(ws.pre, ws.hs, relu, H, s, B, ws.lengths);
  }

  const out = endPass(tape, start, rnnSequenceBackward, { ws, generation: ws.generation, params, sizes: start.sizes, relu, delay });
  return { y: out.y, h: out.h, c: null };
}

function rnnSequenceBackward(e: TapeEntry<RnnSaved>): void {
  const { ws, generation, params, sizes, relu, delay } = e.saved;
  ws.checkGeneration(generation, 'rnn (fused) backward');
  const { T, B, I, H } = sizes;
  const [x, h0] = e.inputs;
  const { y, h } = ws.outputs;
  const W = params.W.data;

  packB(ws.panels, 0, W, H, H, true, I * H, H);
  ws.dHs.fill(0);
  if (h.grad !== null) ws.dHs.set(h.grad, T * B * H);
  for (let s = T - 1; s >= 0; s--) {
    if (y.grad !== null) addOutputGrads(ws.dHs, y.grad, ws.rowOf, ws.lengths, s, B, H, (s + 1) * B * H);
    rnnStepBackward(ws.dPre, ws.hs, ws.dHs, relu, H, s, B, ws.lengths);
    gemmPrepacked(ws.dHs, ws.dPre, B, H, false, s * B * H, H, ws.panels, 0, H, 1, sourceSlot(s, delay) * B * H, H, ws.stepAt);
  }
  if (h0.requiresGrad) axpy(h0.ensureGrad(), 1, ws.dHs, B * H);

  const rows = T * B;
  if (params.W.requiresGrad) {
    const dW = params.W.ensureGrad();
    gemm(dW, ws.xs, ws.dPre, I, H, rows, true, false, 1, 0, 0, 0, H, I, H, ws.work);
    // Steps d−1.. read slots 0.. in order: one GEMM; earlier steps all read slot 0 (h₀).
    const first = Math.min(delay - 1, T);
    if (first < T) gemm(dW, ws.hs, ws.dPre, H, H, (T - first) * B, true, false, 1, I * H, 0, first * B * H, H, H, H, ws.work);
    for (let s = 0; s < first; s++) gemm(dW, ws.hs, ws.dPre, H, H, B, true, false, 1, I * H, 0, s * B * H);
  }
  for (const b of [params.bIh, params.bHh]) if (b !== null && b.requiresGrad) rowSum(b.ensureGrad(), ws.dPre, rows, H, 1, 1);
  if (x.requiresGrad) {
    gemm(ws.dxs, ws.dPre, W, rows, I, H, false, true, 0, 0, 0, 0, I, H, H, ws.work);
    ws.scatterInputGrad(x, sizes);
  }
}
