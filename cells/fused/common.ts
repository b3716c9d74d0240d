// What the fused sequence ops share: argument checks, the step-order bookkeeping, and the
// outputs a pass hands back.
import { alloc, record, shapeStr, Tensor, wantsGrad, type Backward, type DType, type Tape } from '../../core/index.js';
import type { Buf, IndexBuf } from '../../kernels/types.js';
import { gatherRows, scatterAddRows } from '../../kernels/gather.js';
import { scatterOutputs, stepRows } from '../../kernels/sequence.js';
import { gemmPackSize, panelSize, type Panels } from '../../kernels/gemmPanels.js';
import { Workspace, type WorkspacePool } from './workspace.js';

/** The sizes of one pass: T steps, B rows, I inputs, H hidden units. */
export interface PassSizes {
  T: number;
  B: number;
  I: number;
  H: number;
}

/** x [T, B, I] and a state [B, H] (h₀, c₀) must agree with the cell's sizes and dtype. */
export function checkPassInputs(op: string, x: Tensor, states: Record<string, Tensor>, inputSize: number, hiddenSize: number, dtype: DType): PassSizes {
  if (!(x instanceof Tensor)) throw new Error(`${op}: x must be a Tensor [T, B, ${inputSize}]`);
  if (x.shape.length !== 3 || x.shape[2] !== inputSize) {
    throw new Error(`${op}: x must be [T, B, ${inputSize}] (time-major, input size ${inputSize}), got ${shapeStr(x.shape)}`);
  }
  if (x.dtype !== dtype) throw new Error(`${op}: x has dtype ${x.dtype}, expected ${dtype} like the parameters`);
  const [T, B] = x.shape;
  for (const [name, t] of Object.entries(states)) {
    if (!(t instanceof Tensor) || t.shape.length !== 2 || t.shape[0] !== B || t.shape[1] !== hiddenSize) {
      const got = t instanceof Tensor ? shapeStr(t.shape) : typeof t;
      throw new Error(`${op}: ${name} must be [${B}, ${hiddenSize}] (batch, hidden), got ${got}`);
    }
    if (t.dtype !== dtype) throw new Error(`${op}: ${name} has dtype ${t.dtype}, expected ${dtype} like the parameters`);
  }
  return { T, B, I: inputSize, H: hiddenSize };
}

/**
 * Buffers every fused pass has: lengths, the step-order row map, the inputs in step order
 * and their gradient, the states hs [T+1, B, H] (and cs for an LSTM), and the outputs.
 */
export abstract class SequenceWorkspace extends Workspace {
  readonly lengths: IndexBuf;
  readonly rowOf: IndexBuf;
  readonly xs: Buf;
  readonly dxs: Buf;
  readonly hs: Buf;
  readonly cs: Buf | null;
  readonly outputs: PassOutputs;
  /** Room for the packed GEMMs over the whole sequence (projections and weight gradients). */
  readonly work: Panels;
  /**
   * Packed panels in one array, so that the micro-kernel reads a single typed array: a
   * recurrent weight packed once per pass at 0 (W_h for the forward steps, W_hᵀ for the
   * backward ones), and from `stepAt` room to pack one step's left operand ([B, up to G·H]).
   */
  readonly panels: Panels;
  readonly stepAt: number;

  /** G: the gate blocks of the cell (4 LSTM, 3 GRU, 1 RNN), so that the GEMMs are G·H wide. */
  constructor(T: number, B: number, dtype: DType, I: number, H: number, withCell: boolean, G: number) {
    super(T, B, dtype);
    const rows = Math.max(T * B, I, H), cols = Math.max(G * H, I, H);
    this.work = alloc('f64', gemmPackSize(rows, cols, Math.max(rows, cols)));
    this.stepAt = Math.max(panelSize(G * H, H), panelSize(H, G * H));
    this.panels = alloc('f64', this.stepAt + panelSize(B, G * H));
    this.lengths = alloc('i32', B);
    this.rowOf = alloc('i32', T * B);
    this.xs = alloc(dtype, T * B * I);
    this.dxs = alloc(dtype, T * B * I);
    this.hs = alloc(dtype, (T + 1) * B * H);
    this.cs = withCell ? alloc(dtype, (T + 1) * B * H) : null;
    this.outputs = new PassOutputs(T, B, H, dtype, withCell);
  }

  /** Fill lengths (T for every row when none are given), the row map, and xs in step order. */
  prepare(op: string, x: Tensor, lengths: ArrayLike<number> | null, reverse: boolean, sizes: PassSizes): void {
    const { T, B, I } = sizes;
    if (lengths === null) this.lengths.fill(T);
    else copyLengths(op, this.lengths, lengths, T, B);
    stepRows(this.rowOf, this.lengths, reverse, T, B);
    gatherRows(this.xs, x.data, this.rowOf, T * B, I);
  }

  /** ∂x += dxs, moved back from step order to sequence order. */
  scatterInputGrad(x: Tensor, sizes: PassSizes): void {
    scatterAddRows(x.ensureGrad(), this.dxs, this.rowOf, sizes.T * sizes.B, sizes.I);
  }
}

/** What beginPass hands a fused pass. */
export interface PassStart<W> {
  sizes: PassSizes;
  inputs: Tensor[];
  recording: boolean;
  ws: W;
}

/**
 * Start a fused pass: check x and the initial states against the cell, take a workspace
 * (held when the pass will be recorded), put x in step order and h₀ (c₀) in slot 0.
 */
export function beginPass<W extends SequenceWorkspace>(
  op: string, tape: Tape | null, pool: WorkspacePool<W>, x: Tensor, states: { h0: Tensor; c0?: Tensor },
  params: readonly (Tensor | null)[], inputSize: number, hiddenSize: number, lengths: ArrayLike<number> | null, reverse: boolean,
): PassStart<W> {
  const dtype = params[0]!.dtype;
  const sizes = checkPassInputs(op, x, states, inputSize, hiddenSize, dtype);
  const inputs = [x, states.h0, ...(states.c0 === undefined ? [] : [states.c0]), ...params.filter((p): p is Tensor => p !== null)];
  const recording = wantsGrad(tape, inputs);
  const ws = pool.acquire(sizes.T, sizes.B, dtype, recording);
  ws.prepare(op, x, lengths, reverse, sizes);
  ws.hs.set(states.h0.data);
  if (states.c0 !== undefined) ws.cs!.set(states.c0.data);
  return { sizes, inputs, recording, ws };
}

/** End a fused pass: outputs from the states, recorded with its backward when wanted. */
export function endPass<W extends SequenceWorkspace, S>(
  tape: Tape | null, start: PassStart<W>, backward: Backward<S>, saved: S,
): { y: Tensor; h: Tensor; c: Tensor | null } {
  const { ws, sizes, recording, inputs } = start;
  const { T, B, H } = sizes;
  const out = ws.outputs;
  scatterOutputs(out.y.data, ws.hs, ws.rowOf, ws.lengths, T, B, H);
  out.h.data.set(ws.hs.subarray(T * B * H));
  if (out.c !== null) out.c.data.set(ws.cs!.subarray(T * B * H));
  const outs = out.reset(recording);
  if (recording) record(tape, backward, outs, inputs, saved, ws);
  return { y: out.y, h: out.h, c: out.c };
}

/**
 * The outputs of a pass (y [T, B, H], the final h [B, H] and, for an LSTM, c [B, H]),
 * kept in the workspace and reused: a later forward of the same layer overwrites them
 * unless this pass is still recorded on a tape.
 */
export class PassOutputs {
  readonly y: Tensor;
  readonly h: Tensor;
  readonly c: Tensor | null;

  constructor(T: number, B: number, H: number, dtype: DType, withCell: boolean) {
    this.y = Tensor.zeros([T, B, H], dtype, { name: 'y' });
    this.h = Tensor.zeros([B, H], dtype, { name: 'h_n' });
    this.c = withCell ? Tensor.zeros([B, H], dtype, { name: 'c_n' }) : null;
  }

  /** Set requiresGrad and clear gradients left from a previous pass. */
  reset(requiresGrad: boolean): Tensor[] {
    const all = this.c === null ? [this.y, this.h] : [this.y, this.h, this.c];
    for (const t of all) {
      t.requiresGrad = requiresGrad;
      t.zeroGrad();
    }
    return all;
  }
}

/** Per-sequence lengths must be B integers, each in [1, T]. */
export function checkLengths(where: string, lengths: ArrayLike<number>, T: number, B: number): void {
  if (lengths === null || typeof lengths !== 'object' || lengths.length !== B) {
    const got = lengths === null || typeof lengths !== 'object' ? String(lengths) : `${lengths.length}`;
    throw new Error(`${where}: lengths must hold one length per sequence (${B}), got ${got}`);
  }
  for (let b = 0; b < B; b++) {
    const n = lengths[b];
    if (!Number.isInteger(n) || n < 1 || n > T) {
      throw new Error(`${where}: lengths[${b}] must be an integer in [1, ${T}] (x has ${T} steps), got ${n}`);
    }
  }
}

/** Copy checked per-sequence lengths into `out`. */
export function copyLengths(where: string, out: IndexBuf, lengths: ArrayLike<number>, T: number, B: number): void {
  checkLengths(where, lengths, T, B);
  for (let b = 0; b < B; b++) out[b] = lengths[b];
}
