// What the fused sequence ops share: argument checks, the step-order bookkeeping, and the
// outputs a pass hands back.
//
// Ownership: the outputs of a pass (y, and the final h and c) are fresh tensors, the
// caller's to keep: a later pass never changes them. What a pass keeps for its backward
// lives in a workspace, reused pass after pass, so the time loop allocates nothing.
import { gatherRows, scatterAddRows } from '../../../kernels/js/gather.js';
import { gemmPackSize, panelSize, type Panels } from '../../../kernels/js/gemmPanels.js';
import { PackRoom, wasmPackedFloats } from '../../../kernels/backend/matrix.js';
import { scatterOutputs, stepRows } from '../../../kernels/js/sequence.js';
import type { Buf, IndexBuf } from '../../../kernels/js/types.js';
import { alloc, type DType } from '../../alloc.js';
import { ArgumentError } from '../../errors.js';
import { shapeStr } from '../../shape.js';
import { type Backward, type Tape, wantsGrad } from '../../tape.js';
import { Tensor } from '../../tensor.js';
import { record } from '../common.js';
import { Workspace, type WorkspacePool } from './workspace.js';

/** The sizes of one pass: T steps, B rows, I inputs, H hidden units. */
export interface PassSizes {
  T: number;
  B: number;
  I: number;
  H: number;
}

/** What a fused pass returns: outputs y [T, B, H], the final h [B, H] and, for an LSTM, c [B, H]. */
export interface PassOutputs {
  y: Tensor;
  h: Tensor;
  c: Tensor | null;
}

/** x [T, B, I] and a state [B, H] (h₀, c₀) must agree with the cell's sizes and dtype. */
export function checkPassInputs(
  op: string,
  x: Tensor,
  states: Record<string, Tensor>,
  inputSize: number,
  hiddenSize: number,
  dtype: DType,
): PassSizes {
  if (!(x instanceof Tensor) || x.shape.length !== 3 || x.shape[2] !== inputSize) {
    throw new ArgumentError(
      op,
      'x',
      `[T, B, ${inputSize}] (time-major, input size ${inputSize})`,
      x instanceof Tensor ? shapeStr(x.shape) : x,
      x instanceof Tensor,
    );
  }
  if (x.dtype !== dtype) throw new ArgumentError(op, 'x', `of dtype ${dtype} like the parameters`, x.dtype);
  const [T, B] = x.shape;
  for (const [name, t] of Object.entries(states)) {
    if (!(t instanceof Tensor) || t.shape.length !== 2 || t.shape[0] !== B || t.shape[1] !== hiddenSize) {
      throw new ArgumentError(
        op,
        name,
        `[${B}, ${hiddenSize}] (batch, hidden)`,
        t instanceof Tensor ? shapeStr(t.shape) : t,
        t instanceof Tensor,
      );
    }
    if (t.dtype !== dtype) throw new ArgumentError(op, name, `of dtype ${dtype} like the parameters`, t.dtype);
  }
  return { T, B, I: inputSize, H: hiddenSize };
}

/**
 * Buffers every fused pass has: lengths, the step-order row map, the inputs in step order
 * and their gradient, and the states hs [T+1, B, H] (and cs for an LSTM).
 */
export abstract class SequenceWorkspace extends Workspace {
  readonly lengths: IndexBuf;
  readonly rowOf: IndexBuf;
  readonly xs: Buf;
  readonly dxs: Buf;
  readonly hs: Buf;
  readonly cs: Buf | null;
  /** Room for the packed GEMMs over the whole sequence (projections and weight gradients). */
  readonly work: Panels;
  /**
   * Packed panels in one array, so that the micro-kernel reads a single typed array: a
   * recurrent weight packed once per pass at 0 (W_h for the forward steps, W_hᵀ for the
   * backward ones), and from `stepAt` room to pack one step's left operand ([B, up to G·H]).
   */
  readonly panels: Panels;
  readonly stepAt: number;
  /** Where each pass packs its recurrent weights, for whichever backend multiplies them. */
  readonly packRoom: PackRoom;

  /** G: the gate blocks of the cell (4 LSTM, 3 GRU, 1 RNN), so that the GEMMs are G·H wide. */
  constructor(T: number, B: number, dtype: DType, I: number, H: number, withCell: boolean, G: number) {
    super(T, B, dtype);
    const rowCount = Math.max(T * B, I, H),
      colCount = Math.max(G * H, I, H);
    this.work = alloc('f64', gemmPackSize(rowCount, colCount, Math.max(rowCount, colCount)));
    this.stepAt = Math.max(panelSize(G * H, H), panelSize(H, G * H));
    this.panels = alloc('f64', this.stepAt + panelSize(B, G * H));
    this.packRoom = new PackRoom(
      this.panels,
      this.stepAt,
      wasmPackedFloats(H, G * H) + wasmPackedFloats(G * H, H),
      (n) => this.pinned('f32', n),
    );
    this.lengths = alloc('i32', B);
    this.rowOf = alloc('i32', T * B);
    this.xs = this.pinned(dtype, T * B * I);
    this.dxs = this.pinned(dtype, T * B * I);
    this.hs = this.pinned(dtype, (T + 1) * B * H);
    this.cs = withCell ? this.pinned(dtype, (T + 1) * B * H) : null;
  }

  /** Fill lengths (T for every row when none are given), the row map, and xs in step order. */
  prepare(op: string, x: Tensor, lengths: ArrayLike<number> | null, reverse: boolean, sizes: PassSizes): void {
    const { T, B, I } = sizes;
    copyLengths(op, this.lengths, lengths, T, B);
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
  op: string,
  tape: Tape | null,
  pool: WorkspacePool<W>,
  x: Tensor,
  states: { h0: Tensor; c0?: Tensor },
  params: readonly (Tensor | null)[],
  inputSize: number,
  hiddenSize: number,
  lengths: ArrayLike<number> | null,
  reverse: boolean,
): PassStart<W> {
  const dtype = params[0]!.dtype;
  const sizes = checkPassInputs(op, x, states, inputSize, hiddenSize, dtype);
  const inputs = [
    x,
    states.h0,
    ...(states.c0 === undefined ? [] : [states.c0]),
    ...params.filter((p): p is Tensor => p !== null),
  ];
  const recording = wantsGrad(tape, inputs);
  const ws = pool.acquire(sizes.T, sizes.B, dtype, recording);
  ws.prepare(op, x, lengths, reverse, sizes);
  ws.hs.set(states.h0.data);
  if (states.c0 !== undefined) ws.cs!.set(states.c0.data);
  return { sizes, inputs, recording, ws };
}

/**
 * End a fused pass: fresh output tensors filled from the states, the caller's to keep, and
 * the pass recorded with its backward when wanted (the backward reads the outputs' gradients
 * from the tape entry's outs: y, h, then c).
 */
export function endPass<W extends SequenceWorkspace, S>(
  tape: Tape | null,
  start: PassStart<W>,
  backward: Backward<S>,
  saved: S,
): PassOutputs {
  const { ws, sizes, recording, inputs } = start;
  const { T, B, H } = sizes;
  const options = { requiresGrad: recording };
  const y = Tensor.zeros([T, B, H], ws.dtype, { ...options, name: 'y' });
  const h = Tensor.zeros([B, H], ws.dtype, { ...options, name: 'h_n' });
  const c = ws.cs === null ? null : Tensor.zeros([B, H], ws.dtype, { ...options, name: 'c_n' });
  scatterOutputs(y.data, ws.hs, ws.rowOf, ws.lengths, T, B, H);
  h.data.set(ws.hs.subarray(T * B * H));
  if (c !== null) c.data.set(ws.cs!.subarray(T * B * H));
  if (recording) record(tape, backward, c === null ? [y, h] : [y, h, c], inputs, saved, ws);
  return { y, h, c };
}

/** Per-sequence lengths must be B integers, each in [1, T]. */
export function checkLengths(where: string, lengths: ArrayLike<number>, T: number, B: number): void {
  if (lengths === null || typeof lengths !== 'object' || lengths.length !== B) {
    const got =
      lengths === null || typeof lengths !== 'object'
        ? lengths
        : `${lengths.length} value${lengths.length === 1 ? '' : 's'}`;
    throw new ArgumentError(where, 'lengths', `one length per sequence (${B})`, got, typeof got === 'string');
  }
  for (let b = 0; b < B; b++) {
    const n = lengths[b];
    if (!Number.isInteger(n) || n < 1 || n > T)
      throw new ArgumentError(where, `lengths[${b}]`, `an integer in [1, ${T}] (x has ${T} steps)`, n);
  }
}

/** Copy checked per-sequence lengths into `out`; null (no lengths given) is T for every row. */
export function copyLengths(
  where: string,
  out: IndexBuf,
  lengths: ArrayLike<number> | null,
  T: number,
  B: number,
): void {
  if (lengths === null) {
    out.fill(T, 0, B);
    return;
  }
  checkLengths(where, lengths, T, B);
  for (let b = 0; b < B; b++) out[b] = lengths[b];
}

/** The sequence row each step reads (see kernels/js/sequence.ts): forward, or each sequence reversed within its length. */
export function stepRowOrder(lengths: IndexBuf, reverse: boolean, T: number, B: number): IndexBuf {
  const rowOf = alloc('i32', T * B);
  stepRows(rowOf, lengths, reverse, T, B);
  return rowOf;
}
