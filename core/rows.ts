// Reading and making tensors row by row: the index of each row's largest value (a classifier's
// choice), and sequences of different lengths padded into one time-major batch.
import { argmax } from '../kernels/js/reduce.js';
import type { Tensor } from './tensor.js';

/** For logits [..., C]: the class each row picks (the first on a tie), in row order. */
export function argmaxRows(logits: Tensor): Int32Array {
  const C = logits.shape[logits.shape.length - 1];
  const rows = C === 0 ? 0 : logits.size / C;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = argmax(logits.data, r * C, C);
  return out;
}

/**
 * Sequences of different lengths as one time-major batch: values[t·B + b] is step t of
 * sequence b, `fill` past its end. T is the longest length (or the one given, at least that).
 */
export function padTimeMajor(
  sequences: readonly ArrayLike<number>[],
  fill = 0,
  steps?: number,
): { T: number; B: number; values: number[]; lengths: number[] } {
  const B = sequences.length,
    lengths = sequences.map((s) => s.length);
  const T = steps ?? Math.max(0, ...lengths);
  const values = new Array<number>(T * B).fill(fill);
  sequences.forEach((s, b) => {
    for (let t = 0; t < s.length; t++) values[t * B + b] = s[t];
  });
  return { T, B, values, lengths };
}
