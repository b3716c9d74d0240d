// Ops that move values without arithmetic: concatenation and slicing along the feature
// (last) axis, one time step out of a time-major sequence and back, and reshaping.
//
//   concat:     y = [x₁ | x₂ | …]         ∂xᵢ += the matching columns of ∂y
//   slice:      y = x[…, at : at+width]   ∂x[…, at : at+width] += ∂y
//   selectStep: y = x[t]  (x: [T, …])     ∂x[t] += ∂y
//   stack:      y[t] = x_t                ∂x_t += ∂y[t]
//   reshape:    same values, new shape    ∂x += ∂y
import * as mv from '../../kernels/js/gather.js';
import { axpy } from '../../kernels/backend/pointwise.js';
import { ArgumentError } from '../errors.js';
import { checkShape, sameShape, sizeOf, type Shape } from '../shape.js';
import type { Tape, TapeEntry } from '../tape.js';
import { Tensor } from '../tensor.js';
import { wantsGrad } from '../tape.js';
import { checkTensors, output, record, rowsAndCols, shapeStr } from './common.js';

interface ColumnsSaved {
  rows: number;
  cols: number;
  at: number[];
}

/** Concatenate along the last axis; all parts must agree on every other axis. */
export function concat(tape: Tape | null, parts: readonly Tensor[]): Tensor {
  if (!Array.isArray(parts) || parts.length === 0)
    throw new ArgumentError('concat', 'parts', 'a non-empty array of tensors', parts);
  checkTensors('concat', Object.fromEntries(parts.map((p, q) => [`parts[${q}]`, p])));
  const lead = parts[0].shape.slice(0, -1);
  for (let q = 0; q < parts.length; q++) {
    const s = parts[q].shape;
    if (s.length === 0 || !sameShape(s.slice(0, -1), lead)) {
      throw new ArgumentError(
        'concat',
        `parts[${q}]`,
        `at least 1-D and share the leading axes ${shapeStr(lead)} of parts[0]`,
        shapeStr(s),
        true,
      );
    }
  }
  const widths = parts.map((p) => p.shape[p.shape.length - 1]);
  const cols = widths.reduce((x, y) => x + y, 0);
  const rows = sizeOf(lead);
  const out = output(tape, parts, [...lead, cols]);
  const at: number[] = [];
  let offset = 0;
  for (let q = 0; q < parts.length; q++) {
    at.push(offset);
    mv.copyIntoColumns(out.data, cols, offset, parts[q].data, widths[q], rows);
    offset += widths[q];
  }
  record(tape, concatBackward, out, parts, { rows, cols, at });
  return out;
}

function concatBackward(e: TapeEntry<ColumnsSaved>): void {
  const { rows, cols, at } = e.saved;
  e.inputs.forEach((part, q) => {
    if (!part.requiresGrad) return;
    const width = part.shape[part.shape.length - 1];
    mv.addFromColumns(part.ensureGrad(), e.out.grad!, cols, at[q], width, rows);
  });
}

/** Columns [at, at + width) of the last axis. */
export function slice(tape: Tape | null, x: Tensor, at: number, width: number): Tensor {
  checkTensors('slice', { x });
  const { rows, cols } = rowsAndCols(x);
  if (
    x.shape.length === 0 ||
    !Number.isInteger(at) ||
    !Number.isInteger(width) ||
    at < 0 ||
    width < 0 ||
    at + width > cols
  ) {
    throw new ArgumentError(
      'slice',
      `columns [${at}, ${at + width})`,
      `within the last axis of x ${shapeStr(x.shape)}`,
      `at ${at}, width ${width}`,
      true,
    );
  }
  const out = output(tape, [x], [...x.shape.slice(0, -1), width]);
  mv.copyFromColumns(out.data, x.data, cols, at, width, rows);
  record(tape, sliceBackward, out, [x], { rows, cols, at: [at] });
  return out;
}

function sliceBackward(e: TapeEntry<ColumnsSaved>): void {
  const x = e.inputs[0];
  const { rows, cols, at } = e.saved;
  const width = e.out.shape[e.out.shape.length - 1];
  mv.addIntoColumns(x.ensureGrad(), cols, at[0], e.out.grad!, width, rows);
}

/** Split the last axis into consecutive parts of the given widths (which must add up to it). */
export function split(tape: Tape | null, x: Tensor, widths: readonly number[]): Tensor[] {
  checkTensors('split', { x });
  if (!Array.isArray(widths)) throw new ArgumentError('split', 'widths', 'an array of column counts', widths);
  widths.forEach((w, q) => {
    if (!Number.isInteger(w) || w < 0) throw new ArgumentError('split', `widths[${q}]`, 'an integer ≥ 0', w);
  });
  const cols = x.shape.length === 0 ? 0 : x.shape[x.shape.length - 1];
  const total = widths.reduce((p, q) => p + q, 0);
  if (total !== cols) {
    throw new ArgumentError(
      'split',
      `widths [${widths.join(',')}]`,
      `a split of the last axis of x ${shapeStr(x.shape)}, which is ${cols}`,
      `widths that add up to ${total}`,
      true,
    );
  }
  const parts: Tensor[] = [];
  let at = 0;
  for (const w of widths) {
    parts.push(slice(tape, x, at, w));
    at += w;
  }
  return parts;
}

interface BlockSaved {
  at: number;
}

/** x[t] from a time-major x: [T, …]. */
export function selectStep(tape: Tape | null, x: Tensor, t: number): Tensor {
  checkTensors('selectStep', { x });
  if (x.shape.length === 0) throw new ArgumentError('selectStep', 'x', 'a tensor with a time axis', 'a scalar', true);
  const steps = x.shape[0];
  if (!Number.isInteger(t) || t < 0 || t >= steps) {
    throw new ArgumentError('selectStep', 't', `an integer in [0, ${steps}) for x ${shapeStr(x.shape)}`, t);
  }
  const out = output(tape, [x], x.shape.slice(1));
  mv.copyBlock(out.data, 0, x.data, t * out.size, out.size);
  record(tape, selectStepBackward, out, [x], { at: t * out.size });
  return out;
}

function selectStepBackward(e: TapeEntry<BlockSaved>): void {
  const x = e.inputs[0];
  mv.addBlock(x.ensureGrad(), e.saved.at, e.out.grad!, 0, e.out.size);
}

/** Stack equal-shaped tensors along a new leading (time) axis: the inverse of `selectStep`. */
export function stack(tape: Tape | null, items: readonly Tensor[]): Tensor {
  if (!Array.isArray(items) || items.length === 0)
    throw new ArgumentError('stack', 'items', 'a non-empty array of tensors', items);
  checkTensors('stack', Object.fromEntries(items.map((p, q) => [`items[${q}]`, p])));
  const shape = items[0].shape;
  items.forEach((item, q) => {
    if (!sameShape(item.shape, shape)) {
      throw new ArgumentError(
        'stack',
        `items[${q}]`,
        `of shape ${shapeStr(shape)} like items[0] (expected ${shapeStr(shape)})`,
        `shape ${shapeStr(item.shape)}`,
        true,
      );
    }
  });
  const out = output(tape, items, [items.length, ...shape]);
  const size = items[0].size;
  items.forEach((item, q) => mv.copyBlock(out.data, q * size, item.data, 0, size));
  record(tape, stackBackward, out, items, null);
  return out;
}

function stackBackward(e: TapeEntry<null>): void {
  e.inputs.forEach((item, q) => {
    if (item.requiresGrad) mv.addBlock(item.ensureGrad(), 0, e.out.grad!, q * item.size, item.size);
  });
}

/** The same values under a new shape of the same size. The data buffer is shared, not copied. */
export function reshape(tape: Tape | null, x: Tensor, shape: Shape): Tensor {
  checkTensors('reshape', { x });
  checkShape('reshape', shape);
  if (sizeOf(shape) !== x.size) {
    throw new ArgumentError(
      'reshape',
      `shape ${shapeStr(shape)}`,
      `a shape that holds ${x.size} values like x ${shapeStr(x.shape)} (it holds ${sizeOf(shape)} values)`,
      `x ${shapeStr(x.shape)} holds ${x.size}`,
      true,
    );
  }
  const out = new Tensor(x.data, shape, { requiresGrad: wantsGrad(tape, [x]) });
  record(tape, reshapeBackward, out, [x], null);
  return out;
}

function reshapeBackward(e: TapeEntry<null>): void {
  const x = e.inputs[0];
  axpy(x.ensureGrad(), 1, e.out.grad!, x.size);
}
