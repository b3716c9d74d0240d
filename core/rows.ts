// Reading a tensor row by row: the index of each row's largest value (a classifier's choice).
import { argmax } from '../kernels/reduce.js';
import type { Tensor } from './tensor.js';

/** For logits [..., C]: the class each row picks (the first on a tie), in row order. */
export function argmaxRows(logits: Tensor): Int32Array {
  const C = logits.shape[logits.shape.length - 1];
  const rows = C === 0 ? 0 : logits.size / C;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = argmax(logits.data, r * C, C);
  return out;
}
