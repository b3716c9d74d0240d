// Element-wise arithmetic. add, sub and mul take b either of a's shape or a vector over a's
// last axis, broadcast over every row (a bias, a peephole weight).
//
//   add: y = a + b    ∂a += ∂y            ∂b += ∂y   (summed over rows when broadcast)
//   sub: y = a − b    ∂a += ∂y            ∂b −= ∂y   (likewise)
//   mul: y = a ⊙ b    ∂a += ∂y ⊙ b        ∂b += ∂y ⊙ a
//   scale: y = s·a    ∂a += s·∂y
//   affine: y = s·a + t   ∂a += s·∂y     (1 − a is affine(a, −1, 1))
//   maximum: y = max(a, b)  ∂y goes to the larger of the two (to a on a tie)
import * as ew from '../../kernels/backend/pointwise.js';
import { sameShape } from '../shape.js';
import type { Backward, Tape, TapeEntry } from '../tape.js';
import type { Buf } from '../../kernels/js/types.js';
import type { Tensor } from '../tensor.js';
import { ArgumentError } from '../errors.js';
import { checkTensors, output, record, rowsAndCols, shapeStr } from './common.js';

type Kind = 'add' | 'sub' | 'mul';
interface BinarySaved {
  broadcast: boolean;
  rows: number;
  cols: number;
}

/** Same shape, or b a vector over a's last axis; returns whether b is broadcast. */
function broadcastOf(op: Kind, a: Tensor, b: Tensor): BinarySaved {
  checkTensors(op, { a, b });
  const { rows, cols } = rowsAndCols(a);
  if (sameShape(a.shape, b.shape)) return { broadcast: false, rows, cols };
  if (b.shape.length === 1 && a.shape.length >= 1 && b.shape[0] === cols) return { broadcast: true, rows, cols };
  throw new ArgumentError(
    op,
    'b',
    `of a's shape ${shapeStr(a.shape)} or be a vector [${cols}] over its last axis`,
    `b ${shapeStr(b.shape)}`,
    true,
  );
}

type Whole = (out: Buf, a: Buf, b: Buf, n: number) => void;
type Rowwise = (out: Buf, a: Buf, v: Buf, rows: number, cols: number) => void;

const kernelsOf: Record<Kind, [Whole, Rowwise, Backward<BinarySaved>]> = {
  add: [ew.add, ew.addRow, addBackward],
  sub: [ew.sub, ew.subRow, subBackward],
  mul: [ew.mul, ew.mulRow, mulBackward],
};

function binary(tape: Tape | null, kind: Kind, a: Tensor, b: Tensor): Tensor {
  const s = broadcastOf(kind, a, b);
  const [whole, rowwise, backward] = kernelsOf[kind];
  const out = output(tape, [a, b], a.shape);
  if (s.broadcast) rowwise(out.data, a.data, b.data, s.rows, s.cols);
  else whole(out.data, a.data, b.data, a.size);
  record(tape, backward, out, [a, b], s);
  return out;
}

export function add(tape: Tape | null, a: Tensor, b: Tensor): Tensor {
  return binary(tape, 'add', a, b);
}

export function sub(tape: Tape | null, a: Tensor, b: Tensor): Tensor {
  return binary(tape, 'sub', a, b);
}

export function mul(tape: Tape | null, a: Tensor, b: Tensor): Tensor {
  return binary(tape, 'mul', a, b);
}

function addBackward(e: TapeEntry<BinarySaved>): void {
  sumBackward(e, 1);
}

function subBackward(e: TapeEntry<BinarySaved>): void {
  sumBackward(e, -1);
}

/** The shared backward of a ± b: ∂a += ∂y, ∂b += sign·∂y (rows summed when b was broadcast). */
function sumBackward(e: TapeEntry<BinarySaved>, sign: number): void {
  const [a, b] = e.inputs;
  const dy = e.out.grad!;
  const { broadcast, rows, cols } = e.saved;
  if (a.requiresGrad) ew.axpy(a.ensureGrad(), 1, dy, a.size);
  if (b.requiresGrad) {
    if (broadcast) ew.rowSum(b.ensureGrad(), dy, rows, cols, sign, 1);
    else ew.axpy(b.ensureGrad(), sign, dy, b.size);
  }
}

function mulBackward(e: TapeEntry<BinarySaved>): void {
  const [a, b] = e.inputs;
  const dy = e.out.grad!;
  const { broadcast, rows, cols } = e.saved;
  if (broadcast) {
    if (a.requiresGrad) ew.mulRowBackwardA(a.ensureGrad(), dy, b.data, rows, cols);
    if (b.requiresGrad) ew.mulRowBackwardV(b.ensureGrad(), dy, a.data, rows, cols);
  } else {
    if (a.requiresGrad) ew.mulBackward(a.ensureGrad(), dy, b.data, a.size);
    if (b.requiresGrad) ew.mulBackward(b.ensureGrad(), dy, a.data, b.size);
  }
}

interface AffineSaved {
  scale: number;
}

/** y = s·a. */
export function scale(tape: Tape | null, a: Tensor, s: number): Tensor {
  return affine(tape, a, s, 0);
}

/** y = s·a + t, element-wise. */
export function affine(tape: Tape | null, a: Tensor, s: number, t: number): Tensor {
  checkTensors('affine', { a });
  if (!Number.isFinite(s) || !Number.isFinite(t)) {
    throw new ArgumentError('affine', 'scale and shift', 'finite numbers', `scale ${s} and shift ${t}`, true);
  }
  const out = output(tape, [a], a.shape);
  ew.affine(out.data, a.data, s, t, a.size);
  record(tape, affineBackward, out, [a], { scale: s });
  return out;
}

function affineBackward(e: TapeEntry<AffineSaved>): void {
  const a = e.inputs[0];
  ew.axpy(a.ensureGrad(), e.saved.scale, e.out.grad!, a.size);
}

export function maximum(tape: Tape | null, a: Tensor, b: Tensor): Tensor {
  checkTensors('maximum', { a, b });
  if (!sameShape(a.shape, b.shape))
    throw new ArgumentError('maximum', 'b', `of a's shape ${shapeStr(a.shape)}`, shapeStr(b.shape), true);
  const out = output(tape, [a, b], a.shape);
  ew.maximum(out.data, a.data, b.data, a.size);
  record(tape, maximumBackward, out, [a, b], null);
  return out;
}

function maximumBackward(e: TapeEntry<null>): void {
  const [a, b] = e.inputs;
  const dy = e.out.grad!;
  if (a.requiresGrad) ew.maximumBackward(a.ensureGrad(), dy, a.data, b.data, a.size, true);
  if (b.requiresGrad) ew.maximumBackward(b.ensureGrad(), dy, a.data, b.data, b.size, false);
}
