// What every op shares: making its output, recording its entry, checking its arguments.
import { alloc, allocScoped } from '../alloc.js';
import { shapeStr, sizeOf, type Shape } from '../shape.js';
import { type Backward, type Releasable, type Tape, wantsGrad } from '../tape.js';
import { Tensor } from '../tensor.js';
import type { IndexBuf } from '../../kernels/js/types.js';
import { ArgumentError } from '../errors.js';

/** A fresh output tensor; it wants a gradient when recording is on and an input wants one. */
export function output(tape: Tape | null, inputs: readonly Tensor[], shape: Shape): Tensor {
  const dtype = inputs[0].dtype;
  return new Tensor(allocScoped(dtype, sizeOf(shape)), shape, { requiresGrad: wantsGrad(tape, inputs) });
}

/** Record the op on the tape when its output wants a gradient. */
export function record<S>(
  tape: Tape | null,
  backward: Backward<S>,
  out: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  saved: S,
  holds: Releasable | null = null,
): void {
  const first = Array.isArray(out) ? out[0] : (out as Tensor);
  if (tape !== null && first.requiresGrad) tape.push(backward, out, inputs, saved, holds);
}

/** Each named argument must be a Tensor, all of one dtype. */
export function checkTensors(op: string, args: Record<string, Tensor>): void {
  let first: [string, Tensor] | null = null;
  for (const [name, t] of Object.entries(args)) {
    if (!(t instanceof Tensor)) throw new ArgumentError(op, name, 'a Tensor', t);
    if (first === null) first = [name, t];
    else if (t.dtype !== first[1].dtype) {
      throw new ArgumentError(op, name, `of dtype ${first[1].dtype} like ${first[0]}`, t.dtype);
    }
  }
}

/** The tensor's size along its last axis (its features), and how many rows precede it. */
export function rowsAndCols(t: Tensor): { rows: number; cols: number } {
  const cols = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1];
  return { rows: cols === 0 ? 0 : t.size / cols, cols };
}

/**
 * Integer indices checked one by one: whole numbers in [0, limit). The message names the
 * op, the argument, the position and the value.
 */
export function checkIndices(
  op: string,
  name: string,
  values: ArrayLike<number>,
  limit: number,
  expectedCount: number,
): IndexBuf {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new ArgumentError(op, name, 'an array of integers', values);
  }
  if (values.length !== expectedCount) {
    throw new ArgumentError(op, name, `${expectedCount} indices`, values.length);
  }
  const out = alloc('i32', values.length);
  for (let q = 0; q < values.length; q++) {
    const v = values[q];
    if (!Number.isInteger(v) || v < 0 || v >= limit) {
      throw new ArgumentError(op, `${name}[${q}]`, `an integer in [0, ${limit})`, v);
    }
    out[q] = v;
  }
  return out;
}

export { shapeStr };
