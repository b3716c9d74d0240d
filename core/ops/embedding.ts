// Embedding lookup: row indices → rows of a table.
//
//   y[q] = W[index[q]]          W: [V, D], index: [n] (any index shape), y: [..., D]
//   ∂W[index[q]] += ∂y[q]       a row looked up twice receives both gradients
import { gatherRows, scatterAddRows } from '../../kernels/gather.js';
import type { IndexBuf } from '../../kernels/types.js';
import { checkShape, sizeOf, type Shape } from '../shape.js';
import type { Tape, TapeEntry } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { checkIndices, checkTensors, output, record, shapeStr } from './common.js';

interface EmbeddingSaved { index: IndexBuf }

/** Look up rows of `weight` [V, D]; `indexShape` (default [n]) gives the output [...indexShape, D]. */
export function embedding(
  tape: Tape | null, weight: Tensor, indices: ArrayLike<number>, indexShape?: Shape,
): Tensor {
  checkTensors('embedding', { weight });
  if (weight.shape.length !== 2) throw new Error(`embedding: weight must be 2-D [vocab, dim], got ${shapeStr(weight.shape)}`);
  const [vocab, dim] = weight.shape;
  const shape = indexShape === undefined ? [indices?.length ?? 0] : checkShape('embedding', indexShape);
  const index = checkIndices('embedding', 'indices', indices, vocab, sizeOf(shape));
  const out = output(tape, [weight], [...shape, dim]);
  gatherRows(out.data, weight.data, index, index.length, dim);
  record(tape, embeddingBackward, out, [weight], { index });
  return out;
}

function embeddingBackward(e: TapeEntry<EmbeddingSaved>): void {
  const weight = e.inputs[0];
  const index = e.saved.index;
  scatterAddRows(weight.ensureGrad(), e.out.grad!, index, index.length, weight.shape[1]);
}
