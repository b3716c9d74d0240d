// Row lookup: indices → rows of a table. An embedding is a lookup into a weight matrix;
// the same op reorders the rows of a sequence (reversing each sequence in place, say).
//
//   y[q] = W[index[q]]          W: [N, D], index: [n] (any index shape), y: [..., D]
//   ∂W[index[q]] += ∂y[q]       a row looked up twice receives both gradients
import { gatherRows, scatterAddRows } from '../../kernels/js/gather.js';
import type { IndexBuf } from '../../kernels/js/types.js';
import { checkShape, sizeOf, type Shape } from '../shape.js';
import type { Tape, TapeEntry } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { checkIndices, checkTensors, output, record, shapeStr } from './common.js';
import { ArgumentError } from '../errors.js';

interface GatherSaved {
  index: IndexBuf;
}

/** Rows `indices` of a 2-D `table` [N, D]; `indexShape` (default [n]) gives the output [...indexShape, D]. */
export function gather(tape: Tape | null, table: Tensor, indices: ArrayLike<number>, indexShape?: Shape): Tensor {
  return lookup('gather', 'table', tape, table, indices, indexShape);
}

/** Look up rows of `weight` [vocab, dim]; `indexShape` (default [n]) gives the output [...indexShape, dim]. */
export function embedding(tape: Tape | null, weight: Tensor, indices: ArrayLike<number>, indexShape?: Shape): Tensor {
  return lookup('embedding', 'weight', tape, weight, indices, indexShape);
}

function lookup(
  op: string,
  name: string,
  tape: Tape | null,
  table: Tensor,
  indices: ArrayLike<number>,
  indexShape?: Shape,
): Tensor {
  checkTensors(op, { [name]: table });
  if (table.shape.length !== 2) throw new ArgumentError(op, name, '2-D [rows, dim]', shapeStr(table.shape), true);
  const [rows, dim] = table.shape;
  const shape = indexShape === undefined ? [indices?.length ?? 0] : checkShape(op, indexShape);
  const index = checkIndices(op, 'indices', indices, rows, sizeOf(shape));
  const out = output(tape, [table], [...shape, dim]);
  gatherRows(out.data, table.data, index, index.length, dim);
  record(tape, gatherBackward, out, [table], { index });
  return out;
}

function gatherBackward(e: TapeEntry<GatherSaved>): void {
  const table = e.inputs[0];
  const index = e.saved.index;
  scatterAddRows(table.ensureGrad(), e.out.grad!, index, index.length, table.shape[1]);
}
